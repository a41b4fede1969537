// A CaptureSnapshot over a ring buffer filled by the test, for the view and pane tests (no tcpdump).
import type {CaptureLine, CaptureSnapshot} from '../../source/capture/capture-session.js';
import {capturePoints} from '../../source/capture/capture-points.js';
import {lineProtocol} from '../../source/core/ip-names.js';
import {RingBuffer} from '../../source/core/ring-buffer.js';
import type {PodPath} from '../../source/core/types.js';

export const fixturePod: PodPath = {
	namespace: 'default', name: 'web-1', uid: 'u1', node: 'node-1', ip: '10.244.0.2', ips: ['10.244.0.2'], hostNetwork: false,
	status: 'resolved', netns: {inode: 1, path: '/run/netns/x', pid: null},
	eth0: {ifname: 'eth0', ifindex: 2, linkIndex: 7, mac: null, mtu: 1500, addresses: ['10.244.0.2']},
	peer: {ifname: 'veth1234', ifindex: 7, mac: null, kind: 'veth', master: 'cni0'},
	bridge: {ifname: 'cni0', addresses: ['10.244.0.1'], ports: ['veth1234']}, routes: [], evidence: [], heuristic: false,
};

export function fillRing(count: number, capacity = 10_000, text = (i: number) => `12:00:00.${String(i).padStart(6, '0')} IP 10.244.0.2 > 10.244.0.3: ICMP echo request, id 1, seq ${i}, length 64`): RingBuffer<CaptureLine> {
	const ring = new RingBuffer<CaptureLine>(capacity);
	for (let i = 0; i < count; i++) {
		const line = text(i);
		ring.push({text: line, protocol: lineProtocol(line)});
	}
	return ring;
}

export function snapshotOf(ring: RingBuffer<CaptureLine>, over: Partial<CaptureSnapshot> = {}): CaptureSnapshot {
	const points = capturePoints(fixturePod, null, {iface: 'eth0'});
	const firstSeq = ring.firstSeq;
	const endSeq = ring.endSeq;
	return {
		version: 1,
		pod: {namespace: 'default', name: 'web-1'},
		state: 'running',
		point: points[2]!,
		points,
		command: "setpriv --pdeathsig KILL -- tcpdump -Z root -n -l --immediate-mode -i cni0 'host 10.244.0.2'",
		filter: 'host 10.244.0.2',
		quick: {kind: 'all'},
		expression: '',
		packets: ring.total,
		ratePerSecond: 12.5,
		kernel: {captured: ring.total, received: ring.total, dropped: 3},
		stopped: null,
		notice: null,
		savePath: null,
		names: new Map([['10.244.0.2', 'default/web-1'], ['10.244.0.3', 'default/web-2']]),
		firstSeq,
		endSeq,
		capacity: ring.capacity,
		lines: (from, to) => ring.slice(Math.max(from, firstSeq), Math.min(to, endSeq)),
		...over,
	};
}
