// The TUI's open path, A → B: joined once when the peer is picked (both pods' nodes opened through
// the registry), then only the facts re-read on each poll: one round trip per node per refresh.
// A refresh that lands after the path was closed or replaced is dropped, never shown. The peer may
// be a Service: then FROM's node also reads kube-proxy's rules, and the walk follows one endpoint —
// the first ready one, until a probe's conntrack entry names the one the kernel chose.
import type {NodeInfo} from '../cluster/nodes.js';
import type {PathFlow, PathProbe} from '../core/path/types.js';
import type {PodInfo} from '../core/types.js';
import type {NodeRegistry} from '../node/node-registry.js';
import type {OpenPath} from '../store/tui-state.js';
import {probeService, probeTo} from './path-probe.js';
import {firstReadyEndpoint, joinServiceTraceTo, readServiceTrace, serviceEndpointPods, type JoinedServiceTrace} from './path-service-trace.js';
import {joinTrace, readTraceFacts, type JoinedTrace} from './path-trace.js';
import type {ServiceLookup} from './service-lookup.js';

export interface PathSession {
	open(registry: NodeRegistry, nodes: readonly NodeInfo[], from: PodInfo | undefined, to: PodInfo | undefined): Promise<void>;
	/** The path to a Service; `pods`: the pods known, among which its endpoints are. */
	openService(registry: NodeRegistry, nodes: readonly NodeInfo[], from: PodInfo | undefined, found: ServiceLookup, pods: readonly PodInfo[]): Promise<void>;
	/** `P`: one connection attempt from A's netns; its answer stays at the end of the path. */
	probe(): Promise<void>;
	refresh(): Promise<void>;
	/** The watch saw this pod deleted: a path from or to it says so, and stops refreshing. */
	podGone(uid: string): void;
	close(): void;
}

/** How a path is traced: path-trace's two steps (a test gives its own). */
export interface Tracer {
	joinTrace: typeof joinTrace;
	readTraceFacts: typeof readTraceFacts;
}

function label(pod: PodInfo): string {
	return `${pod.namespace}/${pod.name}`;
}

/** Why a pod cannot be an end of a path, or null. */
function unusable(pod: PodInfo | undefined, which: string): {reason: string; hint: string} | null {
	if (!pod) return {reason: `the ${which} pod is gone`, hint: 'pick another pod; p opens the picker'};
	if (pod.phase !== 'Running') return {reason: `${label(pod)} is ${pod.phase || 'in no phase'}, not running`, hint: 'a path needs a running pod on a node'};
	if (pod.nodeName === null) return {reason: `${label(pod)} is not scheduled to a node`, hint: 'kubectl describe pod shows why'};
	if (pod.hostNetwork) return {reason: `${label(pod)} uses the node's network (hostNetwork)`, hint: 'it has no veth pair: pick a pod with its own network'};
	return null;
}

type Joined =
	| {kind: 'pods'; trace: JoinedTrace}
	| {kind: 'service'; trace: JoinedServiceTrace; found: ServiceLookup; registry: NodeRegistry; nodes: readonly NodeInfo[]; from: PodInfo; endpointPods: PodInfo[]; flow: PathFlow; walkedTo: string | null; chosen: string | null};

const serviceLabel = (found: ServiceLookup) => `svc/${found.service.namespace}/${found.service.name}:${found.port.port}`;

