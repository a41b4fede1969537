// The path to a Service, through the node registry: FROM and every endpoint pod joined on their
// nodes (one read per node, as for a pod), then one facts round trip per node, where FROM's node
// (the one that DNATs) also reads kube-proxy's rules and FROM's route to the ClusterIP. The probe,
// when asked, runs between the two, so the walk can follow the endpoint the kernel chose.
import {planFacts} from '../core/path/path-plan.js';
import {buildServicePathDocument} from '../core/path/path-service.js';
import type {FactsRequest, PathDocument, PathFlow} from '../core/path/types.js';
import type {EndpointSlice, Service, ServicePort} from '../core/service-rules/types.js';
import type {PodInfo, PodPath, Result} from '../core/types.js';
import type {NodeInfo} from '../cluster/nodes.js';
import type {NodeHandle, NodeRegistry} from '../node/node-registry.js';
import {joinPods, readNodes} from './path-trace.js';
import type {ServiceLookup} from './service-lookup.js';

export interface ServiceTarget {
	service: Service;
	port: ServicePort;
	slices: EndpointSlice[];
	/** The running pods the slices name (others are followed by IP). */
	endpointPods: PodInfo[];
}

export interface JoinedServiceTrace {
	from: PodPath;
	/** FROM's node: the one where the ClusterIP is DNATed. */
	dnat: NodeHandle;
	target: ServiceTarget;
	endpointPaths: Map<string, PodPath>;
	requests: Map<string, FactsRequest>;
	handles: Map<string, NodeHandle>;
	internalIPs: Map<string, string[]>;
}

const keyOf = (p: {namespace: string; name: string}) => `${p.namespace}/${p.name}`;

/** The running, scheduled pods the Service's slices name. */
export function serviceEndpointPods(found: ServiceLookup, pods: readonly PodInfo[]): PodInfo[] {
	const names = new Set(found.slices.flatMap(s => s.endpoints.flatMap(e => (e.targetRef?.kind === 'Pod' ? [keyOf(e.targetRef)] : []))));
	return pods.filter(p => p.phase === 'Running' && p.nodeName !== null && names.has(keyOf(p)));
}

/** The address of the first ready endpoint: the one a path follows when nothing says which the kernel chose. */
export function firstReadyEndpoint(found: ServiceLookup): string | null {
	return found.slices.flatMap(s => s.endpoints).find(e => e.ready && e.addresses[0] !== undefined)?.addresses[0] ?? null;
}

/** The endpoint pods to join for a walk to `ip` (null: every endpoint). */
function endpointPodsAt(found: ServiceLookup, endpointPods: readonly PodInfo[], ip: string | null): PodInfo[] {
	if (ip === null) return [...endpointPods];
	const ref = found.slices.flatMap(s => s.endpoints).find(e => e.addresses.includes(ip))?.targetRef;
	return endpointPods.filter(p => ref?.kind === 'Pod' && ref.namespace === p.namespace && ref.name === p.name);
}

/** Several plans as one request per node: each netns and each decision asked once. */
function merge(into: Map<string, FactsRequest>, plan: Map<string, FactsRequest>): void {
	for (const [node, r] of plan) {
		const m = into.get(node) ?? {flow: r.flow ?? null, pods: [], decisions: []};
		for (const p of r.pods) if (!m.pods.includes(p)) m.pods.push(p);
		const asked = new Set(m.decisions.map(d => JSON.stringify(d)));
		for (const d of r.decisions) if (!asked.has(JSON.stringify(d))) m.decisions.push(d);
		into.set(node, m);
	}
}

/** `only`: the one endpoint address to walk to (its pod alone is joined); null: every endpoint. */
export async function joinServiceTrace(registry: NodeRegistry, nodes: readonly NodeInfo[], from: PodInfo, target: ServiceTarget, flow: PathFlow | null, only: string | null = null): Promise<Result<JoinedServiceTrace>> {
	const others = target.endpointPods.filter(p => p.uid !== from.uid);
	const joined = await joinPods(registry, nodes, [from, ...others]);
	if (!joined.ok) return joined;
	const {paths, plan, handles, internalIPs} = joined.value;
	const fromPath = paths.get(from.uid)!;
	const endpointPaths = new Map<string, PodPath>();
	for (const p of target.endpointPods) {
		const path = paths.get(p.uid);
		if (path) endpointPaths.set(keyOf(p), path);
	}

	const requests = new Map<string, FactsRequest>();
	const clusterIP = target.service.clusterIPs[0] ?? null;
	for (const e of target.slices.flatMap(s => s.endpoints).filter(e => only === null || e.addresses.includes(only))) {
		const pod = e.targetRef?.kind === 'Pod' ? endpointPaths.get(keyOf(e.targetRef)) : undefined;
		for (const ip of pod ? [pod.ip ?? ''] : e.addresses) if (ip) merge(requests, planFacts(fromPath, pod ?? {ip}, plan, flow));
	}

	if (fromPath.node !== null) {
		const own = requests.get(fromPath.node) ?? {flow, pods: [], decisions: []};
		own.serviceRules = true;
		// The pod's own route to the ClusterIP: the way it sends before any DNAT.
		if (fromPath.netns && fromPath.ip && clusterIP) {
			if (!own.pods.includes(fromPath.netns.path)) own.pods.push(fromPath.netns.path);
			own.decisions.push({netnsPath: fromPath.netns.path, dst: clusterIP, src: fromPath.ip, iif: null});
		}

		requests.set(fromPath.node, own);
	}

	const dnat = fromPath.node === null ? undefined : handles.get(fromPath.node);
	if (dnat === undefined) return {ok: false, reason: `pod ${keyOf(from)} is on no node that could be opened`, hint: 'kubectl get pod -o wide shows its node'};
	return {ok: true, value: {from: fromPath, dnat, target, endpointPaths, requests, handles, internalIPs}};
}

/** The facts, one round trip per node, and the walk to the chosen endpoint (or to each). */
export async function readServiceTrace(trace: JoinedServiceTrace, chosen: string | null, allEndpoints: boolean): Promise<PathDocument> {
	const {nodes} = await readNodes(trace.handles, trace.requests, trace.internalIPs);
	const {service, port, slices} = trace.target;
	return buildServicePathDocument(trace.from, {service, port, slices, endpointPods: trace.endpointPaths, chosen, allEndpoints}, nodes);
}

/** The walk from FROM to the endpoint at `ip` (null: to every endpoint): only that endpoint's pod is joined. */
export function joinServiceTraceTo(registry: NodeRegistry, nodes: readonly NodeInfo[], from: PodInfo, found: ServiceLookup, endpointPods: readonly PodInfo[], flow: PathFlow | null, ip: string | null): Promise<Result<JoinedServiceTrace>> {
	return joinServiceTrace(registry, nodes, from, {...found, endpointPods: endpointPodsAt(found, endpointPods, ip)}, flow, ip);
}
