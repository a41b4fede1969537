// The default lab (bridge CNI plugin, named netns sandboxes) on the real kernel, driven through the
// CLI: up, what the kernel and kubectl show, a second up, pod add/delete, down, and the root netns
// unchanged. Tests that run the lab run one at a time and always take it down.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite, assertKubectlMatches, assertPodsMatchKernel} from './lab-checks.js';
import {eth0Ips, eventually, lab, labLeftovers, processRunning, rootSnapshot, run, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'setpriv', 'kubectl'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
const rootBefore = aroundLabSuite(skip);

test('lab up: 3 pods wired by the bridge plugin, as status, the kernel and kubectl all say', {skip}, async () => {
	const up = await lab(['up', '--pods', '3']);
	assert.equal(up.code, 0, up.stderr);
	assert.match(up.stdout, /3 pods on node k8snet-lab .*bridge built by the CNI plugin/);
	console.log(`lab up --pods 3: ${up.ms} ms (CLI wall time, node start-up included)`);

	const st = await status();
	assert.equal(st.up, true);
	assert.equal(st.node, 'k8snet-lab');
	assert.equal(st.nodeNetns, 'k8snet-lab-node');
	assert.equal(st.builtWith, 'cni-plugin');
	assert.deepEqual(st.pods.map((p) => `${p.namespace}/${p.name}`), ['default/nginx-1', 'lab/nginx-2', 'default/nginx-3']);
	for (const p of st.pods) assert.match(p.netnsPath ?? '', /^\/run\/netns\/k8snet-lab-cni-/);
	await assertPodsMatchKernel(st);
	await eventually(() => assertKubectlMatches(st));

	// The minikube topology: the bridge with the gateway, one veth per pod enslaved to it.
	const links = JSON.parse(await run(['ip', '-n', 'k8snet-lab-node', '-j', '-d', 'addr'])) as Array<{ifname: string; master?: string; addr_info: Array<{local: string; prefixlen: number}>; linkinfo?: {info_kind: string}}>;
	const bridge = links.find((l) => l.ifname === 'bridge');
	assert.deepEqual(bridge?.addr_info.filter((a) => a.local.includes('.')).map((a) => `${a.local}/${a.prefixlen}`), ['10.244.0.1/16']);
	assert.equal(links.filter((l) => l.linkinfo?.info_kind === 'veth' && l.master === 'bridge').length, 3);
	assert.deepEqual(links.find((l) => l.ifname === 'eth0')?.addr_info.filter((a) => a.local.includes('.')).map((a) => a.local), ['198.51.100.2']);
});

test('a second up with the same options says "already up"; with others it refuses', {skip}, async () => {
	const pidsBefore = (await status()).pods.map((p) => p.sandboxPid);
	const same = await lab(['up', '--pods', '3']);
	assert.equal(same.code, 0);
	assert.match(same.stdout, /already up/);
	const other = await lab(['up', '--pods', '4']);
	assert.equal(other.code, 1);
	assert.match(other.stderr, /run `k8snet-tui lab down` first/);
	assert.deepEqual((await status()).pods.map((p) => p.sandboxPid), pidsBefore, 'nothing changed');
});

test('lab pod add / delete change the kernel, the state and the API together', {skip}, async () => {
	const add = await lab(['pod', 'add', 'default/web-1']);
	assert.equal(add.code, 0, add.stderr);
	let st = await status();
	const web = st.pods.find((p) => p.name === 'web-1');
	assert.ok(web?.netnsPath && web.sandboxPid);
	assert.deepEqual(await eth0Ips(web.netnsPath), web.kernelIps);
	await eventually(() => assertKubectlMatches(st));

	const dup = await lab(['pod', 'add', 'default/web-1']);
	assert.equal(dup.code, 1);

	const victim = st.pods.find((p) => p.name === 'nginx-2');
	assert.ok(victim?.netnsPath && victim.sandboxPid);
	const del = await lab(['pod', 'delete', 'lab/nginx-2']);
	assert.equal(del.code, 0, del.stderr);
	assert.equal(existsSync(victim.netnsPath), false, 'its netns is gone');
	for (const pid of [victim.sandboxPid, ...victim.containerPids]) assert.equal(processRunning(pid), false, `process ${pid} is gone`);
	st = await status();
	assert.deepEqual(st.pods.map((p) => p.name).sort(), ['nginx-1', 'nginx-3', 'web-1']);
	await eventually(() => assertKubectlMatches(st));

	assert.equal((await lab(['pod', 'delete', 'lab/nginx-2'])).code, 1);
	assert.equal((await lab(['pod', 'add', 'Bad/Name'])).code, 1);
});

test('lab down removes everything, twice is fine, and the root netns is as before', {skip}, async () => {
	const down = await lab(['down']);
	assert.equal(down.code, 0, down.stderr);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
	const again = await lab(['down']);
	assert.equal(again.code, 0);
	assert.match(again.stdout, /nothing to remove/);
	assert.deepEqual(await status(), {up: false, pods: []});
});
