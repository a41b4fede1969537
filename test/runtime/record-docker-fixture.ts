// Re-records test/fixtures/docker/cri-dockerd-2pods.inspect.json from a real dockerd (root needed):
//   node --import tsx test/runtime/record-docker-fixture.ts
// Same pods as docker.test.ts: default/web (app, exited init) and k8snet-rt/db (app, sidecar, and
// `odd` in a netns of its own). Prints the ids and pids the unit test then checks.
import {writeFileSync} from 'node:fs';
import {addContainer, createNodeNetns, createPod, docker, importImages, startDockerd, teardown, type TestPod} from './docker-pods.js';

const FIXTURE = new URL('../fixtures/docker/cri-dockerd-2pods.inspect.json', import.meta.url);
const pods: TestPod[] = [];
try {
	await teardown([]);
	await startDockerd();
	importImages();
	createNodeNetns();
	const web = createPod('web', 'default');
	pods.push(web);
	addContainer(web, 'app', 'pod');
	addContainer(web, 'init', 'pod', ['true']);
	const db = createPod('db', 'k8snet-rt');
	pods.push(db);
	addContainer(db, 'app', 'pod');
	addContainer(db, 'sidecar', 'pod');
	addContainer(db, 'odd', 'own');
	const ids = docker('ps', '--all', '--quiet', '--no-trunc', '--filter', 'label=io.kubernetes.docker.type').split('\n');
	writeFileSync(FIXTURE, `${docker('inspect', '--type', 'container', ...ids)}\n`);
	for (const pod of pods) {
		console.log(pod.namespace, pod.name, pod.uid, 'sandbox', pod.sandboxId, 'pid', pod.sandboxPid);
		for (const [name, id] of pod.containers) console.log('  ', name, id, docker('inspect', '--format', '{{.State.Pid}}', id));
	}
} finally {
	await teardown(pods);
}
