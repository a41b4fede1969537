// The TUI's session: the only place that talks to the adapters. It resolves the target (retrying
// with backoff while the API server is down), watches the pods, polls the node (first tick ~300 ms,
// then every ~2 s, backing off on errors, `r` now), joins both, asks the runtime about sandboxes,
// runs captures, and publishes immutable snapshots into the store. The UI only reads the store and
// dispatches commands. This file wires the parts and owns the watch, the poll and the join; the
// parts with one job each (the poll loop and its sleep, the start's retry, the target switch, the
// picker's peers, the commands) live beside it.
import {startCapture, type CaptureSession} from '../capture/capture-session.js';
import type {PodWatchHandlers} from '../cluster/pod-watch.js';
import {watchPods} from '../cluster/pod-watch.js';
import {detectCni} from '../core/cni-detect.js';
import {explainCommands} from '../core/evidence.js';
import {buildIpNames} from '../core/ip-names.js';
import {resolvePods} from '../core/join.js';
import type {PodInfo, Result} from '../core/types.js';
import {linkRates} from '../store/link-rates.js';
import {createStore, type Store} from '../store/store.js';
import {initialTuiState, type Dispatch, type ExplainStep, type TuiState} from '../store/tui-state.js';
import {createPathSession} from './path-session.js';
import {createPolicyWatch} from './policy-view-session.js';
import {createCaptureControl, type CaptureStart, type CaptureState} from './capture-control.js';
import {createTwoPointControl, type TwoPointState} from './two-point-control.js';
import {startTwoPoint, type TwoPointCapture} from '../capture/two-point-capture.js';
import {createFlowsSession} from './flows-session.js';
import {defaultRouteDevice, ifNamesOf} from '../capture/node-interfaces.js';
import {missingNsenter} from './node-tools.js';
import type {TargetOptions} from './options.js';
import {runPollLoop} from './poll-loop.js';
import {dispatchCommand, type SessionActions} from './session-commands.js';
import type {SessionLive} from './session-live.js';
import {createSessionPeers} from './session-peers.js';
import {createTargetSwitch} from './session-switch.js';
import {resolveWithRetry} from './target-retry.js';
import {createWakeableSleep} from './wakeable-sleep.js';

export type {CaptureState} from './capture-control.js';
export type {TwoPointState} from './two-point-control.js';

/** The runtime is asked again every this many polls (it spawns docker/crictl). */
const RUNTIME_EVERY = 3;
/** Watch events are folded into one join at most this often. */
const JOIN_MS = 100;

export interface TuiSession {
	store: Store<TuiState>;
	captures: Store<CaptureState>;
	twoPoint: Store<TwoPointState>;
	dispatch: Dispatch;
	/** Resolves once the target is resolved (or failed for good) and the loops are running. */
	start(): Promise<void>;
	stop(): Promise<void>;
}

/** Which netns inode the runtime gives each pod, as one comparable string. */
function sandboxInodes(runtime: TuiState['runtime']): string {
	return (runtime?.sandboxes ?? []).map(sandbox => `${sandbox.podUid}:${sandbox.netnsInode ?? '-'}`).sort().join(',');
}

