// Pods, scoped as the views need them: one node (fieldSelector spec.nodeName, so a node view of a
// 10,000-pod cluster transfers only that node's pods), one namespace, a label selector (-l).
import type {PodInfo, Result} from '../core/types.js';
import type {TargetOptions} from '../app/options.js';
import type {KubeTarget} from './kube-target.js';
import {listAll, type ListSpec} from './list-watch.js';
import {toPodInfo} from './pod-info.js';

export interface PodScope {
	nodeName?: string | undefined;
	namespace?: string | undefined;
	labelSelector?: string | undefined;
}

/**
 * The scope the flags ask for: the node's pods (all nodes with --all-nodes), -n's namespace (every
 * namespace otherwise; -A says the same), -l passed through to the API.
 */
export function podScopeFor(o: Pick<TargetOptions, 'namespace' | 'allNamespaces' | 'selector' | 'allNodes'>, node: string | null): PodScope {
	return {
		nodeName: o.allNodes || node === null ? undefined : node,
		namespace: o.allNamespaces ? undefined : o.namespace || undefined,
		labelSelector: o.selector || undefined,
	};
}

/** The tool's own agent pods never appear in its pod lists: the API leaves them out. */
const NOT_OURS = 'app.kubernetes.io/managed-by!=k8snet-tui';

export function podListSpec(s: PodScope): ListSpec<PodInfo> {
	const path = s.namespace ? `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods` : '/api/v1/pods';
	return {
		path,
		params: {
			fieldSelector: s.nodeName ? `spec.nodeName=${s.nodeName}` : undefined,
			labelSelector: s.labelSelector ? `${s.labelSelector},${NOT_OURS}` : NOT_OURS,
		},
		what: {verb: 'list', resource: 'pods', namespace: s.namespace},
		map: toPodInfo,
		key: p => p.uid,
	};
}

export async function listPods(t: KubeTarget, s: PodScope): Promise<Result<PodInfo[]>> {
	const listed = await listAll(t, podListSpec(s));
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items};
}
