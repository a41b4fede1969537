// The TUI's session: the only place that talks to the adapters. It resolves the target (retrying
// with backoff while the API server is down), watches the pods, polls the node (first tick ~300 ms,
// then every ~2 s, backing off on errors, `r` now), joins both, asks the runtime about sandboxes,
// runs captures, and publishes immutable snapshots into the store. The UI only reads the store and
// dispatches commands.
import {startCapture, type CaptureSession} from '../capture/capture-session.js';
import type {PodWatchHandlers} from '../cluster/pod-watch.js';
import {watchPods} from '../cluster/pod-watch.js';
import {detectCni} from '../core/cni-detect.js';
import {explainCommands} from '../core/evidence.js';
import {buildIpNames} from '../core/ip-names.js';
import {resolvePods} from '../core/join.js';
import type {NodeNetSnapshot, NodeView, PodInfo, PodPath, Result} from '../core/types.js';
import {linkRates} from '../store/link-rates.js';
import {createStore, type Store} from '../store/store.js';
import {initialTuiState, type Dispatch, type ExplainStep, type SessionCommand, type SwitchTarget, type TuiState} from '../store/tui-state.js';
import {listNamespaces} from '../cluster/namespaces.js';
import {listPods} from '../cluster/pods.js';
import {listServices} from '../cluster/services.js';
import {lookupService} from './service-lookup.js';
import {parseServicePeer, type ServicePeer} from '../core/service-peer.js';
import {createPathSession} from './path-session.js';
import {createPolicyWatch} from './policy-view-session.js';
import {apiOutage} from './api-outage.js';
import {createCaptureControl, type CaptureStart, type CaptureState} from './capture-control.js';
import {createTwoPointControl, type TwoPointState} from './two-point-control.js';
import {startTwoPoint, type TwoPointCapture} from '../capture/two-point-capture.js';
import {flowCaptureExpression} from './flows-capture.js';
import {createFlowsSession} from './flows-session.js';
import {defaultRouteDevice, ifNamesOf} from '../capture/node-interfaces.js';
import {missingNsenter} from './node-tools.js';
import type {TargetOptions} from './options.js';
import {resolveTarget, type Target} from './target.js';

export type {CaptureState} from './capture-control.js';
export type {TwoPointState} from './two-point-control.js';

