// Which service proxy a node runs, from what the node shows: kube-proxy's iptables chains, its
// nftables table, IPVS virtual servers and its kube-ipvs0 device, or Cilium's devices with no
// kube-proxy rules at all (kube-proxy replaced). Pure: the probe hands in what it read.

export interface NodeProxySigns {
	/** Chain names of every iptables table, or null when iptables-save could not be read. */
	iptablesChains: readonly string[] | null;
	/** Whether `table ip kube-proxy` / `table ip6 kube-proxy` exists; null when nft could not be read. */
	nftKubeProxyTable: boolean | null;
	/** Virtual servers `ipvsadm -Ln` listed; null when ipvsadm is missing or failed (it often is not installed). */
	ipvsVirtualServers: number | null;
	/** Interface names in the node's namespace. */
	links: readonly string[];
}

export type ProxyMode =
	| {mode: 'iptables' | 'nftables' | 'ipvs'; evidence: string[]}
	| {mode: 'cilium'; evidence: string[]; commands: string[]}
	| {mode: 'none'; evidence: string[]; hint: string}
	| {mode: 'unknown'; reason: string; hint: string};

/** The commands that show Cilium's service map, in place of kube-proxy's rules. */
export const CILIUM_SERVICE_COMMANDS = [
	'kubectl -n kube-system exec ds/cilium -- cilium-dbg service list',
	'kubectl -n kube-system exec ds/cilium -- cilium-dbg bpf lb list',
	'cilium service list   (agents before 1.15 name the binary cilium)',
];

const CILIUM_LINK = /^cilium_(host|net|vxlan|geneve)$/;

export function detectProxyMode(signs: NodeProxySigns): ProxyMode {
	const chains = signs.iptablesChains ?? [];
	const ipvsEvidence = [
		...(signs.links.includes('kube-ipvs0') ? ['the kube-ipvs0 device (where kube-proxy puts Service IPs in IPVS mode)'] : []),
		...(signs.ipvsVirtualServers !== null && signs.ipvsVirtualServers > 0 ? [`${signs.ipvsVirtualServers} IPVS virtual servers in ipvsadm -Ln`] : []),
		...(chains.some(c => c.startsWith('KUBE-IPVS-')) ? ['KUBE-IPVS-* iptables chains'] : []),
	];
	// IPVS mode keeps a KUBE-SERVICES chain too (it matches ipsets), so it is told apart first.
	if (ipvsEvidence.length > 0) return {mode: 'ipvs', evidence: ipvsEvidence};
	const iptables = chains.includes('KUBE-SERVICES') && chains.some(c => c.startsWith('KUBE-SVC-') || c.startsWith('KUBE-SEP-') || c === 'KUBE-NODEPORTS');
	const nftables = signs.nftKubeProxyTable === true;
	if (iptables && nftables) {
		return {
			mode: 'unknown',
			reason: 'both kube-proxy\'s iptables chains (KUBE-SERVICES) and its nftables table (ip kube-proxy) are on this node',
			hint: 'a mode switch may have left the old rules behind; see the mode in: kubectl -n kube-system get configmap kube-proxy -o yaml',
		};
	}

	if (iptables) return {mode: 'iptables', evidence: ['KUBE-SERVICES and KUBE-SVC-*/KUBE-SEP-* chains in iptables-save']};
	if (nftables) return {mode: 'nftables', evidence: ['table ip kube-proxy in nft list tables']};
	const cilium = signs.links.filter(l => CILIUM_LINK.test(l));
	if (signs.iptablesChains === null || signs.nftKubeProxyTable === null) {
		const unread = [signs.iptablesChains === null ? 'iptables-save' : null, signs.nftKubeProxyTable === null ? 'nft' : null].filter(Boolean).join(' and ');
		return {mode: 'unknown', reason: `could not read ${unread} on this node, and found no kube-proxy rules elsewhere`, hint: 'the probe needs root on the node (CAP_NET_ADMIN) and the iptables/nft tools'};
	}

	if (cilium.length > 0) {
		return {mode: 'cilium', evidence: [`no kube-proxy rules, and Cilium's devices ${cilium.join(', ')}: Cilium's kube-proxy replacement serves Services in BPF`], commands: CILIUM_SERVICE_COMMANDS};
	}

	return {
		mode: 'none',
		evidence: ['no kube-proxy iptables chains, no table ip kube-proxy, no IPVS, no Cilium devices'],
		hint: 'Services are not proxied on this node, or by something not recognised; check: kubectl -n kube-system get pods -o wide | grep -e kube-proxy -e cilium',
	};
}
