// The path walk on facts recorded from the lab (test/fixtures/path/, record-path.ts): the hops
// §3 lists for each layout, every lab fault named at its hop, rp_filter, and facts that are missing.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {buildPathDocument} from '../../source/core/path/path-document.js';
import type {HopKind, PathDocument} from '../../source/core/path/types.js';
import {documentOf, nodesOf, type PathRecording} from './path-recording.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/path/${name}.path.json`, import.meta.url), 'utf8')) as PathRecording;
const kinds = (doc: PathDocument, reverse = false) => (reverse ? doc.reverse.hops : doc.hops).map(h => h.kind);
const broken = (doc: PathDocument, reverse = false) => (reverse ? doc.reverse.hops : doc.hops).filter(h => !h.ok);

const VXLAN_CROSS: HopKind[] = ['pod-eth0', 'host-veth', 'bridge', 'route', 'vxlan', 'underlay', 'underlay', 'vxlan', 'route', 'bridge', 'host-veth', 'pod-eth0'];
const ROUTED_CROSS: HopKind[] = ['pod-eth0', 'host-veth', 'route', 'underlay', 'underlay', 'route', 'host-veth', 'pod-eth0'];

test('vxlan across nodes: the hops of §3 both ways, each on its node, reachable', () => {
	const r = load('lab-vxlan-3nodes.cross');
	const doc = documentOf(r);
	assert.equal(doc.verdict, 'reachable', JSON.stringify(broken(doc)));
	assert.deepEqual(kinds(doc), VXLAN_CROSS);
	assert.deepEqual(kinds(doc, true), VXLAN_CROSS);
	const far = r.nodes.find(n => n.name !== r.from.node)!.name;
	assert.deepEqual(doc.hops.map(h => h.node), [...Array(6).fill(r.from.node), ...Array(6).fill(far)]);
	// The VXLAN hop's evidence names the neighbour and fdb entries the kernel holds.
	const vx = doc.hops[4]!;
	assert.match(vx.evidence.map(e => e.expect).join('\n'), /lladdr [0-9a-f:]{17} PERMANENT/);
	assert.match(vx.evidence.map(e => e.expect).join('\n'), new RegExp(`dst ${r.nodes.find(n => n.name === far)!.internalIPs[0]!.replaceAll('.', '\\.')}`));
	assert.ok(doc.hops.every(h => h.evidence.length > 0 && h.evidence.every(e => e.command.startsWith(`ip netns exec ${(r.nodes.find(n => n.name === h.node)!.access.target)}`))));
	assert.equal(doc.hops[0]!.ifname, r.from.eth0!.ifname);
	assert.equal(doc.hops[1]!.ifindex, r.from.peer!.ifindex);
});

test('routed (ptp) across nodes: no bridge, no VXLAN, the far node\'s InternalIP as gateway', () => {
	const doc = documentOf(load('lab-routed-ptp-3nodes.cross'));
	assert.equal(doc.verdict, 'reachable', JSON.stringify(broken(doc)));
	assert.deepEqual(kinds(doc), ROUTED_CROSS);
	assert.deepEqual(kinds(doc, true), ROUTED_CROSS);
});

test('same node: through the bridge (L2), or through the node\'s /32 routes (ptp)', () => {
	const bridged = documentOf(load('lab-vxlan-3nodes.same'));
	assert.equal(bridged.verdict, 'reachable');
	assert.deepEqual(kinds(bridged), ['pod-eth0', 'host-veth', 'bridge', 'host-veth', 'pod-eth0']);
	const routed = documentOf(load('lab-routed-ptp-3nodes.same'));
	assert.equal(routed.verdict, 'reachable');
	assert.deepEqual(kinds(routed), ['pod-eth0', 'host-veth', 'route', 'host-veth', 'pod-eth0']);
});

