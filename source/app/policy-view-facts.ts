// What a policy verdict needs from the API, read once (the `path` command) or kept by the TUI's
// policy watch: the NetworkPolicies, the namespaces' labels and the DaemonSets that tell whether
// policy is enforced. Then the path's verdict from them, through core's pure evaluator.
import type {KubeTarget} from '../cluster/kube-target.js';
import type {NodeInfo} from '../cluster/nodes.js';
import {pathPolicy, unreadPolicy} from '../core/path/path-policy.js';
import type {PathFlow, PathPolicy} from '../core/path/types.js';
import {canonicalIp} from '../core/pod-ip.js';
import {detectEnforcement, type DaemonSetFacts, type Enforcement} from '../core/policy-enforcement.js';
import {policyPod} from '../core/policy/policy-pod.js';
import type {Endpoint, NetworkPolicy, PolicyNamespace} from '../core/policy/types.js';
import type {PodInfo} from '../core/types.js';

export interface PolicyFacts {
	/** null: they could not be listed (`error` says why). */
	policies: NetworkPolicy[] | null;
	error: string | null;
	/** null: not listed; namespaceSelectors then answer unknown. */
	namespaces: PolicyNamespace[] | null;
	/** null: not listed (RBAC): enforcement is judged from the CNI alone. */
	daemonSets: DaemonSetFacts[] | null;
}

export async function readPolicyFacts(kube: KubeTarget): Promise<PolicyFacts> {
	const [{listNetworkPolicies}, {listNamespaceLabels}, {listDaemonSets}] = await Promise.all([
		import('../cluster/network-policies.js'),
		import('../cluster/namespaces.js'),
		import('../cluster/daemonsets.js'),
	]);
	const [policies, namespaces, daemonSets] = await Promise.all([listNetworkPolicies(kube), listNamespaceLabels(kube), listDaemonSets(kube)]);
	return {
		policies: policies.ok ? policies.value : null,
		error: policies.ok ? null : `${policies.reason} (${policies.hint})`,
		namespaces: namespaces.ok ? namespaces.value : null,
		daemonSets: daemonSets.ok ? daemonSets.value : null,
	};
}

/** The first CNI a node of the path shows that says something (an unknown one says nothing). */
export function enforcementOf(facts: PolicyFacts, cniKinds: Iterable<string>): Enforcement {
	const known = [...cniKinds].find(kind => kind !== 'unknown') ?? null;
	return detectEnforcement(facts.daemonSets, known);
}

/** The far end as policies see it: a pod, a node by one of its addresses, or any other address. */
export function policyEndpoint(to: {pod: PodInfo} | {ip: string}, nodes: readonly NodeInfo[]): Endpoint {
	if ('pod' in to) return {kind: 'pod', pod: policyPod(to.pod)};
	const ip = canonicalIp(to.ip) ?? to.ip;
	const node = nodes.find(n => n.internalIPs.some(a => canonicalIp(a) === ip));
	return node ? {kind: 'node', name: node.name, ips: node.internalIPs} : {kind: 'ip', ip};
}

export function pathPolicyFor(
	facts: PolicyFacts,
	enforcement: Enforcement,
	from: PodInfo,
	to: {pod: PodInfo} | {ip: string},
	nodes: readonly NodeInfo[],
	flow: {proto: PathFlow['proto'] | null; port: number | null},
): PathPolicy {
	if (facts.policies === null) return unreadPolicy(facts.error ?? 'the list failed', enforcement);
	return pathPolicy({policies: facts.policies, namespaces: facts.namespaces, from: policyPod(from), to: policyEndpoint(to, nodes), flow, enforcement});
}
