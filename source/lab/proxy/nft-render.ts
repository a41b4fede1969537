// The lab's Services as kube-proxy's nftables mode writes them (pkg/proxy/nftables/proxier.go,
// 1.32): table `ip kube-proxy` with its base chains and sets, the service-ips / service-nodeports
// verdict maps, a service- chain per port choosing by `numgen random mod N`, an endpoint- chain per
// endpoint with its dnat, and the no-endpoint maps sending to reject-chain. One `nft -f` transaction
// drops the old table and writes the new one whole: kube-proxy's full sync, done atomically.
import {nftEndpointChainBase, nftServiceChainBase, servicePortName} from '../../core/service-rules/kube-proxy-names.js';
import {LAB_CLUSTER_CIDR, LAB_SERVICE_CIDR, MASQUERADE_MARK, type ProxyPort} from './proxy-services.js';

const T = 'ip kube-proxy';

const SKELETON = [
	`add table ${T} { comment "rules for kube-proxy" ; }`,
	`add set ${T} cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }`,
	`add set ${T} nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }`,
	`add map ${T} firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }`,
	`add map ${T} no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }`,
	`add map ${T} no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }`,
	`add map ${T} service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }`,
	`add map ${T} service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }`,
	`add chain ${T} cluster-ips-check`,
	`add chain ${T} filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }`,
	`add chain ${T} filter-output-pre-dnat { type filter hook output priority -110 ; }`,
	`add chain ${T} filter-forward { type filter hook forward priority 0 ; }`,
	`add chain ${T} filter-input { type filter hook input priority 0 ; }`,
	`add chain ${T} filter-output { type filter hook output priority 0 ; }`,
	`add chain ${T} firewall-check`,
	`add chain ${T} mark-for-masquerade`,
	`add chain ${T} masquerading`,
	`add chain ${T} nat-output { type nat hook output priority -100 ; }`,
	`add chain ${T} nat-postrouting { type nat hook postrouting priority 100 ; }`,
	`add chain ${T} nat-prerouting { type nat hook prerouting priority -100 ; }`,
	`add chain ${T} nodeport-endpoints-check`,
	`add chain ${T} reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }`,
	`add chain ${T} services`,
	`add chain ${T} service-endpoints-check`,
	`add rule ${T} cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"`,
	`add rule ${T} cluster-ips-check ip daddr { ${LAB_SERVICE_CIDR} } drop comment "Drop traffic to unallocated ClusterIPs"`,
	`add rule ${T} filter-prerouting-pre-dnat ct state new jump firewall-check`,
	`add rule ${T} filter-forward ct state new jump service-endpoints-check`,
	`add rule ${T} filter-forward ct state new jump cluster-ips-check`,
	`add rule ${T} filter-input ct state new jump nodeport-endpoints-check`,
	`add rule ${T} filter-input ct state new jump service-endpoints-check`,
	`add rule ${T} filter-output ct state new jump service-endpoints-check`,
	`add rule ${T} filter-output-pre-dnat ct state new jump firewall-check`,
	`add rule ${T} filter-output ct state new jump cluster-ips-check`,
	`add rule ${T} firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips`,
	`add rule ${T} mark-for-masquerade mark set mark or ${MASQUERADE_MARK}`,
	`add rule ${T} masquerading mark and ${MASQUERADE_MARK} == 0 return`,
	`add rule ${T} masquerading mark set mark xor ${MASQUERADE_MARK}`,
	`add rule ${T} masquerading masquerade fully-random`,
	`add rule ${T} nat-output jump services`,
	`add rule ${T} nat-postrouting jump masquerading`,
	`add rule ${T} nat-prerouting jump services`,
	`add rule ${T} nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports`,
	`add rule ${T} reject-chain reject`,
	`add rule ${T} services ip daddr . meta l4proto . th dport vmap @service-ips`,
	`add rule ${T} services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports`,
	`add rule ${T} service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services`,
];

/** One Service port's lines: its chains apart, since nft needs a chain added before a rule names it. */
function servicePort(p: ProxyPort): {chains: string[]; lines: string[]} {
	const id = {namespace: p.namespace, name: p.name, port: p.portName};
	const l4 = p.protocol.toLowerCase();
	const label = servicePortName(p.namespace, p.name, p.portName);
	const lines = [`add element ${T} cluster-ips { ${p.clusterIP} }`];
	if (p.endpoints.length === 0) {
		lines.push(`add element ${T} no-endpoint-services { ${p.clusterIP} . ${l4} . ${p.port} comment "${label}" : goto reject-chain }`);
		if (p.nodePort !== null) lines.push(`add element ${T} no-endpoint-nodeports { ${l4} . ${p.nodePort} comment "${label}" : goto reject-chain }`);
		return {chains: [], lines};
	}

	const base = nftServiceChainBase(id, p.protocol);
	const svc = `service-${base}`;
	const endpoints = p.endpoints.map((e) => ({...e, chain: `endpoint-${nftEndpointChainBase(id, p.protocol, e.ip, e.port)}`}));
	const ext = `external-${base}`;
	const chains = [svc, ...endpoints.map((e) => e.chain), ...(p.nodePort === null ? [] : [ext])].map((c) => `add chain ${T} ${c}`);
	lines.push(
		`add rule ${T} ${svc} ip daddr ${p.clusterIP} ip saddr != ${LAB_CLUSTER_CIDR} jump mark-for-masquerade`,
		`add rule ${T} ${svc} numgen random mod ${endpoints.length} vmap { ${endpoints.map((e, i) => `${i} : goto ${e.chain}`).join(' , ')} }`,
	);
	for (const e of endpoints) {
		lines.push(`add rule ${T} ${e.chain} ip saddr ${e.ip} jump mark-for-masquerade`, `add rule ${T} ${e.chain} meta l4proto ${l4} dnat to ${e.ip}:${e.port}`);
	}

	lines.push(`add element ${T} service-ips { ${p.clusterIP} . ${l4} . ${p.port} : goto ${svc} }`);
	if (p.nodePort !== null) {
		lines.push(
			`add rule ${T} ${ext} jump mark-for-masquerade`,
			`add rule ${T} ${ext} goto ${svc}`,
			`add element ${T} service-nodeports { ${l4} . ${p.nodePort} : goto ${ext} }`,
		);
	}

	return {chains, lines};
}

/** The whole `nft -f` input for one node: `nodeIP` is the address NodePorts answer on. */
export function renderNft(ports: readonly ProxyPort[], nodeIP: string): string {
	// `add` first so the delete never fails on a node that has no table yet.
	const perPort = ports.map(servicePort);
	return [`add table ${T}`, `delete table ${T}`, ...SKELETON, `add element ${T} nodeport-ips { ${nodeIP} }`, ...perPort.flatMap((p) => p.chains), ...perPort.flatMap((p) => p.lines)].join('\n') + '\n';
}
