// A cross-node VXLAN path document as `path --json` prints it on the lab (two nodes, flannel.1),
// built by hand for the Path pane's component tests: one hop broken (the peer's host veth down).
import type {PathHop} from '../../source/core/path/types.js';
import type {OpenPath} from '../../source/store/tui-state.js';

function hop(node: string, kind: PathHop['kind'], ifname: string, extra: Partial<PathHop> = {}): PathHop {
	return {
		node,
		kind,
		ifname,
		ifindex: 7,
		state: 'UP',
		mtu: 1450,
		counters: {rxPackets: 1, txPackets: 2, rxDropped: 0, txDropped: 0},
		ok: true,
		problem: null,
		evidence: [{command: `ip -j link show ${ifname}`, expect: `${ifname} operstate ${extra.state ?? 'UP'}`}],
		...extra,
	};
}

export function fixtureOpenPath(brokenPeer: boolean): OpenPath {
	const peerVeth = hop('lab-node-2', 'host-veth', 'vethb2b2b2b2', brokenPeer ? {state: 'DOWN', ok: false, problem: 'the host veth of default/web-2 is down'} : {});
	const hops = [
		hop('lab-node-1', 'pod-eth0', 'eth0'),
		hop('lab-node-1', 'host-veth', 'veth1a2b3c4d'),
		hop('lab-node-1', 'bridge', 'cni0'),
		hop('lab-node-1', 'vxlan', 'flannel.1'),
		hop('lab-node-1', 'underlay', 'eth0', {mtu: 1500}),
		hop('lab-node-2', 'vxlan', 'flannel.1'),
		hop('lab-node-2', 'bridge', 'cni0'),
		peerVeth,
		hop('lab-node-2', 'pod-eth0', 'eth0', {state: 'unknown', ok: false, problem: 'unknown: the pod netns could not be read'}),
	];
	return {
		from: 'default/web-1',
		to: 'default/far-away',
		fromUid: 'uid-web-1',
		toUid: 'uid-far',
		document: {
			from: {namespace: 'default', name: 'web-1', ip: '10.244.0.2', node: 'lab-node-1'},
			to: {namespace: 'default', name: 'far-away', ip: '10.244.1.2', node: 'lab-node-2'},
			verdict: brokenPeer ? 'broken' : 'reachable',
			hops,
			reverse: {hops: [hop('lab-node-2', 'pod-eth0', 'eth0', {ifname: 'eth0-reply'}), hop('lab-node-1', 'pod-eth0', 'eth0')]},
		},
		error: null,
		refreshedAt: 1_000_000,
	};
}
