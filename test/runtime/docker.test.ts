// The docker adapter against a real Docker engine (our own dockerd, own socket, own data dirs) with
// cri-dockerd-style pods whose netns the real CNI bridge plugin wired. Inodes are checked against
// `readlink /proc/PID/ns/net`, the plain way, not through the code under test.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLocalShell} from '../../source/node/local-shell.js';
import {netnsSharing} from '../../source/node/runtime/netns-sharing.js';
import {detectRuntime, probeRuntime} from '../../source/node/runtime/runtime.js';
import type {RuntimeInfo, RuntimeSandbox} from '../../source/core/types.js';
import {needs} from '../support/prerequisites.js';
import {
	CNI_BRIDGE,
	DOCKER_HOST,
	addContainer,
	createNodeNetns,
	createPod,
	docker,
	importImages,
	netnsInodeOf,
	startDockerd,
	teardown,
	type TestPod,
} from './docker-pods.js';

const skip = needs({root: true, tools: ['dockerd', 'docker', 'busybox', 'nsenter', 'ip'], files: [CNI_BRIDGE]});

function sandboxOf(info: RuntimeInfo, pod: TestPod): RuntimeSandbox {
	const sandbox = info.sandboxes.find(s => s.podUid === pod.uid);
	assert.ok(sandbox, `no sandbox found for pod ${pod.namespace}/${pod.name}`);
	return sandbox;
}

function containerPid(id: string): number {
	return Number(docker('inspect', '--format', '{{.State.Pid}}', id));
}

