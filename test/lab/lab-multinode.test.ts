// `lab up --nodes 3` on the real kernel, with flannel's VXLAN and with plain routes (ptp): the
// underlay, each node's overlay entries against the peers' records, cross-node pings, the API's
// nodes and pods, `dump` on node 1, and the root netns unchanged. One lab at a time, always down.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {DumpDocument} from '../../source/core/dump-output.js';
import {type LabState, readLabState} from '../../source/lab/lab-state.js';
import {k8snet} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite, assertPodsMatchKernel} from './lab-checks.js';
import {eventually, kubectlPods, lab, labLeftovers, rootSnapshot, run, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nsenter', 'unshare', 'setpriv', 'kubectl', 'ping'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/ptp', '/usr/lib/cni/host-local']});
const rootBefore = aroundLabSuite(skip);

type Json = Array<Record<string, unknown>>;
const ipJson = async (netns: string, args: string[]) => JSON.parse(await run(['ip', '-n', netns, '-j', ...args])) as Json;

async function up(args: string[]): Promise<LabState> {
	const r = await lab(['up', ...args]);
	assert.equal(r.code, 0, r.stderr);
	console.log(`lab up ${args.join(' ')}: ${r.ms} ms (CLI wall time)`);
	const state = readLabState();
	assert.ok(state?.nodes, 'the state records the nodes');
	return state;
}

/** One ping from a pod to an address; true when a reply came back. */
async function ping(netnsPath: string, ip: string, extra: string[] = []): Promise<boolean> {
	try {
		await run(['nsenter', `--net=${netnsPath}`, '--', 'ping', '-4', '-q', '-c', '1', '-W', '4', ...extra, ip]);
		return true;
	} catch {
		return false;
	}
}

/** Every wired pod pings every other one; returns the pairs that got no reply. */
async function unreachablePairs(state: LabState): Promise<string[]> {
	const pods = state.pods.filter((p) => p.kind === 'normal');
	const failures: string[] = [];
	await Promise.all(
		pods.flatMap((from) =>
			pods
				.filter((to) => to !== from)
				.map(async (to) => {
					if (!(await ping(from.netnsPath!, to.ip!))) failures.push(`${from.name}@${from.node} → ${to.name}@${to.node}`);
				}),
		),
	);
	return failures;
}

async function assertUnderlay(state: LabState): Promise<void> {
	const sw = await ipJson('k8snet-lab-underlay', ['-d', 'addr']);
	const ports = sw.filter((l) => l['master'] === 'underlay').map((l) => l['ifname']);
	assert.deepEqual([...ports].sort(), ['node1', 'node2', 'node3', 'world']);
	const global = sw.flatMap((l) => (l['addr_info'] as Array<{scope: string; local: string}>).filter((a) => a.scope === 'global').map((a) => a.local));
	assert.deepEqual(global, [], 'the switch has no address of its own');
	for (const n of state.nodes!) {
		const eth0 = (await ipJson(n.netns, ['-4', 'addr', 'show', 'dev', 'eth0']))[0] as {addr_info: Array<{local: string; prefixlen: number}>; mtu: number};
		assert.deepEqual(eth0.addr_info.map((a) => `${a.local}/${a.prefixlen}`), [`${n.ip}/24`], `${n.name} eth0`);
		assert.equal(eth0.mtu, 1500);
	}
}