export function createSession(o: TargetOptions, store: Store<TuiState> = createStore<TuiState>({...initialTuiState(), allNodes: o.allNodes})): TuiSession {
	const capture = createCaptureControl(openCapture);
	const {captures} = capture;
	const twoPointControl = createTwoPointControl();
	const {twoPoint} = twoPointControl;
	const startedAt = Date.now();
	const abort = new AbortController();
	const {signal} = abort;
	const sleeper = createWakeableSleep(signal);
	const live: SessionLive = {target: null, options: o, pods: new Map(), view: null, previousSnapshot: null, paths: new Map()};
	const {pods} = live;
	let watch: {stop(): void} | null = null;
	let explainUid: string | null = null;
	let joinTimer: NodeJS.Timeout | undefined;
	let polls = 0;
	let failures = 0;
	let loop: Promise<void> | null = null;
	let lastContactAt: number | null = null;

	const getState = store.getSnapshot;
	const set = (patch: Partial<TuiState>) => store.update(state => ({...state, ...patch}));
	const knownPods = () => [...pods.values(), ...(getState().peers?.pods ?? [])];
	const policyWatch = createPolicyWatch({getState, set, podByUid, nodes: () => live.target?.nodes ?? []});
	const pathSession = createPathSession(openPath => policyWatch.showPath(openPath));
	const flowsSession = createFlowsSession({
		publish: flows => set({flows}),
		pod: podByUid,
		pods: knownPods,
		node: name => (live.target ? live.target.registry.open(name) : Promise.resolve({ok: false, reason: 'not connected yet', hint: 'wait for the first poll'})),
		kube: () => live.target?.kube ?? null,
	});
	const peers = createSessionPeers({live, signal, getState, set, path: pathSession, pod: podByUid, knownPods});
	const targetSwitch = createTargetSwitch({
		live,
		signal,
		getState,
		set,
		capture,
		twoPoint: twoPointControl,
		path: pathSession,
		flows: flowsSession,
		policy: policyWatch,
		watchPods: startWatch,
		checkNodeTools,
		wake: sleeper.wake,
		start,
	});
	const actions: SessionActions = {
		getState,
		set,
		pod: podByUid,
		peers,
		targetSwitch,
		path: pathSession,
		flows: flowsSession,
		capture,
		twoPoint: twoPointControl,
		openTwoPoint,
		refresh,
		watchPods: startWatch,
		explain(uid) {
			explainUid = uid;
			set({explain: explainFor(explainUid)});
		},
	};
	set({root: process.geteuid?.() === 0});

	function explainFor(uid: string | null): TuiState['explain'] {
		const {target} = live;
		if (uid === null || !target) return null;
		const path = live.paths.get(uid);
		if (!path) return {uid, steps: [], error: 'this pod is not resolved on this node yet'};
		try {
			const steps: ExplainStep[] = explainCommands(path, target.access, {}).map(step => ({
				what: step.what,
				command: step.command,
				expect: step.expect,
			}));
			return {uid, steps, error: steps.length === 0 ? 'nothing to prove for this pod on this node' : null};
		} catch (error) {
			return {uid, steps: [], error: `explain failed: ${(error as Error).message}`};
		}
	}

	/** Join pods with the latest node view and publish; the one place paths are recomputed. */
	function join() {
		clearTimeout(joinTimer);
		joinTimer = undefined;
		const {target, view} = live;
		if (!target) return;
		const podList = [...pods.values()];
		// The runtime is asked every few polls: a deleted pod's sandbox must not claim an inode the
		// kernel has since reused for a new pod's netns.
		const sandboxes = getState().runtime?.sandboxes.filter(sandbox => pods.has(sandbox.podUid));
		live.paths = view ? new Map(resolvePods(podList, view, target.node, sandboxes).map(path => [path.uid, path])) : new Map();
		set({pods: new Map(pods), paths: live.paths, explain: explainFor(explainUid)});
		const capture = captures.getSnapshot();
		if (capture.session && capture.uid && !pods.has(capture.uid)) void capture.session.podGone();
	}

	function scheduleJoin() {
		joinTimer ??= setTimeout(join, JOIN_MS);
	}

	function startWatch(allNodes: boolean) {
		const {target} = live;
		if (!target) return;
		watch?.stop();
		// The old pods stay on screen until the new scope's first list replaces them: no blank frame.
		const handlers: PodWatchHandlers = {
			onReplace(list) {
				lastContactAt = Date.now();
				pods.clear();
				for (const pod of list) pods.set(pod.uid, pod);
				scheduleJoin();
			},
			onUpsert(pod) {
				lastContactAt = Date.now();
				pods.set(pod.uid, pod);
				scheduleJoin();
			},
			onDelete(uid) {
				lastContactAt = Date.now();
				pods.delete(uid);
				pathSession.podGone(uid);
				scheduleJoin();
			},
			onStatus(status) {
				if (status.connected) lastContactAt = Date.now();
				set({watch: {connected: status.connected, reason: status.reason ?? null, hint: status.hint ?? null, lastContactAt}});
			},
		};
		watch = watchPods(target.kube, {nodeName: allNodes ? undefined : target.node, namespace: live.options.namespace, labelSelector: live.options.selector}, handlers);
		set({allNodes});
	}

	async function pollOnce() {
		if (!live.target) return;
		// A poll of the node we just switched away from must not land on the new one's screen.
		const polled = live.target;
		const result = await polled.shell.poller.poll();
		if (signal.aborted || live.target !== polled) return;
		if (result.ok) {
			failures = 0;
			const view = result.value;
			live.view = view;
			const rates = linkRates(live.previousSnapshot, view.snapshot);
			live.previousSnapshot = view.snapshot;
			set({view, rates, cni: detectCni(view.snapshot), polledAt: Date.now(), pollError: null});
			policyWatch.cniChanged();
			join();
			// The open path's facts ride the same poll: one round trip per node it crosses.
			await pathSession.refresh();
			// So do the Flows section's pod's conntrack entries, while it is open: one request more.
			await flowsSession.refresh();
			// After the paths are out: the runtime (docker, crictl) adds the Containers pane's pids, and
			// its sandbox inodes decide between namespaces that hold one IP, so a change joins again now.
			if (polls % RUNTIME_EVERY === 0) {
				const runtime = await polled.shell.runtime();
				if (!signal.aborted && live.target === polled) {
					const before = sandboxInodes(getState().runtime);
					set({runtime});
					if (sandboxInodes(runtime) !== before) join();
				}
			}
		} else {
			failures++;
			set({pollError: {reason: result.reason, hint: result.hint}});
		}

		polls++;
	}

	function pollThrew(error: Error) {
		failures++;
		set({pollError: {reason: `node poll failed: ${error.message}`, hint: 'it is retried; run with --debug for details'}});
	}

	function refresh() {
		failures = 0;
		if (getState().nodeProblem) void checkNodeTools();
		set({notice: 'refreshing…'});
		setTimeout(() => set({notice: null}), 1000).unref();
		sleeper.wake();
	}

	/** Starts tcpdump for the pod; whether the pane keeps it is the capture control's call. */
	async function openCapture(uid: string, how: CaptureStart = {}): Promise<Result<CaptureSession>> {
		const {target, paths, view} = live;
		const path = paths.get(uid);
		if (!target || !path) return {ok: false, reason: 'this pod has no resolved path on this node', hint: 'capture runs where the pod runs; pick a pod of this node'};
		const names = buildIpNames([...paths.values()], target.nodes.map(node => ({name: node.name, ips: node.internalIPs})));
		return startCapture({
			shell: target.shell,
			pod: path,
			cni: getState().cni,
			uplink: {iface: defaultRouteDevice(view?.snapshot)},
			names,
			ifNames: ifNamesOf(view?.snapshot),
			...how,
		});
	}

	/** Two captures along the open path, each on its hop's node (reached through the registry). */
	async function openTwoPoint(): Promise<Result<TwoPointCapture>> {
		const doc = getState().openPath?.document;
		const t = live.target;
		if (!t || !doc) return {ok: false, reason: 'the path is not traced yet', hint: 'wait for its hops, then press t again'};
		const names = buildIpNames([...live.paths.values()], t.nodes.map(node => ({name: node.name, ips: node.internalIPs})));
		return startTwoPoint({doc, names, shell: node => t.registry.open(node)});
	}

	async function checkNodeTools() {
		if (!live.target) return;
		const problem = await missingNsenter(live.target.shell);
		if (!signal.aborted) set({nodeProblem: problem});
	}

	function podByUid(uid: string): PodInfo | undefined {
		return pods.get(uid) ?? getState().peers?.pods.find(pod => pod.uid === uid);
	}

	async function start() {
		const resolved = await resolveWithRetry({options: () => live.options, signal, sleep: sleeper.sleep, set});
		if (resolved === null) return;
		const target = resolved;
		live.target = target;
		// The node list came from the API (with --node and the API down, it is empty).
		if (target.nodes.length > 0) lastContactAt = Date.now();
		set({
			phase: 'ready',
			retry: null,
			context: target.kube.context,
			server: target.kube.server,
			node: target.node,
			access: target.access,
			namespace: o.namespace ?? null,
			selector: o.selector ?? null,
			notice: target.warning === null ? null : `${target.warning.reason} (${target.warning.hint})`,
		});
		startWatch(o.allNodes);
		policyWatch.start(target.kube);
		void targetSwitch.publishNames(target);
		loop = runPollLoop({signal, sleep: sleeper.sleep, startedAt, pollOnce, pollThrew, failures: () => failures});
		void checkNodeTools();
	}

	async function stop() {
		abort.abort();
		pathSession.close();
		policyWatch.stop();
		flowsSession.close();
		if (joinTimer) clearTimeout(joinTimer);
		watch?.stop();
		await capture.close();
		await twoPointControl.close();
		await loop;
		await live.target?.registry.close();
	}

	return {store, captures, twoPoint, dispatch: command => dispatchCommand(command, actions), start, stop};
}
