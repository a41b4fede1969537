// The path from A to B as data: what each node's kernel said (NodePathFacts, parsed from one round
// trip per node), and the hops built from it. The JSON shape of `path --json` is frozen by issue 12:
// the Service and policy issues only add the keys they name.
import type {JoinedEndpoint} from '../service-rules/join-endpoints.js';
import type {ProxyMode} from '../service-rules/proxy-mode.js';
import type {RuleRef, RulesModel} from '../service-rules/types.js';
import type {FdbEntry, Link, Neighbour} from '../types.js';
import type {DecidedBy, Direction, DirectionBasis, PolicyMiss, RuleRef as PolicyRuleRef, Verdict} from '../policy/types.js';

/** One `ip -j route get DST from SRC [iif DEV]` answer, or why the kernel refused it. */
export interface RouteDecision {
	/** Where it was asked: the node's own namespace (null) or a pod's netns path. */
	netnsPath: string | null;
	dst: string;
	src: string;
	/** null: asked as if sent by this namespace itself (no iif). */
	iif: string | null;
	route: {dev: string | null; gateway: string | null; type: string | null; prefsrc: string | null} | null;
	/** The kernel's refusal, e.g. "RTNETLINK answers: Invalid cross-device link" (rp_filter). */
	error: string | null;
	/** When refused: the most specific route holding DST (a blackhole, unreachable or prohibit one says why). */
	refusedBy: {type: string; dst: string} | null;
	/** When refused: the device the route back to SRC leaves by (rp_filter drops what arrives elsewhere). */
	backDev: string | null;
}

export interface VxlanInfo {
	ifname: string;
	vni: number | null;
	port: number | null;
	local: string | null;
	/** The underlay device the encapsulated packets leave by. */
	dev: string | null;
	learning: boolean | null;
}

export interface FdbDst extends FdbEntry {
	/** The remote VTEP's underlay address, for a VXLAN device's entries. */
	dst: string | null;
}

/** A rule that drops packets in a forward-hook chain, with the addresses it matches. */
export interface NftDropRule {
	family: string;
	table: string;
	chain: string;
	handle: number | null;
	saddr: string[];
	daddr: string[];
}

export interface PodNetnsFacts {
	netnsPath: string;
	links: Link[];
	error: string | null;
}

export interface NodePathFacts {
	node: string;
	links: Link[];
	vxlan: VxlanInfo[];
	neighbours: Neighbour[];
	fdb: FdbDst[];
	/** `bridge -j link`: port → state (forwarding, blocking, disabled, ...). */
	bridgePorts: Array<{ifname: string; master: string | null; state: string | null; hairpin?: boolean | null}>;
	/** /proc/sys/net/ipv4/conf/NAME/rp_filter, including "all" and "default". */
	rpFilter: Record<string, number>;
	/** /proc/sys/net/bridge/bridge-nf-call-iptables: bridged frames go through the inet forward hook. */
	bridgeNfCall: number | null;
	/** null: nft could not be read (the reason is in nftError). */
	dropRules: NftDropRule[] | null;
	nftError: string | null;
	decisions: RouteDecision[];
	pods: PodNetnsFacts[];
	/** The connection the decisions were asked for; null: any. */
	flow: PathFlow | null;
	/** kube-proxy's rules, read when the request asked for them (the node where a Service is DNATed). */
	serviceRules?: NodeServiceRules;
}

/** What the node's rules say about Services, and how its proxy was told. */
export interface NodeServiceRules {
	/** Null: no kube-proxy rules could be read (the mode says why). */
	model: RulesModel | null;
	mode: ProxyMode;
}

export type HopKind = 'pod-eth0' | 'host-veth' | 'bridge' | 'route' | 'vxlan' | 'underlay' | 'service';

export interface HopCounters {
	rxPackets: number;
	txPackets: number;
	rxDropped: number;
	txDropped: number;
}

export interface HopEvidence {
	command: string;
	expect: string;
}

export interface PathHop {
	node: string;
	kind: HopKind;
	ifname: string | null;
	ifindex: number | null;
	/** The kernel's operstate (UP, DOWN, ...), "unknown" when it was not read. */
	state: string;
	mtu: number | null;
	counters: HopCounters | null;
	ok: boolean;
	problem: string | null;
	evidence: HopEvidence[];
}

export type PathVerdict = 'reachable' | 'broken' | 'blocked' | 'unknown';

