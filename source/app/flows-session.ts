// The TUI's Flows section: while it is open (and only then) each poll reads the pod's node's
// conntrack once, filtered on the node to the pod's addresses, and the entries are told in the
// cluster's words with the Services and EndpointSlices a list+watch keeps (started on open,
// stopped on close). A Service or slice that changes re-tells the last entries without a read. A read that lands
// after the section was closed or moved to another pod is dropped, never shown.
import type {KubeTarget} from '../cluster/kube-target.js';
import {watchServiceSets, type ServiceSets} from '../cluster/service-watch.js';
import {podFlows, type ConntrackEntry} from '../core/flows.js';
import {canonicalIp} from '../core/pod-ip.js';
import type {PodInfo, Result} from '../core/types.js';
import {readPodConntrack, type ConntrackRead} from '../node/conntrack/conntrack-read.js';
import type {NodeShell} from '../node/node-shell.js';
import type {OpenFlows} from '../store/tui-state.js';
import {flowNames} from './flows-names.js';

export interface FlowsDeps {
	publish(flows: OpenFlows | null): void;
	/** The pod by uid, as the session knows it now. */
	pod(uid: string): PodInfo | undefined;
	/** Every pod the session knows (its watch's, the picker's): their IPs name flows. */
	pods(): Iterable<PodInfo>;
	/** The node's shell, through the registry (reached once, kept open). */
	node(name: string): Promise<Result<NodeShell>>;
	kube(): KubeTarget | null;
	/** Tests give their own (and the watch's). */
	read?: typeof readPodConntrack;
	watch?: typeof watchServiceSets;
}

export interface FlowsSession {
	open(uid: string): Promise<void>;
	/** The poll's read; nothing when the section is closed. */
	refresh(): Promise<void>;
	close(): void;
}

const EMPTY_SETS: ServiceSets = {services: [], slices: [], problem: null};

/** Why a pod has no flows of its own to read, or null. */
function unreadable(pod: PodInfo | undefined): {reason: string; hint: string} | null {
	if (!pod) return {reason: 'the pod is gone: the API deleted it', hint: 'esc closes Flows; pick another pod'};
	if (pod.hostNetwork) return {reason: `${pod.namespace}/${pod.name} uses the node's network (hostNetwork): its flows are the node's`, hint: 'run conntrack -L on the node; pick a pod with its own network'};
	if (pod.nodeName === null) return {reason: `${pod.namespace}/${pod.name} is not scheduled to a node`, hint: 'kubectl describe pod shows why'};
	if (pod.ips.length === 0) return {reason: `${pod.namespace}/${pod.name} has no IP yet`, hint: 'wait until it is running; the next poll reads again'};
	return null;
}

export function createFlowsSession(deps: FlowsDeps): FlowsSession {
	const read = deps.read ?? readPodConntrack;
	const watch = deps.watch ?? watchServiceSets;
	let current: OpenFlows | null = null;
	let generation = 0;
	let entries: ConntrackEntry[] | null = null;
	let sets = EMPTY_SETS;
	let watching: {kube: KubeTarget; stop(): void} | null = null;
	let reading: Promise<void> | null = null;

	const show = (next: OpenFlows | null) => {
		current = next;
		deps.publish(next);
	};

	/** Tell the last entries again with the names as they are now. */
	const retell = () => {
		if (current === null || entries === null) return;
		const pod = deps.pod(current.uid);
		const names = flowNames(deps.pods(), sets.services, sets.slices);
		const ips = new Set((pod?.ips ?? []).map(canonicalIp).filter(ip => ip !== null));
		const flows = [...ips].flatMap(ip => podFlows(entries!, ip, names));
		show({...current, flows: [...new Map(flows.map(f => [f.entry, f])).values()], namesProblem: sets.problem});
	};

	const ensureWatch = () => {
		const kube = deps.kube();
		if (kube === null || watching?.kube === kube) return;
		watching?.stop();
		sets = EMPTY_SETS;
		const stop = watch(kube, next => {
			sets = next;
			retell();
		});
		watching = {kube, stop: () => stop.stop()};
	};

	async function readNow(mine: number): Promise<void> {
		if (current === null) return;
		const pod = deps.pod(current.uid);
		const problem = unreadable(pod);
		if (problem) {
			entries = null;
			show({...current, flows: null, source: null, error: problem, readAt: Date.now()});
			return;
		}

		const shell = await deps.node(pod!.nodeName!);
		if (mine !== generation || current === null) return;
		let got: Result<ConntrackRead>;
		if (!shell.ok) got = shell;
		else got = await read(shell.value, pod!.nodeName!, pod!.ips);
		if (mine !== generation || current === null) return;
		if (!got.ok) {
			entries = null;
			show({...current, flows: null, source: null, error: {reason: got.reason, hint: got.hint}, readAt: Date.now()});
			return;
		}

		entries = got.value.entries;
		current = {...current, source: got.value.source, error: null, readAt: Date.now()};
		retell();
	}

	function refresh(): Promise<void> {
		if (current === null) return Promise.resolve();
		// One read at a time: the poll's and F's must not race each other's answers onto the screen.
		reading ??= readNow(generation).finally(() => {
			reading = null;
		});
		return reading;
	}

	return {
		async open(uid) {
			generation++;
			entries = null;
			const pod = deps.pod(uid);
			show({uid, pod: pod ? `${pod.namespace}/${pod.name}` : uid, flows: null, source: null, error: null, namesProblem: null, readAt: null});
			ensureWatch();
			await reading;
			await refresh();
		},
		refresh,
		close() {
			generation++;
			entries = null;
			watching?.stop();
			watching = null;
			sets = EMPTY_SETS;
			if (current !== null) show(null);
		},
	};
}
