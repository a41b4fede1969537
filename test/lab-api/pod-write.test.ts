// Pod create / get / watch / delete through the lab API with the real kubectl: a created pod runs
// its command in its node's network namespace (a netns of this test's own), goes Pending → Running
// → Succeeded / Failed by its exit code, dies at delete, and after a daemon restart is reported
// Failed rather than running. Makes a netns: run under the machine lock.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {setLabApiFaults} from '../../source/lab/api/admin-client.js';
import {startLabApiServer} from '../../source/lab/api/server.js';
import {needs} from '../support/prerequisites.js';
import {agentLikePod} from '../agent/agent-like-pod.js';
import {kubectlFor} from '../agent/kubectl.js';
import {type Fixture, plainLabState, startFixture, waitFor} from './lab-api-fixture.js';

const skip = needs({root: true, tools: ['kubectl', 'openssl', 'ip', 'nsenter', 'setpriv']});
const NETNS = `k8snet-podwrite-${process.pid}`;

/** Pids whose network namespace is `netns`. */
function pidsIn(netns: string): number[] {
	const out = execFileSync('ip', ['netns', 'pids', netns], {encoding: 'utf8'});
	return out.split('\n').filter(Boolean).map(Number);
}

describe('lab API pod writes', {skip}, () => {
	let f: Fixture;
	const kubectl = kubectlFor(() => f.server.kubeconfigPath, () => join(f.dir, 'kube-cache'));

	const phase = async (name: string) => (await kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'])).out;

	before(async () => {
		execFileSync('ip', ['netns', 'add', NETNS]);
		const state = plainLabState(2);
		state.nodeNetns = NETNS;
		f = await startFixture(state);
	});
	after(async () => {
		await f?.close();
		execFileSync('ip', ['netns', 'del', NETNS]);
	});

	test('create: Pending, then Running in the node netns; the watch shows it come and go at delete', async () => {
		const watch = spawn('kubectl', ['--kubeconfig', f.server.kubeconfigPath, 'get', 'pods', '-w', '--output-watch-events', '--no-headers']);
		let seen = '';
		watch.stdout.on('data', (d: Buffer) => (seen += d.toString()));
		try {
			await waitFor('the watch to list the lab pods', () => seen.includes('pod-0'), 10_000);
			const created = await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('sleeper', ['sleep', '300'])));
			assert.equal(created.code, 0, created.err);
			assert.match(created.out, /pod\/sleeper created/);
			await waitFor('Running', () => /MODIFIED\s+sleeper\s+1\/1\s+Running/.test(seen), 10_000);
			assert.match(seen, /ADDED\s+sleeper\s+0\/1\s+(Pending|ContainerCreating)/);
			const pod = JSON.parse((await kubectl(['get', 'pod', 'sleeper', '-o', 'json'])).out) as {spec: {nodeName: string; hostPID: boolean}; status: {podIP: string}};
			assert.equal(pod.spec.nodeName, 'k8snet-lab');
			assert.equal(pod.spec.hostPID, true, 'the spec as posted');
			assert.equal(pod.status.podIP, '198.51.100.2', "a hostNetwork pod's IP is its node's");
			const inNetns = pidsIn(NETNS).map(pid => execFileSync('cat', [`/proc/${pid}/cmdline`], {encoding: 'utf8'}));
			assert.ok(inNetns.some(c => c.startsWith('sleep\x00300')), `sleep 300 runs in the node netns: ${inNetns.join(' | ')}`);

			const deleted = await kubectl(['delete', 'pod', 'sleeper', '--wait=true', '--timeout=20s']);
			assert.equal(deleted.code, 0, deleted.err);
			await waitFor('DELETED', () => /DELETED\s+sleeper/.test(seen), 10_000);
			assert.equal(pidsIn(NETNS).length, 0, 'its process is gone with it');
			assert.match((await kubectl(['get', 'pod', 'sleeper'])).err, /pods "sleeper" not found/);
		} finally {
			watch.kill();
		}
	});

	test('exit 0 is Succeeded, exit 3 is Failed with the exit code', async () => {
		await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('ok', ['true'])));
		await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('bad', ['sh', '-c', 'exit 3'])));
		let ok = '';
		let bad = '';
		for (let i = 0; i < 50 && !(ok === 'Succeeded' && bad === 'Failed'); i++) {
			[ok, bad] = [await phase('ok'), await phase('bad')];
			await new Promise(r => setTimeout(r, 100));
		}

		assert.deepEqual([ok, bad], ['Succeeded', 'Failed']);
		const code = await kubectl(['get', 'pod', 'bad', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}']);
		assert.equal(code.out, '3');
		await kubectl(['delete', 'pod', 'ok', 'bad']);
	});

	test('refusals are worded as the apiserver words them, and create nothing', async () => {
		const notHost = await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('own-net', ['sleep', '1'], {hostNetwork: false})));
		assert.equal(notHost.code, 1);
		assert.match(notHost.err, /Pod "own-net" is invalid: spec.hostNetwork: Unsupported value: false/);
		await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('twice', ['sleep', '30'])));
		const again = await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('twice', ['sleep', '30'])));
		assert.match(again.err, /AlreadyExists.*pods "twice" already exists/);
		const noNs = await kubectl(['create', '--validate=false', '-n', 'nowhere', '-f', '-'], JSON.stringify(agentLikePod('x', ['sleep', '1'])));
		assert.match(noNs.err, /namespaces "nowhere" not found/);
		const labPod = await kubectl(['delete', 'pod', 'pod-0']);
		assert.notEqual(labPod.code, 0, "the lab's own pods are not deleted through the API");
		await kubectl(['delete', 'pod', 'twice']);
		assert.equal(pidsIn(NETNS).length, 0);
	});

	test('PodSecurity fault: the 403 a baseline namespace gives an agent-like pod', async () => {
		await setLabApiFaults(f.server.socket, {podSecurity: true});
		try {
			const pod = agentLikePod('psa', ['sleep', '30']);
			const spec = pod['spec'] as Record<string, unknown>;
			spec['volumes'] = [{name: 'netns', hostPath: {path: '/run/netns'}}];
			(spec['containers'] as Array<Record<string, unknown>>)[0]!['securityContext'] = {privileged: true};
			const r = await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(pod));
			assert.equal(r.code, 1);
			assert.match(
				r.err,
				/Error from server \(Forbidden\).*pods "psa" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostNetwork=true, hostPID=true\), hostPath volumes \(volume "netns"\), privileged \(container "agent" must not set securityContext.privileged=true\)/,
			);
			assert.match((await kubectl(['get', 'pod', 'psa'])).err, /not found/);
		} finally {
			await setLabApiFaults(f.server.socket, {});
		}
	});

	test('imagePull fault: the pod stays Pending, ErrImagePull then ImagePullBackOff, and runs nothing', async () => {
		await setLabApiFaults(f.server.socket, {imagePull: true});
		try {
			await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('nopull', ['sleep', '30'])));
			let reason = '';
			for (let i = 0; i < 60 && reason !== 'ImagePullBackOff'; i++) {
				reason = (await kubectl(['get', 'pod', 'nopull', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}'])).out;
				await new Promise(r => setTimeout(r, 100));
			}

			assert.equal(reason, 'ImagePullBackOff');
			assert.equal(await phase('nopull'), 'Pending');
			assert.match((await kubectl(['get', 'pod', 'nopull'])).out, /nopull\s+0\/1\s+ImagePullBackOff/);
			assert.equal(pidsIn(NETNS).length, 0);
		} finally {
			await setLabApiFaults(f.server.socket, {});
			await kubectl(['delete', 'pod', 'nopull']);
		}
	});

	test('after a daemon restart, a pod that was running is Failed (its process died with the daemon)', async () => {
		await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('survivor', ['sleep', '300'])));
		await waitFor('a process in the netns', () => pidsIn(NETNS).length > 0, 10_000);
		await f.server.close();
		assert.equal(pidsIn(NETNS).length, 0, 'closing the server killed it');
		f.server = await startLabApiServer({stateFile: f.stateFile, dir: f.dir});
		const pod = JSON.parse((await kubectl(['get', 'pod', 'survivor', '-o', 'json'])).out) as {status: {phase: string; reason: string}};
		assert.deepEqual([pod.status.phase, pod.status.reason], ['Failed', 'LabApiRestarted']);
		assert.equal((await kubectl(['delete', 'pod', 'survivor'])).code, 0);
	});
});
