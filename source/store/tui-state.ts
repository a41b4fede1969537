// What the session publishes for the TUI: one immutable snapshot of everything the panes show.
// The session (source/app/session.ts) is its only writer; the UI only reads it.
import type {CniInfo, NodeAccess, NodeView, PodInfo, PodPath, RuntimeInfo} from '../core/types.js';
import type {LinkRate} from './link-rates.js';
import type {CaptureFilterRequest} from '../capture/capture-view.js';
import type {PathDocument} from '../core/path/types.js';
import type {Enforcement} from '../core/policy-enforcement.js';
import type {NetworkPolicy, PolicyNamespace} from '../core/policy/types.js';
import type {ConntrackEntry, Flow} from '../core/flows.js';
import type {Service} from '../core/service-rules/types.js';

export interface Failure {
	reason: string;
	hint: string;
}

/** One copyable command that proves a link, and what it prints now. */
export interface ExplainStep {
	what: string;
	command: string;
	expect: string;
}

/** The path A → B the Path pane shows: the document of the last refresh, or why there is none. */
export interface OpenPath {
	from: string;
	to: string;
	fromUid: string;
	toUid: string;
	/** null while joining, or when `error` says why not. */
	document: PathDocument | null;
	error: Failure | null;
	/** Epoch ms of the last facts read. */
	refreshedAt: number | null;
	/** `P` sent a probe whose answer has not come yet. */
	probing?: boolean;
}

/** The NetworkPolicies the session watches, and whether anything enforces them (the `n` view). */
export interface PolicyState {
	/** null: not listed (yet, or `error` says why). */
	policies: NetworkPolicy[] | null;
	/** null: the namespaces' labels are not known, so namespaceSelectors answer unknown. */
	namespaces: PolicyNamespace[] | null;
	enforcement: Enforcement;
	/** Why the policies are not current. */
	error: Failure | null;
}

/** The Flows section (`F`): the selected pod's conntrack entries, read on each poll while open. */
export interface OpenFlows {
	uid: string;
	/** "ns/name" */
	pod: string;
	/** null until the first read, and while `error` says why there is none. */
	flows: readonly Flow[] | null;
	/** Where the entries came from: the conntrack tool or /proc/net/nf_conntrack. */
	source: 'conntrack' | 'proc' | null;
	error: Failure | null;
	/** The Services watch is down: flows show addresses where names would be. */
	namesProblem: Failure | null;
	/** Epoch ms of the last read. */
	readAt: number | null;
}

/** The peer picker's pods: every pod of every node, listed once when the picker opens. */
export interface PeerList {
	pods: readonly PodInfo[];
	/** The Services a path may go to (svc/NS/NAME:PORT rows); absent or empty when none were listed. */
	services?: readonly Service[];
	loading: boolean;
	error: Failure | null;
}

export interface TuiState {
	/** connecting until the target is resolved; failed shows `failure` instead of the panes. */
	phase: 'connecting' | 'ready' | 'failed';
	failure: Failure | null;
	/** A node no access reaches from here: A starts an agent pod on it. */
	agentOffer: string | null;
	/** While connecting: why the last attempt failed, and when (epoch ms) the next one starts. */
	retry: (Failure & {nextAt: number}) | null;
	context: string | null;
	server: string | null;
	node: string | null;
	access: NodeAccess | null;
	/** null: every namespace. */
	namespace: string | null;
	selector: string | null;
	/** Running as root: namespaces can be entered, so paths are proven rather than guessed. */
	root: boolean;
	allNodes: boolean;
	/** Pods as the API watch reports them, by uid. */
	pods: ReadonlyMap<string, PodInfo>;
	/** The join of those pods with the latest node view, by uid. */
	paths: ReadonlyMap<string, PodPath>;
	view: NodeView | null;
	cni: CniInfo | null;
	runtime: RuntimeInfo | null;
	/** Rates per node-side interface name, from the last two polls. */
	rates: ReadonlyMap<string, LinkRate>;
	/** Epoch ms of the last successful node poll. */
	polledAt: number | null;
	pollError: Failure | null;
	/** A tool the node lacks (nsenter) that leaves paths unresolved: the Path pane says so. */
	nodeProblem: Failure | null;
	/** lastContactAt: epoch ms of the last sign of life from the API (null: none yet). */
	watch: {connected: boolean; reason: string | null; hint: string | null; lastContactAt: number | null};
	explain: {uid: string; steps: ExplainStep[]; error: string | null} | null;
	/** A one-line message for the status row (capture unavailable, refresh requested, ...). */
	notice: string | null;
	/** What the command line completes: the kubeconfig's contexts, the API's namespaces and nodes. */
	names: {contexts: readonly string[]; namespaces: readonly string[]; nodes: readonly string[]};
	openPath: OpenPath | null;
	peers: PeerList | null;
	/** null until the policy watch first reports. */
	policy: PolicyState | null;
	flows: OpenFlows | null;
}