export function createPathSession(publish: (path: OpenPath | null) => void, tracer: Tracer = {joinTrace, readTraceFacts}): PathSession {
	let generation = 0;
	let joined: Joined | null = null;
	let current: OpenPath | null = null;
	let probe: PathProbe | null = null;
	const show = (path: OpenPath | null) => {
		current = path;
		publish(path);
	};

	return {
		async open(registry, nodes, from, to) {
			const mine = ++generation;
			joined = null;
			probe = null;
			const ends = {from: from ? label(from) : '?', to: to ? label(to) : '?', fromUid: from?.uid ?? '', toUid: to?.uid ?? ''};
			const problem = unusable(from, 'selected') ?? unusable(to, 'peer');
			if (problem) {
				show({...ends, document: null, error: problem, refreshedAt: null});
				return;
			}

			show({...ends, document: null, error: null, refreshedAt: null});
			const trace = await tracer.joinTrace(registry, nodes, from!, {pod: to!});
			if (mine !== generation) return;
			if (!trace.ok) {
				show({...ends, document: null, error: {reason: trace.reason, hint: trace.hint}, refreshedAt: null});
				return;
			}

			joined = {kind: 'pods', trace: trace.value};
			await this.refresh();
		},
		async openService(registry, nodes, from, found, pods) {
			const mine = ++generation;
			joined = null;
			probe = null;
			const ends = {from: from ? label(from) : '?', to: serviceLabel(found), fromUid: from?.uid ?? '', toUid: `svc:${found.service.namespace}/${found.service.name}`};
			const problem = unusable(from, 'selected');
			if (problem) {
				show({...ends, document: null, error: problem, refreshedAt: null});
				return;
			}

			show({...ends, document: null, error: null, refreshedAt: null});
			const endpointPods = serviceEndpointPods(found, pods);
			const flow: PathFlow = {proto: found.port.protocol === 'UDP' ? 'udp' : 'tcp', port: found.port.port};
			const first = firstReadyEndpoint(found);
			const trace = await joinServiceTraceTo(registry, nodes, from!, found, endpointPods, flow, first);
			if (mine !== generation) return;
			if (!trace.ok) {
				show({...ends, document: null, error: {reason: trace.reason, hint: trace.hint}, refreshedAt: null});
				return;
			}

			joined = {kind: 'service', trace: trace.value, found, registry, nodes, from: from!, endpointPods, flow, walkedTo: first, chosen: null};
			await this.refresh();
		},
		async probe() {
			const mine = generation;
			const j = joined;
			if (j === null || current === null) return;
			show({...current, probing: true});
			let answer: PathProbe;
			if (j.kind === 'pods') {
				const {target, from, handles} = j.trace;
				const ip = 'pod' in target ? target.pod.ip ?? '' : target.ip;
				// The TUI asks for no port: an ICMP echo, as `path --probe` sends without --port.
				const {sport: _sport, ...attempt} = await probeTo(from.node === null ? undefined : handles.get(from.node), from, ip, null, 'icmp');
				answer = attempt;
			} else {
				answer = await probeService(j.trace, j.found);
				const ip = answer.endpoint?.ip ?? null;
				if (ip !== null && mine === generation) {
					j.chosen = `${ip}:${answer.endpoint!.port}`;
					// The kernel chose another endpoint than the one walked: walk to that one from now on.
					if (ip !== j.walkedTo) {
						const again = await joinServiceTraceTo(j.registry, j.nodes, j.from, j.found, j.endpointPods, j.flow, ip);
						if (again.ok) {
							j.trace = again.value;
							j.walkedTo = ip;
						}
					}
				}
			}

			if (mine !== generation || current === null) return;
			probe = answer;
			current = {...current, probing: false};
			await this.refresh();
		},
		async refresh() {
			const mine = generation;
			const j = joined;
			if (j === null || current === null) return;
			const document = j.kind === 'pods' ? (await tracer.readTraceFacts(j.trace)).document : await readServiceTrace(j.trace, j.chosen, false);
			if (mine !== generation || current === null) return;
			if (probe) document.probe = probe;
			show({...current, document, error: null, refreshedAt: Date.now()});
		},
		podGone(uid) {
			if (current === null || (uid !== current.fromUid && uid !== current.toUid)) return;
			generation++;
			joined = null;
			probe = null;
			const which = uid === current.fromUid ? current.from : current.to;
			show({...current, document: null, error: {reason: `${which} is gone: the API deleted it`, hint: 'esc closes this path; p picks another peer'}, refreshedAt: null});
		},
		close() {
			generation++;
			joined = null;
			probe = null;
			show(null);
		},
	};
}