describe('docker runtime adapter on a real dockerd with cri-dockerd-style pods', {skip}, () => {
	const pods: TestPod[] = [];
	const shell = createLocalShell();
	const savedDockerHost = process.env['DOCKER_HOST'];
	let web: TestPod;
	let db: TestPod;

	before(async () => {
		await teardown([]); // leftovers of a run that was killed
		await startDockerd();
		importImages();
		createNodeNetns();
		web = createPod('web', 'default');
		pods.push(web);
		addContainer(web, 'app', 'pod');
		addContainer(web, 'init', 'pod', ['true']);
		db = createPod('db', 'k8snet-rt');
		pods.push(db);
		addContainer(db, 'app', 'pod');
		addContainer(db, 'sidecar', 'pod');
		addContainer(db, 'odd', 'own');
		process.env['DOCKER_HOST'] = DOCKER_HOST;
	});

	after(async () => {
		if (savedDockerHost === undefined) delete process.env['DOCKER_HOST'];
		else process.env['DOCKER_HOST'] = savedDockerHost;
		await teardown(pods);
	});

	test('the CNI bridge plugin wired each sandbox netns (setup sanity)', () => {
		for (const pod of pods) {
			const out = execFileSync('nsenter', [`--net=/proc/${pod.sandboxPid}/ns/net`, 'ip', '-j', 'addr', 'show', 'eth0'], {encoding: 'utf8'});
			const [eth0] = JSON.parse(out) as Array<{addr_info: Array<{family: string; local: string}>}>;
			assert.equal(eth0?.addr_info.find(a => a.family === 'inet')?.local, pod.ip);
			assert.match(pod.ip, /^10\.244\./);
		}
	});

	test('finds each pod: sandbox id, pause pid and its netns inode', async () => {
		const info = await detectRuntime(shell);
		assert.equal(info.kind, 'docker');
		assert.equal(info.note, null);
		assert.equal(info.sandboxes.length, 2);
		for (const pod of pods) {
			const sandbox = sandboxOf(info, pod);
			assert.equal(sandbox.sandboxId, pod.sandboxId);
			assert.equal(sandbox.name, pod.name);
			assert.equal(sandbox.namespace, pod.namespace);
			assert.equal(sandbox.pid, pod.sandboxPid);
			assert.equal(sandbox.netnsInode, netnsInodeOf(pod.sandboxPid));
		}
	});

	test('maps each container to its pid and the netns inode it really has', async () => {
		const info = await detectRuntime(shell);
		for (const pod of pods) {
			const sandbox = sandboxOf(info, pod);
			assert.deepEqual(sandbox.containers.map(c => c.name).sort(), [...pod.containers.keys()].sort());
			for (const container of sandbox.containers) {
				assert.equal(container.id, pod.containers.get(container.name));
				if (container.name === 'init') {
					assert.equal(container.state, 'exited');
					assert.equal(container.pid, null);
					assert.equal(container.netnsInode, null);
					continue;
				}

				assert.equal(container.state, 'running');
				assert.equal(container.pid, containerPid(container.id));
				assert.equal(container.netnsInode, netnsInodeOf(containerPid(container.id)));
			}
		}

		const dbSandbox = sandboxOf(info, db);
		const webSandbox = sandboxOf(info, web);
		assert.equal(dbSandbox.containers.find(c => c.name === 'app')?.netnsInode, dbSandbox.netnsInode);
		assert.equal(webSandbox.containers.find(c => c.name === 'app')?.netnsInode, webSandbox.netnsInode);
		assert.notEqual(dbSandbox.netnsInode, webSandbox.netnsInode);
	});

	test('flags the container that does not share its pod netns', async () => {
		const info = await detectRuntime(shell);
		const dbSharing = netnsSharing(sandboxOf(info, db));
		assert.deepEqual(dbSharing.separate.map(c => c.name), ['odd']);
		assert.deepEqual(dbSharing.shared.map(c => c.name).sort(), ['app', 'sidecar']);
		assert.deepEqual(dbSharing.unknown, []);
		const webSharing = netnsSharing(sandboxOf(info, web));
		assert.deepEqual(webSharing.separate, []);
		assert.deepEqual(webSharing.shared.map(c => c.name), ['app']);
		assert.deepEqual(webSharing.unknown.map(c => c.name), ['init']);
	});

	test('honours DOCKER_HOST: a socket with no daemon gives kind none and says why', async () => {
		process.env['DOCKER_HOST'] = 'unix:///tmp/k8snet-docker/no-daemon.sock';
		try {
			const info = await detectRuntime(shell);
			assert.equal(info.kind, 'none');
			assert.deepEqual(info.sandboxes, []);
			assert.match(info.note ?? '', /^docker: .*no-daemon\.sock.*: containers come from the API alone$/);
		} finally {
			process.env['DOCKER_HOST'] = DOCKER_HOST;
		}
	});

	test('a crictl that lists the pods but gives no pids (cri-dockerd answers so) defers to docker', async () => {
		// Stand-in crictl, as on a minikube node: the same sandboxes, but inspectp without `info`.
		const dir = mkdtempSync(join(tmpdir(), 'k8snet-crictl-'));
		const savedPath = process.env['PATH'];
		try {
			const items = pods.map(pod => ({id: pod.sandboxId, metadata: {name: pod.name, namespace: pod.namespace, uid: pod.uid}, state: 'SANDBOX_READY'}));
			writeFileSync(join(dir, 'pods.json'), JSON.stringify({items}));
			writeFileSync(
				join(dir, 'crictl'),
				`#!/bin/sh\ncase "$1" in\npods) cat ${dir}/pods.json ;;\nps) echo '{"containers": []}' ;;\n` +
					`inspectp) shift 3; for id in "$@"; do echo "{\\"status\\": {\\"id\\": \\"$id\\"}}"; done ;;\nesac\n`,
			);
			chmodSync(join(dir, 'crictl'), 0o755);
			process.env['PATH'] = `${dir}:${savedPath ?? ''}`;
			const probe = await probeRuntime(shell);
			assert.equal(probe.info.kind, 'docker');
			for (const pod of pods) assert.equal(sandboxOf(probe.info, pod).pid, pod.sandboxPid);
			assert.equal(probe.processes, 5); // crictl pods, ps, inspectp + docker ps, inspect
		} finally {
			process.env['PATH'] = savedPath;
			rmSync(dir, {recursive: true, force: true});
		}
	});

	test('costs a constant number of processes: 2 pods, then 12', async () => {
		const measure = async (): Promise<{ms: number; processes: number; sandboxes: number}> => {
			const runs = [];
			for (let i = 0; i < 5; i++) runs.push(await probeRuntime(shell));
			const times = runs.map(r => r.durationMs).sort((a, b) => a - b);
			return {ms: times[2] ?? NaN, processes: runs[0]?.processes ?? NaN, sandboxes: runs[0]?.info.sandboxes.length ?? 0};
		};

		const small = await measure();
		for (let i = 0; i < 10; i++) {
			const pod = createPod(`extra-${i}`, 'k8snet-rt');
			pods.push(pod);
			addContainer(pod, 'app', 'pod');
		}

		const large = await measure();
		console.log(
			`docker adapter (median of 5): ${small.sandboxes} pods ${small.ms.toFixed(1)} ms, ${small.processes} processes; ` +
				`${large.sandboxes} pods ${large.ms.toFixed(1)} ms, ${large.processes} processes ` +
				'(2 crictl attempts that find no crictl + docker ps + docker inspect; inodes read in-process)',
		);
		assert.equal(small.sandboxes, 2);
		assert.equal(large.sandboxes, 12);
		assert.equal(large.processes, small.processes);
		assert.ok(small.processes <= 4, `spawned ${small.processes} processes`);
		assert.equal(netnsSharing(sandboxOf(await detectRuntime(shell), pods.at(-1)!)).shared.length, 1);
	});
});
