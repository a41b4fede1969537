// The routed lab (ptp CNI plugin: a /32 route per pod, no bridge) with Docker-style sandboxes: each
// pod's netns is held only by its pause process, with no name under /run/netns.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite, assertKubectlMatches, assertPodsMatchKernel} from './lab-checks.js';
import {eventually, lab, labLeftovers, netnsHolders, rootSnapshot, run, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'kubectl'], files: ['/usr/lib/cni/ptp', '/usr/lib/cni/host-local']});
const rootBefore = aroundLabSuite(skip);

test('lab up --cni ptp --sandbox process: routed pods in unnamed netns', {skip}, async () => {
	const up = await lab(['up', '--pods', '3', '--cni', 'ptp', '--sandbox', 'process']);
	assert.equal(up.code, 0, up.stderr);
	assert.match(up.stdout, /ptp built by the CNI plugin/);
	const st = await status();
	assert.equal(st.pods.length, 3);
	for (const p of st.pods) {
		assert.equal(p.netnsPath, `/proc/${p.sandboxPid}/ns/net`);
		assert.equal(p.netnsName, null);
	}

	await assertPodsMatchKernel(st);
	await eventually(() => assertKubectlMatches(st));

	const routes = JSON.parse(await run(['ip', '-n', 'k8snet-lab-node', '-j', 'route'])) as Array<{dst: string; dev: string}>;
	for (const p of st.pods) {
		const r = routes.find((x) => x.dst === p.ip);
		assert.ok(r?.dev.startsWith('veth'), `a /32 route to ${p.ip} through a veth`);
	}

	const links = JSON.parse(await run(['ip', '-n', 'k8snet-lab-node', '-j', 'link'])) as Array<{ifname: string}>;
	assert.equal(links.some((l) => l.ifname === 'bridge'), false, 'no bridge');
	const named = (await run(['ip', 'netns', 'list'])).split('\n').filter((l) => l.startsWith('k8snet-lab'));
	assert.deepEqual(named.map((l) => l.split(' ')[0]).sort(), ['k8snet-lab-node', 'k8snet-lab-world'], 'pods have no named netns');

	// Routed pods reach each other through the node (ping runs inside a lab pod, to a lab pod).
	const [a, b] = st.pods;
	assert.ok(a?.netnsPath && b?.ip);
	await run(['nsenter', `--net=${a.netnsPath}`, '--', 'ping', '-c', '1', '-W', '2', b.ip]);
});

test('pod delete in process style: the sandbox process and its netns go', {skip}, async () => {
	const st = await status();
	const victim = st.pods[0];
	assert.ok(victim?.sandboxPid);
	const netns = (await run(['readlink', `/proc/${victim.sandboxPid}/ns/net`])).trim();
	assert.equal(netnsHolders(netns).length, 1 + victim.containerPids.length, 'the pause and its containers hold the netns');
	assert.equal((await lab(['pod', 'delete', `${victim.namespace}/${victim.name}`])).code, 0);
	assert.deepEqual(netnsHolders(netns), [], 'no process holds its netns any more: it is gone');
	const after_ = await status();
	assert.equal(after_.pods.length, 2);
	const routes = JSON.parse(await run(['ip', '-n', 'k8snet-lab-node', '-j', 'route'])) as Array<{dst: string}>;
	assert.equal(routes.some((r) => r.dst === victim.ip), false, 'its /32 route is gone');
});

test('lab down leaves the root netns as it was', {skip}, async () => {
	assert.equal((await lab(['down'])).code, 0);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
});
