// A realistic store state for component tests: the lab's shape (bridge CNI, node k8snet-lab), with
// an ordinary pod, a hostNetwork pod, a Pending pod and a pod of another node. Built by hand from
// what `ip -j -d -s link` and the lab API report, so the panes can be tested before the engine runs.
import type {Link, NodeView, PodInfo, PodPath, RuntimeInfo} from '../../source/core/types.js';
import {createStore} from '../../source/store/store.js';
import {initialTuiState, type TuiState} from '../../source/store/tui-state.js';

const NODE = 'k8snet-lab';

function pod(name: string, ip: string | null, extra: Partial<PodInfo> = {}): PodInfo {
	const uid = `uid-${name}`;
	return {
		namespace: 'default',
		name,
		uid,
		nodeName: NODE,
		hostNetwork: false,
		ips: ip ? [ip] : [],
		phase: 'Running',
		ready: true,
		restarts: 0,
		hostIP: '198.51.100.2',
		startTime: '2026-11-29T18:00:00Z',
		conditions: [],
		labels: {app: name},
		containers: [{name: 'app', kind: 'regular', image: 'busybox:1.36', state: 'running', reason: null, ready: true, restarts: 1, containerID: `docker://${name}`, ports: []}],
		resourceVersion: '1',
		...extra,
	};
}

function link(ifindex: number, ifname: string, extra: Partial<Link> = {}): Link {
	return {
		ifindex,
		ifname,
		kind: 'veth',
		linkIndex: 2,
		linkNetnsid: ifindex,
		master: 'bridge',
		mac: `02:00:00:00:00:${ifindex.toString(16).padStart(2, '0')}`,
		mtu: 1500,
		operstate: 'UP',
		flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
		addresses: [],
		stats: {rxBytes: 1000 * ifindex, txBytes: 2000 * ifindex, rxPackets: 10, txPackets: 20, rxDropped: 0, txDropped: 0},
		portState: 'forwarding',
		...extra,
	};
}

function path(p: PodInfo, index: number, peer: string): PodPath {
	return {
		namespace: p.namespace,
		name: p.name,
		uid: p.uid,
		node: NODE,
		ip: p.ips[0] ?? null,
		ips: p.ips,
		hostNetwork: false,
		status: 'resolved',
		netns: {inode: 4026532000 + index, path: `/run/netns/k8snet-lab-pod-${index}`, pid: null},
		eth0: {ifname: 'eth0', ifindex: 2, linkIndex: 10 + index, mac: `0a:58:0a:f4:00:0${index}`, mtu: 1500, addresses: [`${p.ips[0]}/16`]},
		peer: {ifname: peer, ifindex: 10 + index, mac: null, kind: 'veth', master: 'bridge'},
		bridge: {ifname: 'bridge', addresses: ['10.244.0.1/16'], ports: ['veth1a2b3c4d', 'veth5e6f7a8b', 'veth9c0d1e2f']},
		routes: [],
		evidence: [`eth0 iflink ${10 + index} = ifindex of ${peer} on the node`],
		heuristic: false,
	};
}

