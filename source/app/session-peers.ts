// The path picker's side of the session: the peers it offers (every node's pods and the Services,
// in the session's namespace and selector) and opening the path to the one picked.
import {listPods} from '../cluster/pods.js';
import {listServices} from '../cluster/services.js';
import {parseServicePeer, type ServicePeer} from '../core/service-peer.js';
import type {PodInfo} from '../core/types.js';
import type {TuiState} from '../store/tui-state.js';
import type {PathSession} from './path-session.js';
import {lookupService} from './service-lookup.js';
import type {SessionLive} from './session-live.js';

export interface PeersDeps {
	live: SessionLive;
	signal: AbortSignal;
	getState(): TuiState;
	set(patch: Partial<TuiState>): void;
	path: PathSession;
	/** The pod by uid: the watch's, else the picker's. */
	pod(uid: string): PodInfo | undefined;
	/** Every pod known (the watch's, the picker's): a Service's endpoints are among them. */
	knownPods(): PodInfo[];
}

export interface SessionPeers {
	/** The picker's pods: every node's, in the session's namespace and selector, listed once. */
	listPeers(): Promise<void>;
	/** The picker chose `to` (a pod's uid or a Service) as the peer of pod `from`. */
	openPath(from: string, to: string): void;
}

export function createSessionPeers(deps: PeersDeps): SessionPeers {
	const {live, signal, getState, set} = deps;

	async function listPeers() {
		const t = live.target;
		if (!t) return;
		const known = getState().peers;
		set({peers: {pods: known?.pods ?? [...live.pods.values()], services: known?.services ?? [], loading: true, error: null}});
		const [listed, services] = await Promise.all([
			listPods(t.kube, {namespace: live.options.namespace, labelSelector: live.options.selector}),
			listServices(t.kube, live.options.namespace),
		]);
		if (signal.aborted || live.target !== t) return;
		// Services are offered where the API lists them; a refusal (RBAC) leaves the pods to pick from.
		const reachable = services.ok ? services.value.filter(svc => svc.type !== 'ExternalName' && svc.clusterIPs.length > 0 && !svc.clusterIPs.includes('None')) : [];
		set({peers: listed.ok
			? {pods: listed.value, services: reachable, loading: false, error: null}
			: {pods: [...live.pods.values()], services: reachable, loading: false, error: {reason: listed.reason, hint: listed.hint}}});
	}

	/** The picker chose a Service: look it up (port, slices), then open the path through its hop. */
	async function openServicePath(fromUid: string, peer: ServicePeer) {
		const t = live.target;
		if (!t) return;
		const found = await lookupService(t.kube, {kind: 'svc', namespace: peer.namespace, name: peer.name, port: peer.port}, peer.protocol.toLowerCase());
		if (signal.aborted || live.target !== t) return;
		if (!found.ok || found.value === null) {
			set({notice: found.ok ? `svc/${peer.namespace}/${peer.name} is gone` : `path: ${found.reason} (${found.hint})`});
			return;
		}

		await deps.path.openService(t.registry, t.nodes, deps.pod(fromUid), found.value, deps.knownPods());
	}

	function openPath(from: string, to: string) {
		const t = live.target;
		if (!t) return;
		const service = parseServicePeer(to);
		if (service) void openServicePath(from, service);
		else void deps.path.open(t.registry, t.nodes, deps.pod(from), deps.pod(to));
	}

	return {listPeers, openPath};
}