export interface PathEnd {
	namespace: string;
	name: string;
	ip: string;
	node: string;
}

export interface PathDocument {
	from: PathEnd;
	to: PathEnd | {ip: string};
	verdict: PathVerdict;
	hops: PathHop[];
	reverse: {hops: PathHop[]};
	/** The NetworkPolicy verdict on this connection (issue 14); absent when it was not asked. */
	policy?: PathPolicy;
	/** TO was a Service: its rules on the DNAT node, its endpoints, and what disagrees. */
	service?: PathService;
	/** --all-endpoints: the path to each endpoint (the top-level hops are the chosen one's). */
	paths?: EndpointPath[];
	/** --probe: the kernel's answer to one connection attempt. */
	probe?: PathProbe;
}

/** One direction of the policy verdict, as the evaluator gave it. */
export interface PathPolicySide {
	verdict: Verdict;
	basis: DirectionBasis;
	reason: string;
	allowedBy: PolicyRuleRef[];
	isolatedBy: PolicyMiss[];
}

/** Where a deny is enforced: the policy hop, on the forward path of the isolated pod's node. */
export interface PolicyHop {
	node: string | null;
	direction: Direction;
	/** The isolated pod, NS/NAME. */
	pod: string;
}

export interface PathPolicy {
	verdict: Verdict;
	/** What was evaluated: a port (null: every port, or ICMP) and a protocol (TCP, UDP, SCTP, ICMP). */
	port: number | null;
	protocol: string;
	/** The same in words, e.g. "80/TCP" or "every TCP port". */
	evaluatedFor: string;
	egress: PathPolicySide | null;
	/** null: the far end is not a pod, so no policy of ours governs its ingress. */
	ingress: PathPolicySide | null;
	decidedBy: DecidedBy[];
	enforced: boolean | null;
	enforcedReason: string;
	/** Set when the verdict is denied. */
	hop: PolicyHop | null;
	/** Rules that take the peer but only on some ports, when no port was asked: "x/web ingress rule 0: 80/TCP". */
	portLimited: string[];
	/** What the verdict means for this path, when the policy alone does not say it (not enforced, unsure). */
	note: string | null;
}

/** An endpoint as the join with the rules sees it. */
export type ServiceEndpointRow = JoinedEndpoint;

export interface ServiceProblemRow {
	kind: string;
	endpoint: string | null;
	reason: string;
	hint: string;
}

export interface PathService {
	namespace: string;
	name: string;
	clusterIP: string;
	port: number;
	protocol: string;
	/** iptables, nftables, ipvs, cilium, none, unknown: as the DNAT node's rules show. */
	proxyMode: string;
	endpoints: ServiceEndpointRow[];
	rules: RuleRef[];
	problems: ServiceProblemRow[];
	/** The endpoint the hops go to ("ip:port"), and why that one. */
	chosen: {endpoint: string | null; why: string};
}

export interface EndpointPath {
	endpoint: {ip: string; port: number; pod: string | null};
	verdict: PathVerdict;
	hops: PathHop[];
	reverse: {hops: PathHop[]};
}

export interface PathProbe {
	/** What ran the attempt, e.g. "k8snet-tui under nsenter --net", "bash /dev/tcp", "nc", "curl"; null when none could. */
	tool: string | null;
	result: 'connected' | 'refused' | 'timeout' | 'unreachable' | null;
	ms: number | null;
	/** For a Service: the endpoint conntrack names (the reply's source). */
	endpoint: {ip: string; port: number; pod: string | null} | null;
	/** The conntrack entry the attempt made, as the kernel printed it. */
	conntrack: string | null;
	/** What the far end sent back first (lab pods answer with their name), when the tool reads it. */
	answer: string | null;
	/** Why there is no result, or why no conntrack entry. */
	note: string | null;
}

export interface PathFlow {
	proto: 'tcp' | 'udp' | 'sctp' | 'icmp';
	port: number | null;
}

/** What to ask one node: the pods' netns to read, and the decisions to ask its kernel for. */
export interface FactsRequest {
	/** The connection asked about (--proto, --port): each decision is asked for it (policy routing may tell). */
	flow?: PathFlow | null;
	pods: string[];
	decisions: Array<{netnsPath: string | null; dst: string; src: string; iif: string | null}>;
	/** Read kube-proxy's rules too (iptables-save -t nat/filter; the nft ruleset is read anyway). */
	serviceRules?: boolean;
}
