// Moving the session elsewhere: `:ns`, `:node`, `:ctx`, and the agent pod the user accepted. A
// switch that fails is a notice and the screen stays as it was; one that lands forgets all that was
// seen before, and the next poll and list fill the panes again.
import {listNamespaces} from '../cluster/namespaces.js';
import type {SwitchTarget, TuiState} from '../store/tui-state.js';
import type {CaptureControl} from './capture-control.js';
import type {FlowsSession} from './flows-session.js';
import type {TargetOptions} from './options.js';
import type {PathSession} from './path-session.js';
import type {PolicyWatch} from './policy-view-session.js';
import type {SessionLive} from './session-live.js';
import {resolveTarget, type Target} from './target.js';
import type {TwoPointControl} from './two-point-control.js';

export interface SwitchDeps {
	live: SessionLive;
	signal: AbortSignal;
	getState(): TuiState;
	set(patch: Partial<TuiState>): void;
	capture: CaptureControl;
	twoPoint: TwoPointControl;
	path: PathSession;
	flows: FlowsSession;
	policy: PolicyWatch;
	/** (Re)starts the pod watch, on this node or all of them. */
	watchPods(allNodes: boolean): void;
	checkNodeTools(): Promise<void>;
	/** Polls now. */
	wake(): void;
	/** Starts the session again: an agent pod accepted before any target resolved. */
	start(): Promise<void>;
}

export interface TargetSwitch {
	switchTo(to: SwitchTarget): Promise<void>;
	/** `A`: the node on offer, through an agent pod. */
	startAgent(): void;
	/** What the command line offers for tab: contexts, namespaces, nodes. */
	publishNames(t: Target): Promise<void>;
}

export function createTargetSwitch(deps: SwitchDeps): TargetSwitch {
	const {live, signal, getState, set} = deps;

	async function publishNames(t: Target) {
		const listed = await listNamespaces(t.kube);
		if (signal.aborted || live.target !== t) return;
		set({names: {contexts: t.kube.contexts, nodes: t.nodes.map(node => node.name), namespaces: listed.ok ? listed.value : []}});
	}

	/** Forget everything seen of the node before: the next poll and list fill the panes again. */
	function showTarget(t: Target, notice: string) {
		void deps.twoPoint.stop();
		deps.path.close();
		deps.flows.close();
		live.view = null;
		live.previousSnapshot = null;
		live.paths = new Map();
		live.pods.clear();
		set({
			// An offer made for the node we were trying to reach is void once we are elsewhere.
			agentOffer: null,
			context: t.kube.context,
			server: t.kube.server,
			node: t.node,
			access: t.access,
			view: null,
			paths: live.paths,
			pods: new Map(),
			runtime: null,
			cni: null,
			rates: new Map(),
			polledAt: null,
			pollError: null,
			nodeProblem: null,
			notice,
		});
		deps.watchPods(getState().allNodes);
		void deps.checkNodeTools();
		deps.wake();
	}

	async function switchTo(to: SwitchTarget) {
		const from = live.target;
		if (!from) return;
		if (to.kind === 'namespace') {
			live.options = {...live.options, namespace: to.name ?? undefined};
			set({namespace: to.name, notice: `namespace: ${to.name ?? 'all'}`});
			deps.watchPods(getState().allNodes);
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
			if (signal.aborted || live.target !== from) return;
			if (!opened.ok) {
				// No access of ours reaches it: an agent pod still may, if the user says so.
				const offer = live.options.agent !== true && !(live.options.agentNodes ?? []).includes(to.name);
				set(offer
					? {agentOffer: to.name, notice: `node ${to.name} is not reachable from here — press A to start an agent pod on it (${opened.reason})`}
					: {notice: `node ${to.name}: ${opened.reason} (${opened.hint})`});
				return;
			}

			await deps.capture.stop();
			live.target = {...from, node: to.name, shell: opened.value, access: opened.value.access, warning: opened.value.warning};
			showTarget(live.target, opened.value.warning ? `${opened.value.warning.reason} (${opened.value.warning.hint})` : `node: ${to.name}`);
			return;
		}

		if (to.name === from.kube.context) return;
		set({notice: `connecting to context ${to.name}…`});
		await moveTo({...live.options, context: to.name, node: undefined}, `context: ${to.name}`, `context ${to.name}`);
	}

	/** The session on a target resolved anew (another context, a node through an agent); a failure is a notice and the screen stays. */
	async function moveTo(next: TargetOptions, shown: string, what: string) {
		const from = live.target;
		if (!from) return;
		const resolved = await resolveTarget(next);
		if (signal.aborted || live.target !== from) {
			if (resolved.ok) void resolved.value.registry.close();
			return;
		}

		if (!resolved.ok) {
			set({notice: `${what}: ${resolved.reason} (${resolved.hint})`});
			return;
		}

		await deps.capture.stop();
		live.options = next;
		live.target = resolved.value;
		void from.registry.close();
		showTarget(live.target, shown);
		deps.policy.start(live.target.kube);
		void publishNames(live.target);
	}

	function startAgent() {
		const node = getState().agentOffer;
		if (node === null) return;
		// The user said yes: this node, through an agent pod. Offered at the start, the start
		// runs again with it; offered by `:node`, the session moves to that node through it.
		const next = {...live.options, node, agentNodes: [...(live.options.agentNodes ?? []), node]};
		if (live.target === null) {
			live.options = next;
			set({phase: 'connecting', failure: null, agentOffer: null, notice: `starting an agent pod on node ${node}…`});
			void deps.start();
		} else {
			set({agentOffer: null, notice: `starting an agent pod on node ${node}…`});
			void moveTo(next, `node: ${node} (agent)`, `node ${node}`);
		}
	}

	return {switchTo, startAgent, publishNames};
}
