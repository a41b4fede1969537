// Whether this cluster enforces NetworkPolicy at all, from what the API shows (the policy engine's
// DaemonSet: calico-node, cilium, antrea-agent, kube-router, weave-net, kindnet with its policy
// controller) and, when a node was reachable, the CNI its interfaces show. The API is asked first:
// a policy engine may run next to any plain CNI (Calico's policy-only mode on flannel is canal).
// `null` when nothing known says either way.

export interface DaemonSetFacts {
	namespace: string;
	name: string;
	containers: Array<{name: string; image: string; args: string[]}>;
}

export interface Enforcement {
	enforced: boolean | null;
	enforcedReason: string;
}

/** DaemonSet name → the engine it is; each enforces NetworkPolicy. */
const ENFORCERS: Record<string, string> = {
	'calico-node': 'Calico',
	cilium: 'Cilium',
	'antrea-agent': 'Antrea',
	'kube-router': 'kube-router',
	'weave-net': 'Weave Net',
	'kube-network-policies': 'kube-network-policies (kindnet\'s policy controller)',
	'k8snet-lab-policy-agent': "the lab's policy agent",
};

/** CNI kinds (core/cni-detect.ts) that enforce by themselves, and those that never do. */
const ENFORCING_CNI: Record<string, string> = {calico: 'Calico', cilium: 'Cilium', 'kube-router': 'kube-router', weave: 'Weave Net'};
const PLAIN_CNI: Record<string, string> = {bridge: 'the bridge plugin', ptp: 'the ptp plugin', flannel: 'flannel', kubenet: 'kubenet'};

/** kindnet enforces only with its policy controller: a container of that name or image, or the flag on. */
function kindnetPolicy(d: DaemonSetFacts): boolean | null {
	const args = d.containers.flatMap(c => c.args);
	if (d.containers.some(c => /network-polic/.test(c.name) || /kube-network-policies/.test(c.image))) return true;
	if (args.some(a => /^--network-policy(=true)?$/.test(a))) return true;
	if (args.some(a => a === '--network-policy=false')) return false;
	return null;
}

/** `daemonSets` null: they could not be listed (RBAC). `cniKind` null: no node was read. */
export function detectEnforcement(daemonSets: DaemonSetFacts[] | null, cniKind: string | null): Enforcement {
	for (const d of daemonSets ?? []) {
		const engine = ENFORCERS[d.name];
		if (engine) return {enforced: true, enforcedReason: `${engine} enforces NetworkPolicy: DaemonSet ${d.namespace}/${d.name} runs`};
	}

	const kindnet = (daemonSets ?? []).find(d => d.name === 'kindnet');
	if (kindnet) {
		const on = kindnetPolicy(kindnet);
		if (on === true) return {enforced: true, enforcedReason: `kindnet runs with its NetworkPolicy controller (DaemonSet ${kindnet.namespace}/kindnet)`};
		if (on === false) return {enforced: false, enforcedReason: `kindnet runs with --network-policy=false, so NetworkPolicy is not enforced`};
		return {enforced: null, enforcedReason: `kindnet enforces NetworkPolicy only with its policy controller, and DaemonSet ${kindnet.namespace}/kindnet does not show one`};
	}

	const listed = daemonSets === null ? 'the DaemonSets could not be listed' : 'no known policy engine runs as a DaemonSet';
	if (cniKind !== null && ENFORCING_CNI[cniKind]) return {enforced: true, enforcedReason: `the node's CNI is ${ENFORCING_CNI[cniKind]}, which enforces NetworkPolicy`};
	if (cniKind !== null && PLAIN_CNI[cniKind]) {
		if (daemonSets === null) return {enforced: null, enforcedReason: `the node's CNI is ${PLAIN_CNI[cniKind]}, which does not enforce NetworkPolicy, but ${listed}, so a policy engine may run beside it`};
		return {enforced: false, enforcedReason: `the node's CNI is ${PLAIN_CNI[cniKind]}, which does not enforce NetworkPolicy, and ${listed}`};
	}

	const flannel = (daemonSets ?? []).find(d => /flannel/.test(d.name));
	if (flannel) return {enforced: false, enforcedReason: `flannel alone does not enforce NetworkPolicy (DaemonSet ${flannel.namespace}/${flannel.name}), and ${listed}`};
	return {enforced: null, enforcedReason: `unsure: ${listed}, and the node's CNI is ${cniKind === null ? 'not known (no node was read)' : `'${cniKind}', which is not known either way`}`};
}
