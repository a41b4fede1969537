// The path between two pods (or a pod and an address), through the node registry: each node involved
// is opened, read once to join its pod (netns, eth0, host veth, bridge: only the pods' own
// namespaces when the runtime names them, else the whole node's poll), then asked for its path
// facts in one round trip; the pure core walks the hops. The CLI runs it once; the TUI re-reads
// only the facts each poll, with the pods as joined (see readTraceFacts).
import {detectCni} from '../core/cni-detect.js';
import {buildPathDocument} from '../core/path/path-document.js';
import {planFacts, type PlanNode} from '../core/path/path-plan.js';
import type {PathNode} from '../core/path/path-trail.js';
import type {PathTarget} from '../core/path/path-walk.js';
import type {FactsRequest, PathDocument, PathFlow} from '../core/path/types.js';
import {resolvePods} from '../core/join.js';
import type {PodInfo, PodPath, PodRef, Result} from '../core/types.js';
import type {NodeInfo} from '../cluster/nodes.js';
import type {NodeHandle, NodeRegistry} from '../node/node-registry.js';
import {readPathFacts} from '../node/path-facts.js';
import {podsView} from './path-pods-view.js';

export type TraceTarget = {pod: PodInfo} | {ip: string};

/** The pods as joined on their nodes, and what to ask each node: everything a refresh needs. */
export interface JoinedTrace {
	from: PodPath;
	target: PathTarget;
	requests: Map<string, FactsRequest>;
	handles: Map<string, NodeHandle>;
	internalIPs: Map<string, string[]>;
	/** Round trips the join took per node (the poller's processes). */
	joinRoundTrips: Map<string, number>;
	/** The CNI each node's interfaces show (core/cni-detect's kind), for whether policy is enforced. */
	cniKinds?: Map<string, string>;
}

export interface TraceResult {
	document: PathDocument;
	/** Processes run per node for the facts read: the path's own round trips. */
	factsRoundTrips: Map<string, number>;
}

function toRef(pod: PodInfo): PodRef {
	return {namespace: pod.namespace, name: pod.name, uid: pod.uid, nodeName: pod.nodeName, hostNetwork: pod.hostNetwork, ips: pod.ips, phase: pod.phase};
}

/** The pods as their nodes show them: each node opened and read once for the pods it holds. */
export interface JoinedPods {
	paths: Map<string, PodPath>;
	plan: Map<string, PlanNode>;
	handles: Map<string, NodeHandle>;
	internalIPs: Map<string, string[]>;
	joinRoundTrips: Map<string, number>;
	/** The CNI each node's links show (policy enforcement needs it). */
	cniKinds: Map<string, string>;
}

export async function joinPods(registry: NodeRegistry, nodes: readonly NodeInfo[], pods: readonly PodInfo[]): Promise<Result<JoinedPods>> {
	const names = [...new Set(pods.map(p => p.nodeName).filter((n): n is string => n !== null))];
	const opened = await Promise.all(names.map(async name => ({name, handle: await registry.open(name)})));
	const handles = new Map<string, NodeHandle>();
	for (const {name, handle} of opened) {
		if (!handle.ok) return {ok: false, reason: `node ${name}: ${handle.reason}`, hint: handle.hint};
		handles.set(name, handle.value);
	}

	const paths = new Map<string, PodPath>();
	const plan = new Map<string, PlanNode>();
	const joinRoundTrips = new Map<string, number>();
	const cniKinds = new Map<string, string>();
	const internalIPs = new Map<string, string[]>(names.map(name => [name, nodes.find(n => n.name === name)?.internalIPs ?? []]));
	const joined = await Promise.all(names.map(async name => {
		const handle = handles.get(name)!;
		const here = pods.filter(p => p.nodeName === name);
		const runtime = await handle.runtime().catch(() => null);
		const narrow = runtime === null ? null : await podsView(handle, runtime.sandboxes, here.map(p => p.uid));
		if (narrow !== null) return {name, here, runtime, ...narrow};
		const view = await handle.poller.poll();
		return {name, here, runtime, view, processes: handle.poller.lastPollStats().processes};
	}));
	for (const {name, here, view, runtime, processes} of joined) {
		if (!view.ok) return {ok: false, reason: `cannot read node ${name}: ${view.reason}`, hint: view.hint};
		joinRoundTrips.set(name, processes);
		cniKinds.set(name, detectCni(view.value.snapshot).kind);
		for (const path of resolvePods(here.map(toRef), view.value, name, runtime?.sandboxes)) paths.set(path.uid, path);
		plan.set(name, {name, links: view.value.snapshot.links, internalIPs: internalIPs.get(name) ?? []});
	}

	return {ok: true, value: {paths, plan, handles, internalIPs, joinRoundTrips, cniKinds}};
}

export async function joinTrace(registry: NodeRegistry, nodes: readonly NodeInfo[], from: PodInfo, to: TraceTarget, flow: PathFlow | null = null): Promise<Result<JoinedTrace>> {
	const joined = await joinPods(registry, nodes, 'pod' in to ? [from, to.pod] : [from]);
	if (!joined.ok) return joined;
	const {paths, plan, handles, internalIPs, joinRoundTrips, cniKinds} = joined.value;
	const fromPath = paths.get(from.uid)!;
	const target: PathTarget = 'pod' in to ? {pod: paths.get(to.pod.uid)!} : {ip: to.ip};
	const requests = planFacts(fromPath, 'pod' in target ? target.pod : target, plan, flow);
	return {ok: true, value: {from: fromPath, target, requests, handles, internalIPs, joinRoundTrips, cniKinds}};
}

/** One facts read per node (in parallel); a node that does not answer keeps its reason. */
export async function readNodes(handles: ReadonlyMap<string, NodeHandle>, requests: ReadonlyMap<string, FactsRequest>, internalIPs: ReadonlyMap<string, string[]>): Promise<{nodes: Map<string, PathNode>; factsRoundTrips: Map<string, number>}> {
	const nodes = new Map<string, PathNode>();
	const factsRoundTrips = new Map<string, number>();
	await Promise.all([...handles].map(async ([name, handle]) => {
		const request = requests.get(name) ?? {flow: null, pods: [], decisions: []};
		const facts = await readPathFacts(handle, name, request);
		factsRoundTrips.set(name, 1);
		nodes.set(name, {name, access: handle.access, facts: facts.ok ? facts.value : null, factsError: facts.ok ? null : `${facts.reason} (${facts.hint})`, internalIPs: internalIPs.get(name) ?? []});
	}));
	return {nodes, factsRoundTrips};
}

/** One facts read per node, then the walk. A node that does not answer makes its hops unknown. */
export async function readTraceFacts(trace: JoinedTrace): Promise<TraceResult> {
	const {nodes, factsRoundTrips} = await readNodes(trace.handles, trace.requests, trace.internalIPs);
	return {document: buildPathDocument(trace.from, trace.target, nodes), factsRoundTrips};
}
