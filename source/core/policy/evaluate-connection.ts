// The NetworkPolicy verdict for one connection A → B on port/protocol, per the spec:
// - a connection needs A's egress and B's ingress;
// - a pod is isolated for a direction as soon as one policy selects it for that direction, and then
//   traffic passes when any rule of any of those policies takes it (policies only add allows);
// - a pod always reaches itself, and traffic between a pod and its own node always passes;
// - policies select no hostNetwork pod, and selectors do not take one as a peer (it is the node).
import {podKey, selectingPolicies, type CompiledPolicy, type CompiledRule, type PolicyModel, type Selection} from './compile-policies.js';
import {addressTests, blockMatch, blockMiss, endpointName, NO, selectorMatch, selectorMiss, UNKNOWN, YES, type AddressTests, type Match} from './peer-match.js';
import {portsMatch, portsMiss} from './policy-ports.js';
import type {
	ConnectionResult,
	DecidedBy,
	Direction,
	DirectionBasis,
	DirectionResult,
	Endpoint,
	PolicyMiss,
	Protocol,
	RuleMiss,
	RuleRef,
	Verdict,
} from './types.js';

/** An endpoint with its place in the compiled model (-1: not compiled, matched on the spot). */
export interface Located {
	endpoint: Endpoint;
	index: number;
	/** For a pod: the policies selecting it, per direction. */
	selectedBy: Record<Direction, Selection> | null;
	/** Its addresses, parsed once for every ipBlock they meet. */
	addresses: AddressTests;
}

export function locate(model: PolicyModel, endpoint: Endpoint): Located {
	const addresses = addressTests(endpoint);
	if (endpoint.kind !== 'pod') return {endpoint, index: -1, selectedBy: null, addresses};
	const i = model.podIndex.get(podKey(endpoint.pod));
	// The same object, not only the same name: a pod relabelled since compiling is matched afresh.
	if (i !== undefined && model.pods[i] === endpoint.pod) return {endpoint, index: i, selectedBy: model.selectedBy[i]!, addresses};
	return {endpoint, index: -1, selectedBy: selectingPolicies(model.byNamespace, endpoint.pod), addresses};
}

/** The bare decision of one direction: what the truth table keeps per cell. */
export interface Judgement {
	verdict: Verdict;
	basis: DirectionBasis;
	allowedBy: RuleRef[];
	/** Isolating policies, when no rule allows. */
	isolatedBy: CompiledPolicy[];
	/** The same as DecidedBy entries (shared by every cell of the pod). */
	stops: DecidedBy[];
}

function peerMatch(model: PolicyModel, rule: CompiledRule, policy: CompiledPolicy, other: Located): Match {
	if (rule.peers.length === 0) return YES;
	let best: Match = NO;
	for (const peer of rule.peers) {
		let m: Match;
		if (peer.block !== null) m = blockMatch(peer.block, other.addresses);
		else if (other.endpoint.kind !== 'pod' || other.endpoint.pod.hostNetwork) m = NO;
		else if (other.index >= 0) m = peer.pods[other.index] as Match;
		else m = selectorMatch(peer.source, policy.namespace, other.endpoint.pod, model.namespaceLabels);
		if (m === YES) return YES;
		if (m === UNKNOWN) best = UNKNOWN;
	}

	return best;
}

function sameNode(a: string | null, b: Endpoint): boolean {
	if (a === null) return false;
	if (b.kind === 'node') return b.name === a;
	return b.kind === 'pod' && b.pod.hostNetwork && b.pod.nodeName === a;
}

// Shared by every cell they decide: a truth table makes hundreds of thousands of judgements.
const none: never[] = [];
const allowedAs = (basis: DirectionBasis): Judgement => ({verdict: 'allowed', basis, allowedBy: none, isolatedBy: none, stops: none});
const fixed = {
	'not-a-pod': allowedAs('not-a-pod'),
	'host-network': allowedAs('host-network'),
	'same-pod': allowedAs('same-pod'),
	'own-node': allowedAs('own-node'),
	'not-isolated': allowedAs('not-isolated'),
};

/**
 * `subject`'s side of the connection for `direction` (egress: subject is the source, ingress: the
 * destination); `other` is the far end; named ports resolve against `destination`.
 */
export function judge(
	model: PolicyModel,
	direction: Direction,
	subject: Located,
	other: Located,
	destination: Endpoint,
	port: number,
	protocol: Protocol,
): Judgement {
	const s = subject.endpoint;
	if (s.kind !== 'pod') return fixed['not-a-pod'];
	if (s.pod.hostNetwork) return fixed['host-network'];
	const o = other.endpoint;
	if (o.kind === 'pod' && o.pod.namespace === s.pod.namespace && o.pod.name === s.pod.name) return fixed['same-pod'];
	if (sameNode(s.pod.nodeName, o)) return fixed['own-node'];
	const {policies, stops} = subject.selectedBy![direction];
	if (policies.length === 0) return fixed['not-isolated'];
	let allowedBy: RuleRef[] | null = null;
	let unknown = false;
	for (const policy of policies) {
		for (const rule of policy.rules[direction]) {
			if (!portsMatch(rule.ports, port, protocol, destination)) continue;
			const m = peerMatch(model, rule, policy, other);
			if (m === YES) (allowedBy ??= []).push({namespace: policy.namespace, name: policy.name, direction, rule: rule.index});
			else if (m === UNKNOWN) unknown = true;
		}
	}

	if (allowedBy !== null) return {verdict: 'allowed', basis: 'rule', allowedBy, isolatedBy: none, stops: none};
	return {verdict: unknown ? 'unknown' : 'denied', basis: 'no-rule', allowedBy: none, isolatedBy: policies, stops};
}

