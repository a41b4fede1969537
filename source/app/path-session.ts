// The TUI's open path, A → B: joined once when the peer is picked (both pods' nodes opened through
// the registry), then only the facts re-read on each poll: one round trip per node per refresh.
// A refresh that lands after the path was closed or replaced is dropped, never shown.
import type {NodeInfo} from '../cluster/nodes.js';
import type {PodInfo} from '../core/types.js';
import type {NodeRegistry} from '../node/node-registry.js';
import type {OpenPath} from '../store/tui-state.js';
import {joinTrace, readTraceFacts, type JoinedTrace} from './path-trace.js';

export interface PathSession {
	open(registry: NodeRegistry, nodes: readonly NodeInfo[], from: PodInfo | undefined, to: PodInfo | undefined): Promise<void>;
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

export function createPathSession(publish: (path: OpenPath | null) => void, tracer: Tracer = {joinTrace, readTraceFacts}): PathSession {
	let generation = 0;
	let joined: JoinedTrace | null = null;
	let current: OpenPath | null = null;
	const show = (path: OpenPath | null) => {
		current = path;
		publish(path);
	};

	return {
		async open(registry, nodes, from, to) {
			const mine = ++generation;
			joined = null;
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

			joined = trace.value;
			await this.refresh();
		},
		async refresh() {
			const mine = generation;
			const trace = joined;
			if (trace === null || current === null) return;
			const {document} = await tracer.readTraceFacts(trace);
			if (mine !== generation || current === null) return;
			show({...current, document, error: null, refreshedAt: Date.now()});
		},
		podGone(uid) {
			if (current === null || (uid !== current.fromUid && uid !== current.toUid)) return;
			generation++;
			joined = null;
			const which = uid === current.fromUid ? current.from : current.to;
			show({...current, document: null, error: {reason: `${which} is gone: the API deleted it`, hint: 'esc closes this path; p picks another peer'}, refreshedAt: null});
		},
		close() {
			generation++;
			joined = null;
			show(null);
		},
	};
}