async function assertApi(state: LabState): Promise<void> {
	const nodes = JSON.parse(await run(['kubectl', '--kubeconfig', state.kubeconfig, 'get', 'nodes', '-o', 'json'])) as {
		items: Array<{metadata: {name: string; annotations?: Record<string, string>}; spec: {podCIDR?: string}; status: {addresses: Array<{type: string; address: string}>}}>;
	};
	assert.deepEqual(
		nodes.items.map((n) => [n.metadata.name, n.status.addresses.find((a) => a.type === 'InternalIP')?.address, n.spec.podCIDR]),
		state.nodes!.map((n) => [n.name, n.ip, n.podCIDR]),
	);
	for (const n of state.nodes!) {
		const annotations = nodes.items.find((i) => i.metadata.name === n.name)?.metadata.annotations ?? {};
		if (n.vtep) {
			assert.deepEqual(JSON.parse(annotations['flannel.alpha.coreos.com/backend-data'] ?? 'null'), {VNI: 1, VtepMAC: n.vtep.mac});
			assert.equal(annotations['flannel.alpha.coreos.com/public-ip'], n.ip);
		} else {
			assert.equal(annotations['flannel.alpha.coreos.com/backend-data'], undefined, 'no flannel lease without vxlan');
		}
	}

	const rows = await kubectlPods(state.kubeconfig);
	assert.equal(rows.size, state.pods.length);
	for (const p of state.pods) {
		const row = rows.get(`${p.namespace}/${p.name}`);
		assert.equal(row?.node, p.node, `${p.name}: kubectl NODE`);
		assert.equal(row?.ip, p.ip, `${p.name}: kubectl IP`);
		assert.ok(p.ip?.startsWith(state.nodes!.find((n) => n.name === p.node)!.podCIDR.replace(/0\/24$/, '')), `${p.name} has an IP of its node's podCIDR`);
	}
}

test('--nodes 3 --overlay vxlan: flannel.1, the peers\' route/neigh/fdb from their leases, pod MTU 1450, pings across nodes', {skip}, async () => {
	const state = await up(['--nodes', '3', '--overlay', 'vxlan', '--pods', '2', '--traffic']);
	assert.equal(state.nodes!.length, 3);
	assert.equal(state.pods.length, 6);
	await assertUnderlay(state);
	await assertPodsMatchKernel(await status());

	for (const n of state.nodes!) {
		const dev = (await ipJson(n.netns, ['-d', 'link', 'show', 'dev', 'flannel.1']))[0] as {mtu: number; address: string; linkinfo: {info_kind: string; info_data: Record<string, unknown>}};
		assert.equal(dev.linkinfo.info_kind, 'vxlan');
		assert.equal(dev.address, n.vtep!.mac);
		assert.equal(dev.mtu, 1450);
		assert.equal(dev.linkinfo.info_data['id'], 1);
		assert.equal(dev.linkinfo.info_data['port'], 8472);
		assert.equal(dev.linkinfo.info_data['learning'], false);
		assert.equal(dev.linkinfo.info_data['local'], n.ip);
		const addrs = (await ipJson(n.netns, ['-4', 'addr', 'show', 'dev', 'flannel.1']))[0] as {addr_info: Array<{local: string; prefixlen: number}>};
		assert.deepEqual(addrs.addr_info.map((a) => `${a.local}/${a.prefixlen}`), [n.podCIDR.replace('/24', '/32')]);

		const routes = await ipJson(n.netns, ['route', 'show', 'dev', 'flannel.1']);
		const neighs = await ipJson(n.netns, ['neigh', 'show', 'dev', 'flannel.1']);
		const fdb = JSON.parse(await run(['bridge', '-n', n.netns, '-j', 'fdb', 'show', 'dev', 'flannel.1'])) as Json;
		const peers = state.nodes!.filter((p) => p.name !== n.name);
		assert.equal(routes.length, peers.length, `${n.name}: one overlay route per peer`);
		for (const peer of peers) {
			const gw = peer.podCIDR.replace('/24', '');
			const route = routes.find((r) => r['dst'] === peer.podCIDR);
			assert.equal(route?.['gateway'], gw, `${n.name} → ${peer.podCIDR}`);
			assert.ok((route?.['flags'] as string[]).includes('onlink'));
			const neigh = neighs.find((e) => e['dst'] === gw);
			assert.equal(neigh?.['lladdr'], peer.vtep!.mac);
			assert.deepEqual(neigh?.['state'], ['PERMANENT']);
			const entry = fdb.find((e) => e['mac'] === peer.vtep!.mac);
			assert.equal(entry?.['dst'], peer.ip, `${n.name}: fdb ${peer.vtep!.mac} → ${peer.ip}`);
		}
	}

	for (const p of state.pods) {
		const eth0 = JSON.parse(await run(['nsenter', `--net=${p.netnsPath}`, '--', 'ip', '-j', 'link', 'show', 'dev', 'eth0'])) as Array<{mtu: number}>;
		assert.equal(eth0[0]?.mtu, 1450, `${p.name}: the CNI set the overlay's MTU`);
	}

	assert.deepEqual(await unreachablePairs(state), []);
	// A full-size packet for the overlay's MTU crosses nodes unfragmented (1450 − 28 bytes of IP + ICMP).
	const [a, b] = state.pods as [LabState['pods'][0], LabState['pods'][0]];
	assert.notEqual(a.node, b.node);
	assert.ok(await ping(a.netnsPath!, b.ip!, ['-M', 'do', '-s', '1422']));
	assert.ok(state.trafficPids.length >= 2, 'the traffic pingers run');
	await eventually(() => assertApi(state));

	// dump inspects node 1: its pods map as the kernel says, the others' are not on this node.
	const result = await k8snet(['dump', '--json', '--all-nodes', '--kubeconfig', state.kubeconfig]);
	assert.equal(result.code, 0, result.stderr);
	const document = JSON.parse(result.stdout) as DumpDocument;
	assert.equal(document.node, 'k8snet-lab');
	for (const p of state.pods) {
		const path = document.pods.find((d) => d.uid === p.uid);
		assert.ok(path, `${p.name} listed`);
		assert.equal(path.status, p.node === 'k8snet-lab' ? 'resolved' : 'not-on-this-node', `${p.name}@${p.node}: ${path.evidence.join(' | ')}`);
	}

	// Every other node is reached through the registry too: its pods map as that node's kernel says.
	for (const n of state.nodes!.slice(1)) {
		const other = await k8snet(['dump', '--json', '--node', n.name, '--kubeconfig', state.kubeconfig]);
		assert.equal(other.code, 0, other.stderr);
		const doc = JSON.parse(other.stdout) as DumpDocument;
		assert.equal(doc.node, n.name);
		assert.deepEqual(doc.access, {kind: 'lab', target: n.netns});
		const links = await ipJson(n.netns, ['link']);
		const mine = state.pods.filter((p) => p.node === n.name && p.kind === 'normal');
		assert.ok(mine.length > 0);
		for (const p of mine) {
			const path = doc.pods.find((d) => d.uid === p.uid);
			assert.equal(path?.status, 'resolved', `${p.name}@${n.name}: ${path?.evidence.join(' | ')}`);
			const eth0 = (JSON.parse(await run(['nsenter', `--net=${p.netnsPath!}`, 'ip', '-j', 'link', 'show', 'eth0'])) as Array<{link_index: number}>)[0]!;
			assert.equal(path.peer?.ifname, links.find((l) => l['ifindex'] === eth0.link_index)?.['ifname'], `${p.name}: the peer is the node's interface with eth0's iflink`);
		}
	}

	const down = await lab(['down']);
	assert.equal(down.code, 0);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore(), 'the root netns is as before');
});