export function fixtureState(): TuiState {
	const web1 = pod('web-1', '10.244.0.2');
	const web2 = pod('web-2', '10.244.0.3');
	const db = pod('db-0', '10.244.0.4', {namespace: 'data', uid: 'uid-db-0'});
	const host = pod('kube-proxy-x', '198.51.100.2', {namespace: 'kube-system', hostNetwork: true, uid: 'uid-kp'});
	const pending = pod('pending-1', null, {phase: 'Pending', ready: false, uid: 'uid-pending'});
	const remote = pod('far-away', '10.244.7.9', {nodeName: 'fake-node-3', uid: 'uid-far'});
	const pods = [web1, web2, db, host, pending, remote];
	const peers = ['veth1a2b3c4d', 'veth5e6f7a8b', 'veth9c0d1e2f'];
	const paths = new Map<string, PodPath>([
		[web1.uid, path(web1, 1, peers[0]!)],
		[web2.uid, path(web2, 2, peers[1]!)],
		[db.uid, path(db, 3, peers[2]!)],
		[host.uid, {...path(host, 4, 'none'), hostNetwork: true, status: 'host-network', netns: null, eth0: null, peer: null, bridge: null, evidence: []}],
		[pending.uid, {...path(pending, 5, 'none'), status: 'no-ip', ip: null, ips: [], netns: null, eth0: null, peer: null, bridge: null, evidence: []}],
		[remote.uid, {...path(remote, 6, 'none'), node: 'fake-node-3', status: 'not-on-this-node', netns: null, eth0: null, peer: null, bridge: null, evidence: []}],
	]);
	const view: NodeView = {
		snapshot: {
			links: [
				link(1, 'lo', {kind: null, master: null, linkIndex: null, portState: null}),
				link(3, 'bridge', {kind: 'bridge', master: null, linkIndex: null, portState: null, addresses: [{family: 'inet', local: '10.244.0.1', prefixlen: 16, scope: 'global'}]}),
				link(11, peers[0]!),
				link(12, peers[1]!),
				link(13, peers[2]!),
			],
			routes: [],
			neighbours: [],
			fdb: [],
			takenAt: 1_000_000,
		},
		namespaces: [1, 2, 3].map(i => ({
			holder: {inode: 4026532000 + i, path: `/run/netns/k8snet-lab-pod-${i}`, name: `k8snet-lab-pod-${i}`, pid: null, pidStart: null},
			links: [link(2, 'eth0', {master: null, linkIndex: 10 + i})],
			probedAt: 1_000_000,
		})),
		canEnterNetns: true,
		enterDeniedReason: null,
	};
	const NO_DETAILS = {image: null, imageID: null, reason: null, exitCode: null, restarts: null, startedAt: null, cgroup: null, runtime: 'lab'};
	const runtime: RuntimeInfo = {
		kind: 'lab',
		note: null,
		sandboxes: [{
			podUid: web1.uid,
			namespace: 'default',
			name: 'web-1',
			sandboxId: 'abcdef0123456789',
			pid: 4242,
			state: 'ready',
			netnsPath: '/proc/4242/ns/net',
			netnsInode: 4026532001,
			containers: [{...NO_DETAILS, name: 'app', id: 'c1', pid: 4250, netnsInode: 4026532001, state: 'running'}],
		}, {
			podUid: web2.uid,
			namespace: 'default',
			name: 'web-2',
			sandboxId: 'bcdef01234567890',
			pid: 4343,
			state: 'ready',
			netnsPath: '/proc/4343/ns/net',
			netnsInode: 4026532002,
			containers: [{...NO_DETAILS, name: 'app', id: 'c2', pid: 4350, netnsInode: 4026532099, state: 'running'}],
		}],
	};
	return {
		...initialTuiState(),
		phase: 'ready',
		context: 'k8snet-lab',
		server: 'https://127.0.0.1:6443',
		node: NODE,
		access: {kind: 'lab', target: 'k8snet-lab-node'},
		root: true,
		pods: new Map(pods.map(p => [p.uid, p])),
		paths,
		view,
		cni: {kind: 'bridge', summary: 'bridge "bridge" with 3 veth ports', capturePoint: 'bridge', bridge: 'bridge', evidence: []},
		runtime,
		rates: new Map([[peers[0]!, {rxBps: 1500, txBps: 3000, rxPps: 10, txPps: 20}]]),
		polledAt: 1_000_000,
		watch: {connected: true, reason: null, hint: null, lastContactAt: 1_000_000},
	};
}

export function fixtureStore(state: TuiState = fixtureState()) {
	return createStore(state, 0);
}

/** Many pods, for list virtualisation. */
export function manyPods(count: number): TuiState {
	const base = fixtureState();
	const pods = new Map(base.pods);
	for (let i = 0; i < count; i++) {
		const uid = `uid-bulk-${i}`;
		pods.set(uid, {...base.pods.get('uid-web-1')!, uid, name: `bulk-${String(i).padStart(5, '0')}`, namespace: 'bulk', ips: [`10.245.${Math.floor(i / 250)}.${i % 250}`], nodeName: `fake-node-${i % 20}`});
	}

	return {...base, pods};
}