const faults: Array<{scenario: string; kind: HopKind; nodeOf: 'from' | 'to'; problem: RegExp; reverseToo?: boolean}> = [
	{scenario: 'lab-vxlan-3nodes.veth-down', kind: 'host-veth', nodeOf: 'from', problem: /host veth veth\w+ is down/, reverseToo: true},
	{scenario: 'lab-vxlan-3nodes.fdb-missing', kind: 'vxlan', nodeOf: 'from', problem: /no fdb entry for VTEP MAC [0-9a-f:]{17} on flannel\.1/},
	{scenario: 'lab-vxlan-3nodes.neigh-missing', kind: 'vxlan', nodeOf: 'from', problem: /no neighbour entry for 10\.244\.2\.0 on flannel\.1/},
	{scenario: 'lab-vxlan-3nodes.route-missing', kind: 'route', nodeOf: 'from', problem: /does not lead to node k8snet-lab-m03 .*route for its pods' subnet is missing/},
	{scenario: 'lab-vxlan-3nodes.blackhole', kind: 'route', nodeOf: 'from', problem: /a blackhole route for 10\.244\.2\.0\/24/},
	{scenario: 'lab-vxlan-3nodes.mtu', kind: 'pod-eth0', nodeOf: 'from', problem: /eth0 MTU 1500 is above the path's 1450/},
	{scenario: 'lab-vxlan-3nodes.drop', kind: 'route', nodeOf: 'from', problem: /nft table inet k8snet-lab-faults, chain drop-default-nginx-1 \(rule handle \d+\) drops forwarded packets from 10\.244\.0\.2/, reverseToo: true},
	{scenario: 'lab-routed-ptp-3nodes.route-missing', kind: 'route', nodeOf: 'from', problem: /does not lead to node k8snet-lab-m03/},
	{scenario: 'lab-routed-ptp-3nodes.veth-down', kind: 'host-veth', nodeOf: 'to', problem: /host veth veth\w+ is down/, reverseToo: true},
	{scenario: 'lab-routed-ptp-3nodes.rp-filter', kind: 'route', nodeOf: 'to', problem: /rp_filter=1 \(strict\) on eth0 drops packets from 10\.244\.0\.2 arriving there: the route back to 10\.244\.0\.2 leaves by veth\w+/, reverseToo: true},
];

for (const f of faults) {
	test(`${f.scenario}: broken, named at the ${f.kind} hop of the ${f.nodeOf} node`, () => {
		const r = load(f.scenario);
		const doc = documentOf(r);
		assert.equal(doc.verdict, 'broken');
		const bad = broken(doc);
		assert.equal(bad.length, 1, `exactly one broken hop: ${JSON.stringify(bad.map(h => [h.kind, h.problem]))}`);
		const node = f.nodeOf === 'from' ? doc.from.node : (doc.to as {node: string}).node;
		assert.deepEqual([bad[0]!.kind, bad[0]!.node], [f.kind, node]);
		assert.match(bad[0]!.problem!, f.problem);
		assert.equal(broken(doc, true).length > 0, f.reverseToo === true, `reverse: ${JSON.stringify(broken(doc, true).map(h => h.problem))}`);
	});
}

test('a bridge port not forwarding is named at its host veth (the recorded port state changed to blocking)', () => {
	const r = load('lab-vxlan-3nodes.cross');
	const nodes = nodesOf(r);
	const from = nodes.get(r.from.node!)!.facts!;
	// STP cannot run in these namespaces, so the kernel never shows another state here: the fact is edited.
	const port = from.bridgePorts.find(p => p.ifname === r.from.peer!.ifname)!;
	port.state = 'blocking';
	const doc = buildPathDocument(r.from, r.target, nodes);
	assert.equal(doc.verdict, 'broken');
	assert.deepEqual(broken(doc).map(h => [h.kind, h.problem]), [['host-veth', `bridge port ${r.from.peer!.ifname} of cni0 is in state blocking, not forwarding`]]);
});

test('a node that gave no facts makes the path unknown, never reachable, and says why', () => {
	const r = load('lab-vxlan-3nodes.cross');
	const nodes = nodesOf(r);
	const far = [...nodes.values()].find(n => n.name !== r.from.node)!;
	nodes.set(far.name, {...far, facts: null, factsError: 'ssh: connect to host 198.51.100.4: Connection refused'});
	const doc = buildPathDocument(r.from, r.target, nodes);
	assert.equal(doc.verdict, 'unknown');
	const last = doc.hops.at(-1)!;
	assert.equal(last.ok, false);
	assert.match(last.problem!, /^unknown: node k8snet-lab-m03 gave no facts: ssh: connect to host/);
	assert.ok(doc.hops.slice(0, -1).every(h => h.ok), 'the near side is still walked');
});

test('to an address outside the pods: the hops up to the node\'s uplink, verdict unknown', () => {
	const r = load('lab-vxlan-3nodes.cross');
	// The near node's facts answer only the pod pair's questions: to another address nothing was asked.
	const doc = buildPathDocument(r.from, {ip: '203.0.113.9'}, nodesOf(r));
	assert.equal(doc.verdict, 'unknown');
	assert.deepEqual(doc.reverse.hops, []);
	assert.match(doc.hops.find(h => !h.ok)!.problem!, /^unknown: the pod's route to 203\.0\.113\.9 was not read/);
});
