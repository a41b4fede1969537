// The multi-node plan, pure: node records, the overlay entries each node derives from its peers'
// records, the flags that combine or are refused, pods per node and the cross-node traffic pairs.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cniConfig} from '../../source/lab/cni-plugin.js';
import {planLabNodes} from '../../source/lab/lab-nodes.js';
import {resolveLabOptions} from '../../source/lab/lab-options.js';
import {trafficTarget} from '../../source/lab/lab-traffic.js';
import {planLabPods} from '../../source/lab/lab-up.js';
import {overlayLines, peerEntries} from '../../source/lab/overlay-plan.js';
import type {LabPod} from '../../source/lab/lab-state.js';

const flags = {ipv6: false, oddPods: false, traffic: false};

function options(extra: Parameters<typeof resolveLabOptions>[0] | Record<string, unknown>) {
	const r = resolveLabOptions({...flags, ...extra});
	assert.ok(r.ok, JSON.stringify(r));
	return r.value;
}

test('--nodes 1 (the default) keeps the one-node layout and options exactly', () => {
	const o = options({});
	assert.equal('nodes' in o, false, 'a one-node lab records no topology options');
	const [node, ...more] = planLabNodes(o);
	assert.deepEqual(more, []);
	assert.deepEqual(node, {name: 'k8snet-lab', netns: 'k8snet-lab-node', ip: '198.51.100.2', podCIDR: '10.244.0.0/16', gateway: '10.244.0.1', bridge: 'bridge', ipamDir: '/run/k8snet-lab/ipam'});
	assert.deepEqual(cniConfig('bridge', false, node!), {
		cniVersion: '1.0.0',
		name: 'k8snet-lab',
		type: 'bridge',
		bridge: 'bridge',
		isDefaultGateway: true,
		hairpinMode: true,
		ipam: {type: 'host-local', ranges: [[{subnet: '10.244.0.0/16'}]], dataDir: '/run/k8snet-lab/ipam'},
	});
	assert.deepEqual(cniConfig('ptp', false, node!).ipam, {type: 'host-local', ranges: [[{subnet: '10.244.0.0/16'}]], dataDir: '/run/k8snet-lab/ipam'});
});

test('--nodes 3 --overlay vxlan: minikube names, an InternalIP and a /24 each, flannel.1 at MTU 1450', () => {
	const nodes = planLabNodes(options({nodes: 3, overlay: 'vxlan'}));
	assert.deepEqual(
		nodes.map((n) => [n.name, n.netns, n.ip, n.podCIDR, n.bridge, n.podMtu]),
		[
			['k8snet-lab', 'k8snet-lab-node', '198.51.100.2', '10.244.0.0/24', 'cni0', 1450],
			['k8snet-lab-m02', 'k8snet-lab-node-m02', '198.51.100.3', '10.244.1.0/24', 'cni0', 1450],
			['k8snet-lab-m03', 'k8snet-lab-node-m03', '198.51.100.4', '10.244.2.0/24', 'cni0', 1450],
		],
	);
	for (const n of nodes) {
		assert.equal(n.vtep?.vni, 1);
		assert.equal(n.vtep?.port, 8472);
		assert.equal(n.vtep?.mtu, 1450);
		// Locally administered, unicast: what flannel's mac.NewHardwareAddr makes.
		assert.match(n.vtep?.mac ?? '', /^[0-9a-f][26ae](:[0-9a-f]{2}){5}$/);
	}

	assert.equal(new Set(nodes.map((n) => n.vtep?.mac)).size, 3);
	assert.equal(new Set(nodes.map((n) => n.ipamDir)).size, 3, 'one IPAM store per node');
	const config = cniConfig('bridge', false, nodes[1]!);
	assert.equal(config['bridge'], 'cni0');
	assert.equal(config['mtu'], 1450, 'pod MTU = the overlay MTU, as flannel subnet.env makes the CNI set it');
	assert.deepEqual((config['ipam'] as {ranges: unknown}).ranges, [[{subnet: '10.244.1.0/24'}]]);
});

