// Where along a path A → B the two-point capture can listen: the node-side interfaces of its hops
// (host veths, bridges, the VXLAN device, the underlay uplink), each once, in path order. Pure.
import {buildCaptureFilter, type CaptureFilter} from '../core/bpf-filter.js';
import type {PathDocument, PathHop} from '../core/path/types.js';
import type {Result} from '../core/types.js';
import {VXLAN_PORT} from '../core/pcap-decode.js';
import type {CapturePoint} from './capture-points.js';

export interface HopPoint {
	node: string;
	kind: PathHop['kind'];
	ifname: string;
	/** "A host veth", "bridge cni0", "vxlan flannel.1", "underlay eth0", "B host veth". */
	label: string;
}

const CAPTURABLE = new Set<PathHop['kind']>(['host-veth', 'bridge', 'vxlan', 'underlay']);

function hopLabel(kind: PathHop['kind'], ifname: string, end: 'A' | 'B' | null): string {
	return end === null ? `${kind.replace('-', ' ')} ${ifname}` : `${end} host veth ${ifname}`;
}

/** The path's capturable hops, in order; a hop met twice (an interface on both sides of a route) once. */
export function capturableHops(doc: PathDocument): HopPoint[] {
	const out: HopPoint[] = [];
	const seen = new Set<string>();
	const veths = doc.hops.filter(h => h.kind === 'host-veth');
	for (const hop of doc.hops) {
		if (!CAPTURABLE.has(hop.kind) || hop.ifname === null) continue;
		const key = `${hop.node}|${hop.ifname}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const end = hop.kind !== 'host-veth' ? null : hop === veths[0] ? 'A' : hop === veths[veths.length - 1] ? 'B' : null;
		out.push({node: hop.node, kind: hop.kind, ifname: hop.ifname, label: hopLabel(hop.kind, hop.ifname, end)});
	}
	return out;
}

/** A's host veth and B's (the first and last capturable hops when a veth is missing). */
export function defaultHops(hops: readonly HopPoint[]): [number, number] | null {
	if (hops.length < 2) return null;
	const first = hops.findIndex(h => h.kind === 'host-veth');
	const last = hops.findLastIndex(h => h.kind === 'host-veth');
	return first >= 0 && last > first ? [first, last] : [0, hops.length - 1];
}

/** The next hop after `current` that the other stream does not hold, wrapping around. */
export function nextHop(hops: readonly HopPoint[], current: number, other: number): number {
	for (let i = 1; i <= hops.length; i++) {
		const candidate = (current + i) % hops.length;
		if (candidate !== other) return candidate;
	}
	return current;
}

/** "A host veth vethab12 on node1". */
export function hopName(hop: HopPoint): string {
	return `${hop.label} on ${hop.node}`;
}

/**
 * The capture point and filter for one hop: A's and B's traffic; on the underlay and the VXLAN
 * device's uplink, also what is encapsulated (its outer addresses are the nodes', not the pods').
 */
export function hopCapture(hop: HopPoint, ips: readonly string[]): Result<{point: CapturePoint; filter: CaptureFilter}> {
	const built = buildCaptureFilter({ips: [...ips], quick: {kind: 'all'}, expression: ''});
	if (!built.ok) return built;
	const filter = hop.kind === 'underlay' ? {...built.value, expression: `(${built.value.expression}) or (udp port ${VXLAN_PORT})`} : built.value;
	const kind = hop.kind === 'host-veth' ? 'peer' : hop.kind === 'bridge' ? 'bridge' : 'uplink';
	return {ok: true, value: {point: {kind, label: hopName(hop), target: {iface: hop.ifname, netnsPath: null}, unavailable: null, note: null}, filter}};
}
