// `lab fault add|clear|list` on a 2-node VXLAN lab: each fault makes the one kernel change it names,
// `clear` restores the node (and pod) exactly as before, and the pods reach each other again.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {type LabState, readLabState} from '../../source/lab/lab-state.js';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite} from './lab-checks.js';
import {eventually, lab, run} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter', 'unshare', 'setpriv', 'ping'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
aroundLabSuite(skip);

type Json = Array<Record<string, unknown>>;
const inNs = async (path: string, argv: string[]) => run(['nsenter', `--net=${path}`, '--', ...argv]);
const json = async (path: string, argv: string[]) => JSON.parse((await inNs(path, argv)) || '[]') as Json;

/** What a fault may touch in a node, without what changes by itself (counters, learned neighbours). */
async function nodeSnapshot(netns: string): Promise<string> {
	const path = `/run/netns/${netns}`;
	const links = (await json(path, ['ip', '-j', 'link'])).map((l) => ({ifname: l['ifname'], flags: l['flags'], mtu: l['mtu'], operstate: l['operstate'], master: l['master']}));
	const routes = await json(path, ['ip', '-j', 'route']);
	const neighs = (await json(path, ['ip', '-j', 'neigh'])).filter((n) => (n['state'] as string[] | undefined)?.includes('PERMANENT'));
	const fdb = await json(path, ['bridge', '-j', 'fdb', 'show', 'dev', 'flannel.1']);
	const nft = await inNs(path, ['nft', 'list', 'ruleset']);
	return JSON.stringify({links, routes, neighs, fdb, nft}, null, 1);
}

async function podSnapshot(netnsPath: string): Promise<string> {
	return JSON.stringify({links: (await json(netnsPath, ['ip', '-j', 'link'])).map((l) => [l['ifname'], l['mtu'], l['flags']]), routes: await json(netnsPath, ['ip', '-j', 'route'])});
}

async function reaches(from: string, ip: string): Promise<boolean> {
	try {
		await inNs(from, ['ping', '-4', '-q', '-c', '1', '-W', '3', ip]);
		return true;
	} catch {
		return false;
	}
}

