// Which lab pods back a lab Service, as the EndpointSlice controller decides: pods of the Service's
// namespace whose labels match its selector and that have a valid IPv4 address. Pure, so the API
// daemon (EndpointSlices) and the rules (`--proxy`) derive their endpoints from one function.
import ipaddr from 'ipaddr.js';
import {labPodLabels} from '../pod-labels.js';
import {nodeOfPod} from '../lab-nodes.js';
import type {LabPod, LabService, LabState} from '../lab-state.js';

export interface LabEndpoint {
	ip: string;
	pod: LabPod;
	node: string;
	/** False while a `no-endpoints` fault holds the Service (its pods fail readiness). */
	ready: boolean;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
	const keys = Object.keys(selector);
	return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

export const serviceRef = (s: Pick<LabService, 'namespace' | 'name'>) => `${s.namespace}/${s.name}`;

function hasFault(state: LabState, kind: string, svc: LabService): boolean {
	return (state.faults ?? []).some((f) => f.kind === kind && f.args[0] === serviceRef(svc));
}

/** The Service's endpoints in kube-proxy's order, each with its pod and node. */
export function serviceEndpoints(state: LabState, svc: LabService): LabEndpoint[] {
	const ready = !hasFault(state, 'no-endpoints', svc);
	const out: LabEndpoint[] = [];
	for (const pod of state.pods) {
		// The controller skips pods with no IP yet; the lab's invalid-ip pod must never reach a rule.
		if (pod.namespace !== svc.namespace || pod.ip === null || !ipaddr.IPv4.isValidFourPartDecimal(pod.ip)) continue;
		if (pod.kind === 'pending' || pod.kind === 'host-network' || !selects(svc.selector, labPodLabels(pod))) continue;
		out.push({ip: pod.ip, pod, node: nodeOfPod(state, pod).name, ready});
	}

	// endpointslicecache.go sorts by "ip:port" as text (10.244.0.10 before 10.244.0.2); one port here, so by ip.
	return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** 10.96.0.0/12, kube-apiserver's default range; .1 is the `kubernetes` Service's in a real cluster. */
export const SERVICE_CIDR = '10.96.0.0/12';
const FIRST_FREE = 10;

/** The lowest free ClusterIP from 10.96.0.10 on (deterministic, so a re-run lab gets the same). */
export function allocateClusterIP(taken: readonly string[]): string | null {
	const used = new Set(taken);
	const base = ipaddr.IPv4.parse('10.96.0.0').toByteArray().reduce((acc, o) => acc * 256 + o, 0);
	for (let i = FIRST_FREE; i < 2 ** 20 - 1; i++) {
		const v = base + i;
		const ip = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
		if (!used.has(ip)) return ip;
	}

	return null;
}
