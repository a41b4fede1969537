// The Service side of the node's rules, as data: what the API says (Services, EndpointSlices) and
// what kube-proxy programmed (one ServiceRules per Service port), whichever backend it used.
// Parsers in source/node/rules/ build these; join-endpoints.ts compares the two sides.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

// ---- the API side ------------------------------------------------------------------------------

export interface ServicePort {
	/** "" for the one unnamed port a Service may have. */
	name: string;
	protocol: Protocol;
	port: number;
	/** A number, a container port's name, or null when absent (then it equals `port`). */
	targetPort: number | string | null;
	nodePort: number | null;
}

export interface Service {
	namespace: string;
	name: string;
	/** ClusterIP, NodePort, LoadBalancer or ExternalName. */
	type: string;
	/** Empty for ExternalName; ["None"] for a headless Service, as the API has it. */
	clusterIPs: string[];
	ports: ServicePort[];
	externalIPs: string[];
	loadBalancerIPs: string[];
	internalTrafficPolicy: 'Cluster' | 'Local';
	externalTrafficPolicy: 'Cluster' | 'Local';
}

export interface EndpointPort {
	/** Matches the Service port's name ("" for an unnamed one). */
	name: string;
	port: number | null;
	protocol: Protocol;
}

export interface SliceEndpoint {
	addresses: string[];
	/** The API's conditions with their documented defaults applied: nil ready/serving mean true, nil terminating false. */
	ready: boolean;
	serving: boolean;
	terminating: boolean;
	nodeName: string | null;
	/** "Pod ns/name" when the endpoint is a pod. */
	targetRef: {kind: string; namespace: string; name: string} | null;
}

export interface EndpointSlice {
	namespace: string;
	name: string;
	/** From the kubernetes.io/service-name label; null when a slice names no Service. */
	serviceName: string | null;
	addressType: string;
	ports: EndpointPort[];
	endpoints: SliceEndpoint[];
}

// ---- the rules side ----------------------------------------------------------------------------

export type ProxyBackend = 'iptables' | 'nftables' | 'ipvs';

/** One rule, named so that the command in `show` prints it. */
export interface RuleRef {
	table: string;
	chain: string;
	/** The rule as that command prints it (iptables-save's line, nft's expression text). */
	rule: string;
}

/**
 * What a destination is to the Service. nftables' service-ips map does not tell external IPs from
 * load-balancer IPs, and IPVS virtual servers say nothing at all: the API can tell them apart.
 */
export type FrontendKind = 'clusterIP' | 'externalIP' | 'loadBalancerIP' | 'externalOrLoadBalancerIP' | 'nodePort' | 'virtualServer';

/** Where traffic enters a Service port's rules. `ip` is null for a NodePort (any local address). */
export interface RuleFrontend {
	kind: FrontendKind;
	/** An address; kube-proxy's localhost NodePort rule matches a prefix (127.0.0.0/8). */
	ip: string | null;
	port: number;
	/** The chain it jumps to; null for IPVS, which has no chains. */
	target: string | null;
	rule: RuleRef;
}

export interface RuleEndpoint {
	ip: string;
	port: number;
	/** KUBE-SEP-… / endpoint-…; null for IPVS real servers. */
	chain: string | null;
	/**
	 * Its share of new connections (0..1) within its policy chain. iptables' statistic match is
	 * conditional (1/3, then 1/2 of the rest, then all); this is that turned into a share of the
	 * whole. nftables' numgen picks evenly (1/n); IPVS's scheduler decides, so null there.
	 */
	probability: number | null;
	/** The rules that pick it and that rewrite to it (DNAT), in the order the packet meets them. */
	rules: RuleRef[];
}

export interface ServicePortId {
	namespace: string;
	name: string;
	/** "" for an unnamed port. */
	port: string;
}

export interface ServiceRules {
	/** Null when the rules don't say (IPVS, or iptables with comments left out in large-cluster mode). */
	id: ServicePortId | null;
	protocol: Protocol;
	/** kube-proxy's iptables portProtoHash (16 characters), which every KUBE-SVC/SVL/EXT/FW name of this port ends with. */
	hash: string | null;
	frontends: RuleFrontend[];
	/** The chains that choose an endpoint: cluster (KUBE-SVC / service-) and local (KUBE-SVL / local-). */
	policyChains: string[];
	endpoints: RuleEndpoint[];
	/** Picks whose endpoint could not be read (its chain missing, or without a DNAT): the endpoint is unknown. */
	unreadable: RuleRef[];
	/** Rules that mark traffic for masquerading (KUBE-MARK-MASQ / mark-for-masquerade) on this port's way. */
	masquerade: RuleRef[];
	/** Rules that refuse traffic for want of endpoints (REJECT, or a drop for Local policy). */
	rejects: RuleRef[];
	/** ClientIP session affinity (recent match, affinity set, IPVS persistence). */
	sessionAffinity: boolean;
}

export interface RulesModel {
	backend: ProxyBackend;
	services: ServiceRules[];
	/** The mark KUBE-MARK-MASQ / mark-for-masquerade sets, e.g. "0x4000". */
	masqueradeMark: string | null;
	/** The command that shows these rules, for the explain pane. */
	show: string;
}