const FIRST_POLL_MS = 300;
const POLL_MS = 2000;
const MAX_BACKOFF_MS = 30_000;
/** The first retry of a start that found the API server down; doubling up to MAX_BACKOFF_MS. */
const FIRST_RETRY_MS = 1000;
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
	let target: Target | null = null;
	let watch: {stop(): void} | null = null;
	const pods = new Map<string, PodInfo>();
	let view: NodeView | null = null;
	let previousSnapshot: NodeNetSnapshot | null = null;
	let paths = new Map<string, PodPath>();
	let explainUid: string | null = null;
	let joinTimer: NodeJS.Timeout | undefined;
	let wake: (() => void) | null = null;
	let polls = 0;
	let failures = 0;
	let loop: Promise<void> | null = null;
	let lastContactAt: number | null = null;
	/** The flags, as `:ns` and `:ctx` change them during the session. */
	let options = o;

	const set = (patch: Partial<TuiState>) => store.update(state => ({...state, ...patch}));
	const policyWatch = createPolicyWatch({getState: store.getSnapshot, set, podByUid, nodes: () => target?.nodes ?? []});
	const pathSession = createPathSession(openPath => policyWatch.showPath(openPath));
	const flowsSession = createFlowsSession({
		publish: flows => set({flows}),
		pod: podByUid,
		pods: () => [...pods.values(), ...(store.getSnapshot().peers?.pods ?? [])],
		node: name => (target ? target.registry.open(name) : Promise.resolve({ok: false, reason: 'not connected yet', hint: 'wait for the first poll'})),
		kube: () => target?.kube ?? null,
	});
	set({root: process.geteuid?.() === 0});

	function explainFor(uid: string | null): TuiState['explain'] {
		if (uid === null || !target) return null;
		const path = paths.get(uid);
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
		if (!target) return;
		const podList = [...pods.values()];
		// The runtime is asked every few polls: a deleted pod's sandbox must not claim an inode the
		// kernel has since reused for a new pod's netns.
		const sandboxes = store.getSnapshot().runtime?.sandboxes.filter(sandbox => pods.has(sandbox.podUid));
		paths = view ? new Map(resolvePods(podList, view, target.node, sandboxes).map(path => [path.uid, path])) : new Map();
		set({pods: new Map(pods), paths, explain: explainFor(explainUid)});
		const capture = captures.getSnapshot();
		if (capture.session && capture.uid && !pods.has(capture.uid)) void capture.session.podGone();
	}

	function scheduleJoin() {
		joinTimer ??= setTimeout(join, JOIN_MS);
	}

	function startWatch(allNodes: boolean) {
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
		watch = watchPods(target.kube, {nodeName: allNodes ? undefined : target.node, namespace: options.namespace, labelSelector: options.selector}, handlers);
		set({allNodes});
	}

	async function pollOnce() {
		if (!target) return;
		// A poll of the node we just switched away from must not land on the new one's screen.
		const polled = target;
		const result = await polled.shell.poller.poll();
		if (abort.signal.aborted || target !== polled) return;
		if (result.ok) {
			failures = 0;
			view = result.value;
			const rates = linkRates(previousSnapshot, view.snapshot);
			previousSnapshot = view.snapshot;
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
				if (!abort.signal.aborted && target === polled) {
					const before = sandboxInodes(store.getSnapshot().runtime);
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

	async function pollLoop() {
		await sleep(Math.max(0, FIRST_POLL_MS - (Date.now() - startedAt)));
		while (!abort.signal.aborted) {
			try {
				await pollOnce();
			} catch (error) {
				failures++;
				set({pollError: {reason: `node poll failed: ${(error as Error).message}`, hint: 'it is retried; run with --debug for details'}});
			}

			const wait = failures === 0 ? POLL_MS : Math.min(POLL_MS * 2 ** failures, MAX_BACKOFF_MS);
			await sleep(wait);
		}
	}

	function sleep(ms: number): Promise<void> {
		return new Promise(resolve => {
			if (abort.signal.aborted) {
				resolve();
				return;
			}

			const timer = setTimeout(done, ms);
			function done() {
				clearTimeout(timer);
				wake = null;
				abort.signal.removeEventListener('abort', done);
				resolve();
			}

			wake = done;
			abort.signal.addEventListener('abort', done);
		});
	}

	/** Starts tcpdump for the pod; whether the pane keeps it is the capture control's call. */
	async function openCapture(uid: string, how: CaptureStart = {}): Promise<Result<CaptureSession>> {
		const path = paths.get(uid);
		if (!target || !path) return {ok: false, reason: 'this pod has no resolved path on this node', hint: 'capture runs where the pod runs; pick a pod of this node'};
		const names = buildIpNames([...paths.values()], target.nodes.map(node => ({name: node.name, ips: node.internalIPs})));
		return startCapture({
			shell: target.shell,
			pod: path,
			cni: store.getSnapshot().cni,
			uplink: {iface: defaultRouteDevice(view?.snapshot)},
			names,
			ifNames: ifNamesOf(view?.snapshot),
			...how,
		});
	}

	/** Two captures along the open path, each on its hop's node (reached through the registry). */
	async function openTwoPoint(): Promise<Result<TwoPointCapture>> {
		const doc = store.getSnapshot().openPath?.document;
		const t = target;
		if (!t || !doc) return {ok: false, reason: 'the path is not traced yet', hint: 'wait for its hops, then press t again'};
		const names = buildIpNames([...paths.values()], t.nodes.map(node => ({name: node.name, ips: node.internalIPs})));
		return startTwoPoint({doc, names, shell: node => t.registry.open(node)});
	}

	async function checkNodeTools() {
		if (!target) return;
		const problem = await missingNsenter(target.shell);
		if (!abort.signal.aborted) set({nodeProblem: problem});
	}

	/** The picker's pods: every node's, in the session's namespace and selector, listed once. */
	async function listPeers() {
		const t = target;
		if (!t) return;
		const known = store.getSnapshot().peers;
		set({peers: {pods: known?.pods ?? [...pods.values()], services: known?.services ?? [], loading: true, error: null}});
		const [listed, services] = await Promise.all([
			listPods(t.kube, {namespace: options.namespace, labelSelector: options.selector}),
			listServices(t.kube, options.namespace),
		]);
		if (abort.signal.aborted || target !== t) return;
		// Services are offered where the API lists them; a refusal (RBAC) leaves the pods to pick from.
		const reachable = services.ok ? services.value.filter(svc => svc.type !== 'ExternalName' && svc.clusterIPs.length > 0 && !svc.clusterIPs.includes('None')) : [];
		set({peers: listed.ok
			? {pods: listed.value, services: reachable, loading: false, error: null}
			: {pods: [...pods.values()], services: reachable, loading: false, error: {reason: listed.reason, hint: listed.hint}}});
	}

	/** The picker chose a Service: look it up (port, slices), then open the path through its hop. */
	async function openServicePath(fromUid: string, peer: ServicePeer) {
		const t = target;
		if (!t) return;
		const found = await lookupService(t.kube, {kind: 'svc', namespace: peer.namespace, name: peer.name, port: peer.port}, peer.protocol.toLowerCase());
		if (abort.signal.aborted || target !== t) return;
		if (!found.ok || found.value === null) {
			set({notice: found.ok ? `svc/${peer.namespace}/${peer.name} is gone` : `path: ${found.reason} (${found.hint})`});
			return;
		}

		await pathSession.openService(t.registry, t.nodes, podByUid(fromUid), found.value, [...pods.values(), ...(store.getSnapshot().peers?.pods ?? [])]);
	}

	function podByUid(uid: string): PodInfo | undefined {
		return pods.get(uid) ?? store.getSnapshot().peers?.pods.find(pod => pod.uid === uid);
	}

	function dispatch(command: SessionCommand) {
		switch (command.type) {
			case 'path-peers': {
				void listPeers();
				break;
			}

			case 'path-open': {
				if (!target) break;
				const service = parseServicePeer(command.to);
				if (service) void openServicePath(command.from, service);
				else void pathSession.open(target.registry, target.nodes, podByUid(command.from), podByUid(command.to));
				break;
			}

			case 'path-probe': {
				void pathSession.probe();
				break;
			}

			case 'path-close': {
				void twoPointControl.stop();
				pathSession.close();
				break;
			}

			case 'policy-view': {
				void listPeers();
				break;
			}

			case 'start-agent': {
				const node = store.getSnapshot().agentOffer;
				if (node === null) break;
				// The user said yes: this node, through an agent pod. Offered at the start, the start
				// runs again with it; offered by `:node`, the session moves to that node through it.
				const next = {...options, node, agentNodes: [...(options.agentNodes ?? []), node]};
				if (target === null) {
					options = next;
					set({phase: 'connecting', failure: null, agentOffer: null, notice: `starting an agent pod on node ${node}…`});
					void start();
				} else {
					set({agentOffer: null, notice: `starting an agent pod on node ${node}…`});
					void moveTo(next, `node: ${node} (agent)`, `node ${node}`);
				}

				break;
			}

			case 'flows-open': {
				void flowsSession.open(command.uid);
				break;
			}

			case 'flows-close': {
				flowsSession.close();
				break;
			}

			case 'flow-capture': {
				const expression = flowCaptureExpression(command.entry, podByUid(command.uid)?.ips ?? []);
				if (!expression.ok) set({notice: `capture: ${expression.reason} (${expression.hint})`});
				else void capture.start(command.uid, {point: 'peer', expression: expression.value});
				break;
			}

			case 'refresh': {
				failures = 0;
				if (store.getSnapshot().nodeProblem) void checkNodeTools();
				set({notice: 'refreshing…'});
				setTimeout(() => set({notice: null}), 1000).unref();
				wake?.();
				break;
			}

			case 'toggle-all-nodes': {
				startWatch(!store.getSnapshot().allNodes);
				break;
			}

			case 'explain': {
				explainUid = command.uid;
				set({explain: explainFor(explainUid)});
				break;
			}

			case 'start-capture': {
				void capture.start(command.uid);
				break;
			}

			case 'stop-capture': {
				void capture.stop();
				break;
			}

			case 'capture-command': {
				const {session} = captures.getSnapshot();
				if (!session) break;
				const run = command.command === 'capture.save' ? session.save() : session.cyclePoint();
				void run.then(result => {
					if (!result.ok) set({notice: `capture: ${result.reason}`});
				});
				break;
			}

			case 'two-point-start': {
				void twoPointControl.start(openTwoPoint);
				break;
			}

			case 'two-point-stop': {
				void twoPointControl.stop();
				break;
			}

			case 'two-point-pick': {
				twoPoint.getSnapshot().capture?.pick(command.stream);
				break;
			}

			case 'two-point-command': {
				const current = twoPoint.getSnapshot().capture;
				if (!current) break;
				const run = command.command === 'capture.save' ? current.save() : current.move();
				void run.then(result => {
					if (!result.ok) set({notice: `two-point capture: ${result.reason}`});
				});
				break;
			}

			case 'switch': {
				void switchTo(command.to);
				break;
			}

			case 'capture-filter': {
				// A rejected filter comes back as the session's own notice, shown in the pane.
				void captures.getSnapshot().session?.setFilter(command.filter.quick, command.filter.expression);
				break;
			}
		}
	}

	/** What the command line offers for tab: contexts, namespaces, nodes. */
	async function publishNames(t: Target) {
		const listed = await listNamespaces(t.kube);
		if (abort.signal.aborted || target !== t) return;
		set({names: {contexts: t.kube.contexts, nodes: t.nodes.map(node => node.name), namespaces: listed.ok ? listed.value : []}});
	}

	/** Forget everything seen of the node before: the next poll and list fill the panes again. */
	function showTarget(t: Target, notice: string) {
		void twoPointControl.stop();
		pathSession.close();
		flowsSession.close();
		view = null;
		previousSnapshot = null;
		paths = new Map();
		pods.clear();
		set({
			// An offer made for the node we were trying to reach is void once we are elsewhere.
			agentOffer: null,
			context: t.kube.context,
			server: t.kube.server,
			node: t.node,
			access: t.access,
			view: null,
			paths,
			pods: new Map(),
			runtime: null,
			cni: null,
			rates: new Map(),
			polledAt: null,
			pollError: null,
			nodeProblem: null,
			notice,
		});
		startWatch(store.getSnapshot().allNodes);
		void checkNodeTools();
		wake?.();
	}

	/** `:ns`, `:node`, `:ctx`: a failed switch is a notice, and the screen stays as it was. */
	async function switchTo(to: SwitchTarget) {
		const from = target;
		if (!from) return;
		if (to.kind === 'namespace') {
			options = {...options, namespace: to.name ?? undefined};
			set({namespace: to.name, notice: `namespace: ${to.name ?? 'all'}`});
			startWatch(store.getSnapshot().allNodes);
			return;
		}

		if (to.kind === 'node') {
			if (to.name === from.node) return;
			if (from.nodes.length > 0 && !from.nodes.some(node => node.name === to.name)) {
				set({notice: `no node ${to.name}: the nodes are ${from.nodes.map(node => node.name).join(', ')}`});
				return;
			}

			set({notice: `reaching node ${to.name}…`});
			const opened = await from.registry.open(to.name);
			if (abort.signal.aborted || target !== from) return;
			if (!opened.ok) {
				// No access of ours reaches it: an agent pod still may, if the user says so.
				const offer = options.agent !== true && !(options.agentNodes ?? []).includes(to.name);
				set(offer
					? {agentOffer: to.name, notice: `node ${to.name} is not reachable from here — press A to start an agent pod on it (${opened.reason})`}
					: {notice: `node ${to.name}: ${opened.reason} (${opened.hint})`});
				return;
			}

			await capture.stop();
			target = {...from, node: to.name, shell: opened.value, access: opened.value.access, warning: opened.value.warning};
			showTarget(target, opened.value.warning ? `${opened.value.warning.reason} (${opened.value.warning.hint})` : `node: ${to.name}`);
			return;
		}

		if (to.name === from.kube.context) return;
		set({notice: `connecting to context ${to.name}…`});
		await moveTo({...options, context: to.name, node: undefined}, `context: ${to.name}`, `context ${to.name}`);
	}

	/** The session on a target resolved anew (another context, a node through an agent); a failure is a notice and the screen stays. */
	async function moveTo(next: TargetOptions, shown: string, what: string) {
		const from = target;
		if (!from) return;
		const resolved = await resolveTarget(next);
		if (abort.signal.aborted || target !== from) {
			if (resolved.ok) void resolved.value.registry.close();
			return;
		}

		if (!resolved.ok) {
			set({notice: `${what}: ${resolved.reason} (${resolved.hint})`});
			return;
		}

		await capture.stop();
		options = next;
		target = resolved.value;
		void from.registry.close();
		showTarget(target, shown);
		policyWatch.start(target.kube);
		void publishNames(target);
	}

	/** Until the target resolves: an API server that is down is waited for, anything else is final. */
	async function resolveWithRetry(): Promise<Target | null> {
		for (let attempt = 0; ; attempt++) {
			const resolved = await resolveTarget(options);
			if (abort.signal.aborted) return null;
			if (resolved.ok) return resolved.value;
			if ('unreachableNode' in resolved) {
				const node = resolved.unreachableNode;
				set({phase: 'failed', failure: {reason: `node ${node} is not reachable from here — press A to start an agent pod on it`, hint: `${resolved.reason}; ${resolved.hint}`}, agentOffer: node, retry: null});
				return null;
			}

			const outage = await apiOutage(options, abort.signal);
			if (abort.signal.aborted) return null;
			if (outage === null) {
				set({phase: 'failed', failure: {reason: resolved.reason, hint: resolved.hint}, retry: null});
				return null;
			}

			const wait = Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_BACKOFF_MS);
			set({retry: {...outage, nextAt: Date.now() + wait}});
			await sleep(wait);
		}
	}

	async function start() {
		const resolved = await resolveWithRetry();
		if (resolved === null) return;
		target = resolved;
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
		void publishNames(target);
		loop = pollLoop();
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
		await target?.registry.close();
	}

	return {store, captures, twoPoint, dispatch, start, stop};
}
