// Lab fault plans, pure: each names one change and its exact undo, taken from the same node records
// (and the same overlay-plan text) that `lab up` programmed; bad arguments are one line with a hint.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {faultKey, planFault} from '../../source/lab/fault-plan.js';
import {planLabNodes} from '../../source/lab/lab-nodes.js';
import {resolveLabOptions} from '../../source/lab/lab-options.js';
import type {LabState} from '../../source/lab/lab-state.js';
import {planLabPods} from '../../source/lab/lab-up.js';
import {overlayLines} from '../../source/lab/overlay-plan.js';

function labState(overlay: 'vxlan' | 'routed'): LabState {
	const r = resolveLabOptions({ipv6: false, oddPods: false, traffic: false, nodes: 2, overlay, pods: 1});
	assert.ok(r.ok);
	const nodes = planLabNodes(r.value);
	const pods = planLabPods(r.value, nodes.map((n) => n.name));
	pods.forEach((p, i) => Object.assign(p, {kernelIps: [`10.244.${i}.2`], ips: [`10.244.${i}.2`], ip: `10.244.${i}.2`, netnsPath: `/run/netns/k8snet-lab-cni-${i}`}));
	return {version: 1, phase: 'up', options: r.value, node: 'k8snet-lab', nodeNetns: 'k8snet-lab-node', worldNetns: 'k8snet-lab-world', nodeIP: '198.51.100.2', worldIP: '198.51.100.1', builtWith: 'cni-plugin', kubeconfig: '', apiServer: '', apiSocket: '', daemonPids: [], trafficPids: [], pods, nodes};
}

test('vxlan faults undo to exactly what lab up programmed from the peer record', () => {
	const s = labState('vxlan');
	const built = overlayLines('vxlan', s.nodes![0]!, s.nodes!);
	const mac = s.nodes![1]!.vtep!.mac;
	const fdb = planFault(s, 'fdb-missing', ['k8snet-lab', 'k8snet-lab-m02'], {});
	assert.ok(fdb.ok);
	assert.deepEqual(fdb.value.apply[0]!.lines, [`fdb del ${mac} dev flannel.1 dst 198.51.100.3 self`]);
	assert.deepEqual(fdb.value.restore[0]!.lines, built.fdb);
	const neigh = planFault(s, 'neigh-missing', ['k8snet-lab', 'k8snet-lab-m02'], {});
	assert.ok(neigh.ok);
	assert.deepEqual(neigh.value.apply[0]!.lines, ['neigh del 10.244.1.0 dev flannel.1']);
	assert.deepEqual(neigh.value.restore[0]!.lines, built.routes.filter((l) => l.startsWith('neigh')));
	const route = planFault(s, 'route-missing', ['k8snet-lab', '10.244.1.0/24'], {});
	assert.ok(route.ok);
	assert.deepEqual(route.value.restore[0]!.lines, built.routes.filter((l) => l.startsWith('route')));
	const hole = planFault(s, 'blackhole', ['k8snet-lab', '10.244.1.0/24'], {});
	assert.ok(hole.ok);
	assert.deepEqual([hole.value.apply[0]!.lines, hole.value.restore[0]!.lines], [['route replace blackhole 10.244.1.0/24'], ['route replace 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink']]);
	const elsewhere = planFault(s, 'blackhole', ['k8snet-lab', '10.99.0.0/16'], {});
	assert.ok(elsewhere.ok);
	assert.deepEqual([elsewhere.value.apply[0]!.lines, elsewhere.value.restore[0]!.lines], [['route add blackhole 10.99.0.0/16'], ['route del blackhole 10.99.0.0/16']]);
});

test('pod faults: veth, MTU above the overlay, an nft chain of the lab\'s own table', () => {
	const s = labState('vxlan');
	const veth = planFault(s, 'veth-down', ['default/nginx-1'], {hostVeth: 'veth1234'});
	assert.ok(veth.ok);
	assert.deepEqual([veth.value.apply[0]!.lines, veth.value.restore[0]!.lines], [['link set veth1234 down'], ['link set veth1234 up']]);
	const mtu = planFault(s, 'mtu', ['default/nginx-1', '1500'], {podMtu: 1450});
	assert.ok(mtu.ok);
	assert.deepEqual([mtu.value.apply[0]!.lines, mtu.value.restore[0]!.lines], [['link set eth0 mtu 1500'], ['link set eth0 mtu 1450']]);
	assert.equal(planFault(s, 'mtu', ['default/nginx-1', '1450'], {podMtu: 1450}).ok, false, 'not above the overlay MTU');
	const drop = planFault(s, 'drop', ['k8snet-lab', 'default/nginx-1'], {});
	assert.ok(drop.ok);
	assert.ok(drop.value.apply[0]!.lines.every((l) => l.includes('inet k8snet-lab-faults')));
	assert.match(drop.value.change, /k8snet-lab-faults/);
});

test('refusals are one line with a hint', () => {
	const routed = labState('routed');
	const cases: Array<[LabState, Parameters<typeof planFault>[1], string[]]> = [
		[routed, 'fdb-missing', ['k8snet-lab', 'k8snet-lab-m02']],
		[routed, 'route-missing', ['k8snet-lab', '10.244.0.0/24']],
		[routed, 'route-missing', ['k8snet-lab', '10.244.1.1/24']],
		[routed, 'route-missing', ['nope', '10.244.1.0/24']],
		[routed, 'veth-down', ['default/nginx-1']],
		[routed, 'veth-down', ['default/nginx-1', 'extra']],
		[routed, 'drop', ['k8snet-lab', 'default/$(id)']],
	];
	for (const [s, kind, args] of cases) {
		const r = planFault(s, kind, args, {});
		assert.equal(r.ok, false, `${kind} ${args.join(' ')}`);
		if (!r.ok) assert.ok(!r.reason.includes('\n') && r.hint.length > 0);
	}

	const ok = planFault(routed, 'route-missing', ['k8snet-lab', '10.244.1.0/24'], {});
	assert.ok(ok.ok);
	assert.deepEqual(ok.value.apply[0]!.lines, ['route del 10.244.1.0/24 via 198.51.100.3 dev eth0']);
});

test('one fault per kernel object: a route missing and blackholed, or two MTUs on one eth0, share a key', () => {
	assert.equal(faultKey('route-missing', ['k8snet-lab', '10.244.1.0/24']), faultKey('blackhole', ['k8snet-lab', '10.244.1.0/24']));
	assert.equal(faultKey('mtu', ['default/a', '9000']), faultKey('mtu', ['default/a', '2000']));
	assert.notEqual(faultKey('fdb-missing', ['k8snet-lab', 'k8snet-lab-m02']), faultKey('neigh-missing', ['k8snet-lab', 'k8snet-lab-m02']));
	assert.notEqual(faultKey('drop', ['k8snet-lab', 'default/a']), faultKey('drop', ['k8snet-lab-m02', 'default/a']));
});