function ruleMiss(model: PolicyModel, policy: CompiledPolicy, rule: CompiledRule, other: Located, destination: Endpoint, port: number, protocol: Protocol): RuleMiss {
	const portText = portsMatch(rule.ports, port, protocol, destination) ? null : portsMiss(rule.ports, port, protocol, destination);
	const m = peerMatch(model, rule, policy, other);
	if (m === YES) return {rule: rule.index, peer: null, port: portText, unknown: false};
	const o = other.endpoint;
	const reasons = rule.peers.map(p => (p.block !== null ? blockMiss(p.block, o) : selectorMiss(p.source, policy.namespace, o, model.namespaceLabels)));
	return {rule: rule.index, peer: [...new Set(reasons)].join('; '), port: portText, unknown: m === UNKNOWN && portText === null};
}

function policyList(policies: CompiledPolicy[]): string {
	return policies.map(p => `${p.namespace}/${p.name}`).join(', ');
}

function refText(r: RuleRef): string {
	return `${r.namespace}/${r.name} ${r.direction} rule ${r.rule}`;
}

function reasonFor(j: Judgement, direction: Direction, subject: Endpoint, other: Endpoint, port: number, protocol: Protocol): string {
	const who = endpointName(subject);
	const far = endpointName(other);
	switch (j.basis) {
		case 'not-a-pod':
			return `${who} is not a pod: no policy governs its ${direction}`;
		case 'host-network':
			return `${who} uses the host network: policies do not select it`;
		case 'same-pod':
			return 'a pod can always reach itself';
		case 'own-node': {
			const node = other.kind === 'pod' ? `${far} is on the host network of ${who}'s own node` : `${far} is ${who}'s own node`;
			return `${node}: traffic between a pod and its node is always allowed`;
		}

		case 'not-isolated':
			return `no policy selects ${who} for ${direction}`;
		case 'rule':
			return `allowed by ${j.allowedBy.map(r => refText(r)).join(', ')}`;
		case 'no-rule': {
			const by = `${who} is isolated for ${direction} by ${policyList(j.isolatedBy)}`;
			return j.verdict === 'unknown'
				? `${by}; no rule surely allows ${far} on ${port}/${protocol}: one depends on namespace labels that are unknown`
				: `${by}, and no rule of ${j.isolatedBy.length === 1 ? 'it' : 'theirs'} allows ${far} on ${port}/${protocol}`;
		}
	}
}

/** A judgement with its reasons: the one-line reason, and every isolating policy's misses. */
function explain(
	model: PolicyModel,
	j: Judgement,
	direction: Direction,
	subject: Located,
	other: Located,
	destination: Endpoint,
	port: number,
	protocol: Protocol,
): DirectionResult {
	const isolatedBy: PolicyMiss[] = j.isolatedBy.map(policy => ({
		namespace: policy.namespace,
		name: policy.name,
		rules: policy.rules[direction].map(rule => ruleMiss(model, policy, rule, other, destination, port, protocol)),
	}));
	return {
		direction,
		verdict: j.verdict,
		basis: j.basis,
		reason: reasonFor(j, direction, subject.endpoint, other.endpoint, port, protocol),
		allowedBy: j.allowedBy,
		isolatedBy,
	};
}

export function combineVerdicts(egress: Verdict, ingress: Verdict): Verdict {
	if (egress === 'denied' || ingress === 'denied') return 'denied';
	return egress === 'unknown' || ingress === 'unknown' ? 'unknown' : 'allowed';
}

/** The rules that allow it; or, when it does not pass, the policies of the direction(s) that stop it. */
export function decidedBy(verdict: Verdict, egress: Judgement, ingress: Judgement): DecidedBy[] {
	if (verdict === 'allowed') {
		if (ingress.allowedBy.length === 0) return egress.allowedBy;
		return egress.allowedBy.length === 0 ? ingress.allowedBy : [...egress.allowedBy, ...ingress.allowedBy];
	}

	const out = egress.verdict === verdict ? egress.stops : none;
	if (ingress.verdict !== verdict) return out;
	return out.length === 0 ? ingress.stops : [...out, ...ingress.stops];
}

export function evaluateConnection(model: PolicyModel, from: Endpoint, to: Endpoint, port: number, protocol: Protocol): ConnectionResult {
	const a = locate(model, from);
	const b = locate(model, to);
	const egress = judge(model, 'egress', a, b, to, port, protocol);
	const ingress = judge(model, 'ingress', b, a, to, port, protocol);
	const verdict = combineVerdicts(egress.verdict, ingress.verdict);
	return {
		verdict,
		egress: explain(model, egress, 'egress', a, b, to, port, protocol),
		ingress: explain(model, ingress, 'ingress', b, a, to, port, protocol),
		decidedBy: decidedBy(verdict, egress, ingress),
	};
}
