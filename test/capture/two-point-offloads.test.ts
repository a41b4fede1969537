// GRO/GSO/TSO off on the lab's veths, so two capture points count the same packets: both ends of
// every pod's veth and each node's eth0 at `lab up`, and a pod added later; `lab up` without
// ethtool fails with one line and leaves nothing. Also measures what the ethtool calls cost at
// --pods 110 (one per device, run as lab up runs its pod builds: 6 at a time).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {readLabState, type LabPod} from '../../source/lab/lab-state.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {lab} from '../lab/lab-cli.js';
import {needs} from '../support/prerequisites.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'ethtool'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
aroundLabSuite(skip);

const exec = promisify(execFile);

/** `ethtool -k` of a device: feature → on/off. */
async function features(netnsPath: string, ifname: string): Promise<Map<string, string>> {
	const {stdout} = await exec('nsenter', [`--net=${netnsPath}`, 'ethtool', '-k', ifname]);
	return new Map([...stdout.matchAll(/^\s*([a-z-]+): (on|off)/gm)].map(m => [m[1]!, m[2]!]));
}

async function assertOff(netnsPath: string, ifname: string, where: string): Promise<void> {
	const f = await features(netnsPath, ifname);
	for (const name of ['generic-receive-offload', 'generic-segmentation-offload', 'tcp-segmentation-offload']) {
		assert.equal(f.get(name), 'off', `${where} ${ifname}: ${name}`);
	}
}

/** The host end of a pod's eth0 in its node: the link whose index is eth0's peer. */
async function hostVeth(pod: LabPod, nodeNetns: string): Promise<string> {
	const [eth0] = JSON.parse((await exec('nsenter', [`--net=${pod.netnsPath!}`, 'ip', '-j', 'link', 'show', 'eth0'])).stdout) as Array<{link_index: number}>;
	const links = JSON.parse((await exec('ip', ['-n', nodeNetns, '-j', 'link'])).stdout) as Array<{ifindex: number; ifname: string}>;
	return links.find(l => l.ifindex === eth0!.link_index)!.ifname;
}

test('lab up without ethtool: one line with its hint, exit 1, no lab left', {skip}, async () => {
	const r = await lab(['up', '--pods', '2'], {K8SNET_LAB_ETHTOOL: '/nonexistent/ethtool'}, 'bundle');
	assert.notEqual(r.code, 0);
	// The lab's failure shape: the reason on one line, then its hint.
	const lines = r.stderr.trim().split('\n');
	assert.match(lines[0]!, /^lab up: \/nonexistent\/ethtool is not installed: the lab turns GRO\/GSO off on its veths/, r.stderr);
	assert.match(lines[1]!, /^\s+hint: apt-get install ethtool$/, r.stderr);
	assert.equal(readLabState(), null, 'no lab state');
});

test('lab up --nodes 2: offloads off on both ends of every pod veth and on each node eth0, and on a pod added later', {skip}, async () => {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const up = await lab(['up', '--nodes', '2', '--overlay', 'vxlan', '--pods', '2'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const state = readLabState()!;
	for (const node of state.nodes!) await assertOff(`/run/netns/${node.netns}`, 'eth0', node.name);
	const wired = (s: typeof state) => s.pods.filter(p => p.kind === 'normal');
	for (const pod of wired(state)) {
		const node = state.nodes!.find(n => n.name === pod.node)!;
		await assertOff(pod.netnsPath!, 'eth0', `${pod.name}`);
		await assertOff(`/run/netns/${node.netns}`, await hostVeth(pod, node.netns), `${pod.name}'s host end`);
	}

	const added = await lab(['pod', 'add', 'default/later'], {}, 'bundle');
	assert.equal(added.code, 0, added.stderr);
	const later = readLabState()!.pods.find(p => p.name === 'later')!;
	const node = state.nodes!.find(n => n.name === later.node)!;
	await assertOff(later.netnsPath!, 'eth0', 'later');
	await assertOff(`/run/netns/${node.netns}`, await hostVeth(later, node.netns), 'later\'s host end');
	assert.equal((await lab(['down'], {}, 'bundle')).code, 0);
});

test('lab up --pods 110: what the ethtool calls cost', {skip}, async () => {
	const started = Date.now();
	const up = await lab(['up', '--pods', '110'], {}, 'bundle');
	const upMs = Date.now() - started;
	assert.equal(up.code, 0, up.stderr);
	const state = readLabState()!;
	const pods = state.pods.filter(p => p.kind === 'normal');
	const devices = await Promise.all(pods.map(async p => [[p.netnsPath!, 'eth0'], [`/run/netns/${state.nodeNetns}`, await hostVeth(p, state.nodeNetns)]] as const));
	const queue = devices.flat();
	const again = Date.now();
	await Promise.all(Array.from({length: 6}, async () => {
		for (let next = queue.shift(); next; next = queue.shift()) await exec('nsenter', [`--net=${next[0]}`, 'ethtool', '-K', next[1], 'gro', 'off', 'gso', 'off', 'tso', 'off']);
	}));
	const ethtoolMs = Date.now() - again;
	console.log(`lab up --pods 110: ${upMs} ms in all; its ${devices.length * 2} ethtool calls, 6 at a time: ${ethtoolMs} ms`);
	assert.ok(ethtoolMs < upMs, 'the offloads are a small part of lab up');
});