async function fault(args: string[]): Promise<string> {
	const r = await lab(['fault', ...args]);
	assert.equal(r.code, 0, `lab fault ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

let state: LabState;
const node1 = 'k8snet-lab-node';

test('a 2-node vxlan lab for the faults', {skip}, async () => {
	const up = await lab(['up', '--nodes', '2', '--overlay', 'vxlan', '--pods', '2']);
	assert.equal(up.code, 0, up.stderr);
	state = readLabState()!;
	const [a, b] = state.pods;
	assert.equal(a?.node, 'k8snet-lab');
	assert.equal(b?.node, 'k8snet-lab-m02');
	assert.ok(await reaches(a!.netnsPath!, b!.ip!));
});

/** Each fault: the change it names is in the kernel, clear restores node and pod exactly, the pods reach each other. */
const cases: Array<{args: string[]; check: (s: LabState) => Promise<void>}> = [
	{
		args: ['veth-down', 'default/nginx-1'],
		check: async (s) => {
			const eth0 = (await json(s.pods[0]!.netnsPath!, ['ip', '-j', 'link', 'show', 'dev', 'eth0']))[0]!;
			const veth = (await json(`/run/netns/${node1}`, ['ip', '-j', 'link'])).find((l) => l['ifindex'] === eth0['link_index'])!;
			assert.ok(!(veth['flags'] as string[]).includes('UP'), `${String(veth['ifname'])} is down`);
		},
	},
	{
		args: ['fdb-missing', 'k8snet-lab', 'k8snet-lab-m02'],
		check: async (s) => {
			const fdb = await json(`/run/netns/${node1}`, ['bridge', '-j', 'fdb', 'show', 'dev', 'flannel.1']);
			assert.ok(!fdb.some((e) => e['mac'] === s.nodes![1]!.vtep!.mac), 'the peer VTEP MAC has no fdb entry');
		},
	},
	{
		args: ['neigh-missing', 'k8snet-lab', 'k8snet-lab-m02'],
		check: async () => {
			const neighs = await json(`/run/netns/${node1}`, ['ip', '-j', 'neigh', 'show', 'dev', 'flannel.1']);
			assert.ok(!neighs.some((n) => n['dst'] === '10.244.1.0' && (n['state'] as string[]).includes('PERMANENT')));
		},
	},
	{
		args: ['route-missing', 'k8snet-lab', '10.244.1.0/24'],
		check: async () => {
			const routes = await json(`/run/netns/${node1}`, ['ip', '-j', 'route']);
			assert.ok(!routes.some((r) => r['dst'] === '10.244.1.0/24'));
		},
	},
	{
		args: ['blackhole', 'k8snet-lab', '10.244.1.0/24'],
		check: async () => {
			const routes = await json(`/run/netns/${node1}`, ['ip', '-j', 'route']);
			assert.deepEqual(routes.filter((r) => r['dst'] === '10.244.1.0/24').map((r) => r['type']), ['blackhole']);
		},
	},
	{
		args: ['mtu', 'default/nginx-1', '9000'],
		check: async (s) => {
			const eth0 = (await json(s.pods[0]!.netnsPath!, ['ip', '-j', 'link', 'show', 'dev', 'eth0']))[0]!;
			assert.equal(eth0['mtu'], 9000);
		},
	},
	{
		args: ['drop', 'k8snet-lab', 'default/nginx-1'],
		check: async (s) => {
			const ruleset = await inNs(`/run/netns/${node1}`, ['nft', 'list', 'table', 'inet', 'k8snet-lab-faults']);
			assert.match(ruleset, /chain drop-default-nginx-1 \{[\s\S]*hook forward[\s\S]*ip saddr 10\.244\.0\.\d+ counter packets \d+ bytes \d+ drop/);
			assert.equal(await reaches(s.pods[0]!.netnsPath!, s.pods[1]!.ip!), false, 'forwarded traffic of the pod is dropped');
		},
	},
];

for (const c of cases) {
	test(`fault ${c.args.join(' ')}: the kernel change, then clear restores it exactly`, {skip}, async () => {
		const [a, b] = state.pods as [LabState['pods'][0], LabState['pods'][0]];
		const before = {node: await nodeSnapshot(node1), pod: await podSnapshot(a.netnsPath!)};
		const out = await fault(['add', ...c.args]);
		assert.match(out, new RegExp(`set '${c.args.join(' ')}'`));
		await c.check(state);
		assert.match(await fault(['list']), new RegExp(c.args.join(' ')));
		const after = {node: await nodeSnapshot(node1), pod: await podSnapshot(a.netnsPath!)};
		assert.notDeepEqual(after, before, 'the fault changed the kernel');
		await fault(['clear', ...c.args]);
		await eventually(async () => assert.deepEqual({node: await nodeSnapshot(node1), pod: await podSnapshot(a.netnsPath!)}, before), 6000);
		assert.ok(await reaches(a.netnsPath!, b.ip!), 'reachable again after clear');
		assert.match(await fault(['list']), /no fault is set/);
	});
}

test('clear --all restores several faults at once; refusals are one line', {skip}, async () => {
	const a = state.pods[0]!;
	const before = {node: await nodeSnapshot(node1), pod: await podSnapshot(a.netnsPath!)};
	const together = cases.filter((c) => c.args[0] !== 'blackhole');
	for (const c of together) await fault(['add', ...c.args]);
	const again = await lab(['fault', 'add', ...cases[0]!.args]);
	assert.equal(again.code, 1);
	assert.match(again.stderr, /already set/);
	const sameRoute = await lab(['fault', 'add', 'blackhole', 'k8snet-lab', '10.244.1.0/24']);
	assert.equal(sameRoute.code, 1, 'a blackhole over a route another fault removed is refused');
	assert.match(sameRoute.stderr, /route-missing k8snet-lab 10\.244\.1\.0\/24' is set on the same object/);
	const cleared = await fault(['clear', '--all']);
	assert.equal((cleared.match(/'/g) ?? []).length, together.length * 2, cleared);
	await eventually(async () => assert.deepEqual({node: await nodeSnapshot(node1), pod: await podSnapshot(a.netnsPath!)}, before), 6000);

	for (const bad of [
		['add', 'ipip', 'x'],
		['add', 'mtu', 'default/nginx-1', '1400'],
		['add', 'route-missing', 'k8snet-lab', '10.244.0.0/24'],
		['add', 'fdb-missing', 'k8snet-lab', 'k8snet-lab'],
		['add', 'drop', 'k8snet-lab', 'default/no-such-pod'],
		['add', 'blackhole', 'k8snet-lab', '10.244.1.7/24'],
		['clear', 'veth-down', 'default/nginx-1'],
	]) {
		const r = await lab(['fault', ...bad]);
		assert.equal(r.code, 1, bad.join(' '));
		assert.match(r.stderr, /^lab fault (add|clear): .+\n {2}hint: .+\n$/, r.stderr);
	}
});