export function initialTuiState(): TuiState {
	return {
		phase: 'connecting',
		failure: null,
		agentOffer: null,
		retry: null,
		context: null,
		server: null,
		node: null,
		access: null,
		namespace: null,
		selector: null,
		root: false,
		allNodes: false,
		pods: new Map(),
		paths: new Map(),
		view: null,
		cni: null,
		runtime: null,
		rates: new Map(),
		polledAt: null,
		pollError: null,
		nodeProblem: null,
		watch: {connected: false, reason: null, hint: null, lastContactAt: null},
		explain: null,
		notice: null,
		names: {contexts: [], namespaces: [], nodes: []},
		openPath: null,
		peers: null,
		policy: null,
		flows: null,
	};
}

/** `:ns` (null: every namespace), `:node`, `:ctx`. */
export type SwitchTarget = {kind: 'namespace'; name: string | null} | {kind: 'node'; name: string} | {kind: 'context'; name: string};

/** What the UI may ask the session to do. */
export type SessionCommand =
	| {type: 'refresh'}
	| {type: 'toggle-all-nodes'}
	| {type: 'explain'; uid: string | null}
	| {type: 'start-capture'; uid: string}
	| {type: 'stop-capture'}
	/** A capture pane command that needs a process: save a pcap, move to the next capture point. */
	| {type: 'capture-command'; command: 'capture.save' | 'capture.cyclePoint'}
	/** Restart the capture with another filter; tcpdump itself checks a free expression. */
	| {type: 'capture-filter'; filter: CaptureFilterRequest}
	| {type: 'switch'; to: SwitchTarget}
	/** The picker opened: list every node's pods once. */
	| {type: 'path-peers'}
	| {type: 'path-open'; from: string; to: string}
	| {type: 'path-close'}
	/** `P` in the path view: one connection attempt from A, answered at the end of the path. */
	| {type: 'path-probe'}
	/** `n` opened the policy view: the pods of every node are listed, so it judges more than this node's. */
	| {type: 'policy-view'}
	/** The path view's `t`: capture at A's and B's host veths at once, with the loss between them. */
	| {type: 'two-point-start'}
	| {type: 'two-point-stop'}
	/** `1` / `2` picks a stream; `c` moves it to the next hop; `w` saves it. */
	| {type: 'two-point-pick'; stream: 1 | 2}
	| {type: 'two-point-command'; command: 'capture.save' | 'capture.cyclePoint'}
	/** Reach the offered node (agentOffer) through an agent pod. */
	| {type: 'start-agent'}

	| {type: 'flows-open'; uid: string}
	| {type: 'flows-close'}
	/** Capture the Flows section's pod, filtered to this flow's tuple. */
	| {type: 'flow-capture'; uid: string; entry: ConntrackEntry};

export type Dispatch = (command: SessionCommand) => void;
