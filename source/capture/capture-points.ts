// Where along a pod's path a capture can run, from what the join found. Pure.
import type {CniInfo, PodPath} from '../core/types.js';
import type {TcpdumpTarget} from './tcpdump.js';

export type CapturePointKind = 'pod' | 'peer' | 'bridge' | 'uplink' | 'any';

export interface CapturePoint {
	kind: CapturePointKind;
	label: string;
	/** null when this point does not exist for the pod; `unavailable` then says why. */
	target: TcpdumpTarget | null;
	unavailable: string | null;
	/** Something to keep in mind when reading this capture. */
	note: string | null;
}

export interface NodeUplink {
	/** The node's uplink interface (the default route's device), if known. */
	iface: string | null;
}

function point(kind: CapturePointKind, label: string, target: TcpdumpTarget | null, unavailable: string, note: string | null = null): CapturePoint {
	return {kind, label, target, unavailable: target === null ? unavailable : null, note};
}

export function capturePoints(pod: PodPath, cni: CniInfo | null, uplink: NodeUplink): CapturePoint[] {
	const bridge = pod.bridge?.ifname ?? pod.peer?.master ?? cni?.bridge ?? null;
	const points = [
		point(
			'pod',
			`pod ${pod.eth0?.ifname ?? 'eth0'} (inside the pod netns)`,
			pod.netns !== null ? {iface: pod.eth0?.ifname ?? 'eth0', netnsPath: pod.netns.path} : null,
			'the pod network namespace was not found',
		),
		point('peer', `host peer ${pod.peer?.ifname ?? ''}`.trim(), pod.peer !== null ? {iface: pod.peer.ifname, netnsPath: null} : null, 'the host-side veth peer was not found'),
		point('bridge', `bridge ${bridge ?? ''}`.trim(), bridge !== null ? {iface: bridge, netnsPath: null} : null, 'the pod is not attached to a bridge (routed CNI)'),
		point(
			'uplink',
			`node uplink ${uplink.iface ?? ''}`.trim(),
			uplink.iface !== null ? {iface: uplink.iface, netnsPath: null} : null,
			'the node uplink (default route device) is not known',
			'traffic leaving the node may be masqueraded to the node IP, so a pod-IP filter can miss it; pod-to-pod traffic on one node never crosses here',
		),
		point('any', 'any interface', {iface: 'any', netnsPath: null}, '', 'every interface of the node: a packet forwarded by a bridge shows once per port'),
	];
	if (pod.status !== 'completed') return points;
	// Filtering by its old IP anywhere would show whichever live pod has that IP now.
	const why = `the pod has finished: ${pod.ip ?? 'its IP'} may belong to a live pod now`;
	return points.map(p => ({...p, target: null, unavailable: why}));
}

/** The CNI's preferred point when it exists, else the first that does. */
export function defaultCapturePoint(points: readonly CapturePoint[], cni: CniInfo | null): CapturePoint {
	const want: CapturePointKind = cni?.capturePoint ?? 'bridge';
	const usable = points.filter(p => p.target !== null);
	return usable.find(p => p.kind === want) ?? usable.find(p => p.kind === 'peer') ?? usable[0] ?? points[points.length - 1]!;
}

/** The next usable point after `current`, wrapping around. */
export function nextCapturePoint(points: readonly CapturePoint[], current: CapturePointKind): CapturePoint {
	const start = points.findIndex(p => p.kind === current);
	for (let i = 1; i <= points.length; i++) {
		const candidate = points[(start + i) % points.length]!;
		if (candidate.target !== null) return candidate;
	}
	return points[start]!;
}
