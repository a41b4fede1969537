// Lab commands run at once, as scripts and impatient users run them: concurrent `lab up`s, 20
// parallel `lab pod add`s, and `lab up` on a lab whose API daemons died. The lock must make them
// one at a time, so state, kernel and API agree afterwards and nothing is left orphaned.
// Runs the bundle (`npm run build` first): 20 tsx start-ups at once would take most of a minute here.
import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite, assertKubectlMatches, assertPodsMatchKernel} from './lab-checks.js';
import {eventually, lab, labLeftovers, processRunning, readArgv0, rootSnapshot, run, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'kubectl'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
const rootBefore = aroundLabSuite(skip);
const UP = ['up', '--pods', '2'];

const labNetns = () => readdirSync('/run/netns').filter((n) => n.startsWith('k8snet-lab-cni-')).sort();

test('three concurrent `lab up`s: one builds, the other two find it already up', {skip}, async () => {
	const runs = await Promise.all([0, 1, 2].map(async () => lab(UP, {}, 'bundle')));
	for (const r of runs) assert.equal(r.code, 0, r.stderr);
	assert.equal(runs.filter((r) => /lab up: 2 pods/.test(r.stdout)).length, 1, runs.map((r) => r.stdout).join('\n'));
	assert.equal(runs.filter((r) => /already up \(same options\); nothing changed/.test(r.stdout)).length, 2);
	const st = await status();
	assert.equal(st.pods.length, 2);
	await assertPodsMatchKernel(st);
});

test('20 parallel `lab pod add`s: every pod is in the state, the kernel and the API; no orphan netns', {skip}, async () => {
	const names = Array.from({length: 20}, (_, i) => `default/par-${i}`);
	const started = Date.now();
	const runs = await Promise.all(names.map(async (n) => lab(['pod', 'add', n], {}, 'bundle')));
	console.log(`20 parallel lab pod add: ${Date.now() - started} ms`);
	runs.forEach((r, i) => {
		assert.equal(r.code, 0, `${names[i]}: ${r.stderr}`);
		assert.match(r.stdout, new RegExp(`pod ${names[i]} added \\(10\\.244\\.`));
	});

	const st = await status();
	const keys = st.pods.map((p) => `${p.namespace}/${p.name}`);
	for (const n of names) assert.equal(keys.filter((k) => k === n).length, 1, `${n} is in the state once`);
	assert.equal(st.pods.length, 22);
	const ips = st.pods.map((p) => p.ip);
	assert.ok(ips.every((ip) => ip !== null), 'every pod has an IP');
	assert.equal(new Set(ips).size, ips.length, 'no IP given twice');
	await assertPodsMatchKernel(st);
	await eventually(() => assertKubectlMatches(st), 10_000);
	assert.deepEqual(labNetns(), st.pods.flatMap((p) => (p.netnsName ? [p.netnsName] : [])).sort(), 'the netns are exactly the pods\' ones');
});

test('`lab up` on a lab whose API daemons were killed -9 restarts them and says so; the API answers after', {skip}, async () => {
	const before = await status();
	for (const [title, said] of [
		['k8snet-lab-api', /the API server had died: restarted it on port \d+/],
		['k8snet-lab-api-fwd', /the API forwarder had died: restarted it/],
	] as const) {
		const pids = (await status()).daemonPids!;
		const pid = pids.find((p) => readArgv0(p) === title);
		assert.ok(pid, `a ${title} daemon among ${pids.join(' ')}`);
		process.kill(pid, 'SIGKILL');
		await eventually(async () => assert.equal(processRunning(pid), false), 5000);

		const r = await lab(UP, {}, 'bundle');
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, said);
		const st = await status();
		assert.equal(st.apiServer, before.apiServer, 'the same API address, so kubeconfigs stay right');
		assert.ok(!st.daemonPids!.includes(pid));
		await eventually(() => assertKubectlMatches(st), 10_000);
		// Inside the node netns, 127.0.0.1:PORT is the forwarder, piping to the (new) server.
		const inNode = await run(['nsenter', '--net=/run/netns/k8snet-lab-node', '--', 'kubectl', '--kubeconfig', st.kubeconfig!, 'get', 'pods', '-A', '--no-headers']);
		assert.equal(inNode.trim().split('\n').length, st.pods.length);
	}

	const again = await lab(UP, {}, 'bundle');
	assert.match(again.stdout, /already up \(same options\); nothing changed/);
});

test('lab down leaves nothing behind', {skip}, async () => {
	const down = await lab(['down'], {}, 'bundle');
	assert.equal(down.code, 0, down.stderr);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
});
