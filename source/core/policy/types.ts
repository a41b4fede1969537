// NetworkPolicy (networking.k8s.io/v1) as plain data, and what the evaluator answers. The cluster
// adapter maps the API's objects into these; the evaluator reads nothing else. Field comments quote
// the spec's meaning where the shape alone would mislead.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type PolicyType = 'Ingress' | 'Egress';
export type Direction = 'ingress' | 'egress';

export interface SelectorRequirement {
	key: string;
	operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
	values: string[];
}

/** A metav1.LabelSelector: both parts must hold; an empty selector selects everything. */
export interface LabelSelector {
	matchLabels: Record<string, string>;
	matchExpressions: SelectorRequirement[];
}

export interface IPBlock {
	cidr: string;
	except: string[];
}

/**
 * One entry of `from` / `to`. The API allows either ipBlock alone, or podSelector and/or
 * namespaceSelector (null: the field is absent, which is not the same as `{}`).
 */
export interface PolicyPeer {
	podSelector: LabelSelector | null;
	namespaceSelector: LabelSelector | null;
	ipBlock: IPBlock | null;
}

export interface PolicyPort {
	/** TCP when the API object leaves it out; kept as given otherwise, so an unknown one can be named. */
	protocol: string;
	/** A number, a named port of the destination pod, or null: every port of the protocol. */
	port: number | string | null;
	/** With a numeric port: the range port..endPort, inclusive. */
	endPort: number | null;
}

export interface PolicyRule {
	/** `from` (ingress) or `to` (egress). Empty, whether absent or `[]` in the object: every peer. */
	peers: PolicyPeer[];
	/** Empty, whether absent or `[]`: every port and protocol. */
	ports: PolicyPort[];
}

export interface NetworkPolicy {
	namespace: string;
	name: string;
	podSelector: LabelSelector;
	/** As the object has it; null when absent (then Ingress always, Egress only with egress rules). */
	policyTypes: PolicyType[] | null;
	/** Empty: this policy allows no ingress (it still isolates the pods it selects). */
	ingress: PolicyRule[];
	egress: PolicyRule[];
}

export interface PolicyNamespace {
	name: string;
	labels: Record<string, string>;
}

/** The parts of a pod a policy looks at. */
export interface PolicyPod {
	namespace: string;
	name: string;
	labels: Record<string, string>;
	nodeName: string | null;
	hostNetwork: boolean;
	ips: string[];
	/** Container ports, which named ports in a policy resolve against. */
	ports: Array<{name: string | null; port: number; protocol: string}>;
}

/** One end of a connection: a pod, a node (its own pods' traffic is always allowed), or any other IP. */
export type Endpoint =
	| {kind: 'pod'; pod: PolicyPod}
	| {kind: 'node'; name: string; ips: string[]}
	| {kind: 'ip'; ip: string};

export type Verdict = 'allowed' | 'denied' | 'unknown';

export interface RuleRef {
	namespace: string;
	name: string;
	direction: Direction;
	rule: number;
}

/** Why one rule of an isolating policy does not allow the connection; null parts matched. */
export interface RuleMiss {
	rule: number;
	peer: string | null;
	port: string | null;
	/** The rule might match: a namespace it depends on has labels we do not know. */
	unknown: boolean;
}

export interface PolicyMiss {
	namespace: string;
	name: string;
	/** Empty when the policy has no rules for this direction: it allows nothing. */
	rules: RuleMiss[];
}

/** What decided one direction, as a code a view can branch on; `reason` says it in words. */
export type DirectionBasis =
	| 'not-a-pod'
	| 'host-network'
	| 'same-pod'
	| 'own-node'
	| 'not-isolated'
	| 'rule'
	| 'no-rule';

export interface DirectionResult {
	direction: Direction;
	verdict: Verdict;
	basis: DirectionBasis;
	/** One line, e.g. "x/b is isolated for ingress by x/deny-all, and none of its rules match". */
	reason: string;
	/** Every rule that allows the connection (basis 'rule'). */
	allowedBy: RuleRef[];
	/** Every policy that isolates the pod for this direction, when no rule allows (basis 'no-rule'). */
	isolatedBy: PolicyMiss[];
}

export interface DecidedBy {
	namespace: string;
	name: string;
	direction: Direction;
	/** The allowing rule; null for a policy that isolates and allows nothing that matches. */
	rule: number | null;
}

export interface ConnectionResult {
	/** The connection needs the source's egress and the destination's ingress. */
	verdict: Verdict;
	egress: DirectionResult;
	ingress: DirectionResult;
	decidedBy: DecidedBy[];
}