test('vxlan: route, neighbour and fdb entries of a peer all come from its one record', () => {
	const nodes = planLabNodes(options({nodes: 3, overlay: 'vxlan'}));
	const [self, peer] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
	const mac = peer.vtep!.mac;
	assert.deepEqual(peerEntries('vxlan', peer), {
		route: '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink',
		neigh: `10.244.1.0 lladdr ${mac} dev flannel.1 nud permanent`,
		fdb: `${mac} dev flannel.1 dst 198.51.100.3 self permanent`,
	});
	const lines = overlayLines('vxlan', self, nodes);
	assert.deepEqual(lines.device, [
		`link add flannel.1 address ${self.vtep!.mac} mtu 1450 type vxlan id 1 local 198.51.100.2 dev eth0 dstport 8472 nolearning`,
		'addr add 10.244.0.0/32 dev flannel.1',
		'link set flannel.1 up',
	]);
	assert.equal(lines.fdb.length, 2, 'one fdb entry per peer, none for itself');
	assert.equal(lines.routes.filter((l) => l.startsWith('route add')).length, 2);
	assert.ok(!lines.routes.some((l) => l.includes('10.244.0.0/24')), 'no route to its own podCIDR');
	// A neighbour entry comes before the route that needs it.
	assert.ok(lines.routes.indexOf(`neigh replace 10.244.1.0 lladdr ${mac} dev flannel.1 nud permanent`) < lines.routes.indexOf('route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink'));
});

test('routed: each remote podCIDR via its node IP on eth0, no device, no fdb; ptp pods get a default route', () => {
	const nodes = planLabNodes(options({nodes: 2, overlay: 'routed', cni: 'ptp'}));
	assert.ok(nodes.every((n) => n.vtep === undefined && n.podMtu === 1500));
	assert.deepEqual(overlayLines('routed', nodes[0]!, nodes), {device: [], fdb: [], routes: ['route add 10.244.1.0/24 via 198.51.100.3 dev eth0']});
	assert.deepEqual((cniConfig('ptp', false, nodes[1]!)['ipam'] as {routes: unknown}).routes, [{dst: '0.0.0.0/0'}]);
});

test('which flags combine: refused combinations are one line with a hint', () => {
	assert.equal(options({nodes: 2}).overlay, 'vxlan', "flannel's default backend");
	assert.equal(options({nodes: 5, overlay: 'routed', fakeNodes: 3}).fakeNodes, 3);
	for (const bad of [{nodes: 0}, {nodes: 6}, {nodes: 2.5}, {overlay: 'vxlan'}, {nodes: 2, overlay: 'ipip'}, {nodes: 2, ipv6: true}]) {
		const r = resolveLabOptions({...flags, ...bad});
		assert.equal(r.ok, false, JSON.stringify(bad));
		if (!r.ok) {
			assert.ok(!r.reason.includes('\n') && r.hint.length > 0, r.reason);
		}
	}
});

test('--pods is per node, dealt in turn; odd pods go to node 1', () => {
	const o = options({nodes: 3, pods: 2, oddPods: true});
	const pods = planLabPods(o, planLabNodes(o).map((n) => n.name));
	const normal = pods.filter((p) => p.kind === 'normal');
	assert.equal(normal.length, 6);
	assert.deepEqual(normal.map((p) => p.node), ['k8snet-lab', 'k8snet-lab-m02', 'k8snet-lab-m03', 'k8snet-lab', 'k8snet-lab-m02', 'k8snet-lab-m03']);
	assert.ok(pods.filter((p) => p.kind !== 'normal').every((p) => p.node === 'k8snet-lab'));
	assert.equal(new Set(pods.map((p) => `${p.namespace}/${p.name}`)).size, pods.length);
});

test('--traffic on several nodes pairs pods across nodes and within a node; on one node it is the ring', () => {
	const pod = (name: string, node: string) => ({name, node}) as LabPod;
	const multi = [pod('a', 'n1'), pod('b', 'n2'), pod('c', 'n1'), pod('d', 'n2')];
	assert.deepEqual([0, 1, 2, 3].map((i) => trafficTarget(multi, i).name), ['b', 'd', 'd', 'b']);
	const one = [pod('a', 'n1'), pod('b', 'n1'), pod('c', 'n1')];
	assert.deepEqual([0, 1, 2].map((i) => trafficTarget(one, i).name), ['b', 'c', 'a']);
});