test('--nodes 3 --overlay routed --cni ptp: remote podCIDRs via the node IPs, /32 per pod, no bridge, pings across nodes', {skip}, async () => {
	await lab(['down']);
	const state = await up(['--nodes', '3', '--overlay', 'routed', '--cni', 'ptp', '--pods', '2']);
	await assertUnderlay(state);
	await assertPodsMatchKernel(await status());
	for (const n of state.nodes!) {
		const links = await ipJson(n.netns, ['-d', 'link']);
		assert.ok(!links.some((l) => (l['linkinfo'] as {info_kind?: string} | undefined)?.info_kind === 'bridge'), `${n.name}: no bridge`);
		assert.ok(!links.some((l) => l['ifname'] === 'flannel.1'), `${n.name}: no VXLAN device`);
		const routes = await ipJson(n.netns, ['route']);
		for (const peer of state.nodes!.filter((p) => p.name !== n.name)) {
			const route = routes.find((r) => r['dst'] === peer.podCIDR);
			assert.deepEqual([route?.['gateway'], route?.['dev']], [peer.ip, 'eth0'], `${n.name} → ${peer.podCIDR}`);
		}

		for (const p of state.pods.filter((x) => x.node === n.name)) {
			const route = routes.find((r) => r['dst'] === p.ip);
			assert.match(String(route?.['dev']), /^veth/, `${n.name}: ${p.ip}/32 dev <host veth>`);
		}
	}

	assert.deepEqual(await unreachablePairs(state), []);
	await eventually(() => assertApi(state));
});
