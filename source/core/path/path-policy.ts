// The NetworkPolicy verdict on one path A → B, and what it does to the path's verdict. Pure: the
// policies, namespaces and enforcement come from the caller (the `path` command, the TUI session).
//
// What is evaluated, since a path may be asked without a port:
// - `--port P` (with --proto, TCP by default): exactly P.
// - no port, TCP/UDP/SCTP (TCP when no --proto): every port of the protocol at once. A rule counts
//   only if it takes every port (no `ports`, or an entry without `port`); a rule that takes the peer
//   on some ports only is named in portLimited, with a hint to give --port.
// - ICMP: the spec says nothing of it. Only rules without `ports` count (they take every protocol),
//   the way Calico and Cilium treat it.
// A deny makes the path `blocked` where policy is enforced; where it is not, the path stays as the
// kernel walk says and the note says so; where nobody knows, both are said and the path is unknown.
import {endpointName} from '../policy/peer-match.js';
import {compilePolicies} from '../policy/compile-policies.js';
import {evaluateConnection} from '../policy/evaluate-connection.js';
import {describePort} from '../policy/policy-ports.js';
import type {Direction, DirectionResult, Endpoint, NetworkPolicy, PolicyNamespace, PolicyPod, PolicyPort, Protocol} from '../policy/types.js';
import type {Enforcement} from '../policy-enforcement.js';
import type {PathDocument, PathFlow, PathPolicy, PathPolicySide} from './types.js';

export interface PathPolicyInput {
	policies: NetworkPolicy[];
	/** null: the namespaces could not be listed (namespaceSelectors then answer unknown). */
	namespaces: PolicyNamespace[] | null;
	from: PolicyPod;
	to: Endpoint;
	/** --proto and --port as asked (proto null: not given). */
	flow: {proto: PathFlow['proto'] | null; port: number | null};
	enforcement: Enforcement;
}

/** Every port entry of a rule made to take nothing, so only rules without `ports` count (ICMP). */
const NO_PORT: PolicyPort = {protocol: 'none: ICMP has no ports', port: null, endPort: null};

function portlessRules(p: NetworkPolicy): NetworkPolicy {
	const keep = (rules: NetworkPolicy['ingress']) => rules.map(r => (r.ports.length === 0 ? r : {...r, ports: [NO_PORT]}));
	// Isolation must not change with the rules: the default policyTypes depend on egress rules existing.
	const policyTypes = p.policyTypes ?? (p.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
	return {...p, policyTypes, ingress: keep(p.ingress), egress: keep(p.egress)};
}

function portOf(port: PolicyPort): string {
	return describePort(port);
}

function side(result: DirectionResult, policies: NetworkPolicy[], portless: boolean, evaluatedFor: string, subject: Endpoint, other: Endpoint): PathPolicySide {
	const base: PathPolicySide = {verdict: result.verdict, basis: result.basis, reason: result.reason, allowedBy: result.allowedBy, isolatedBy: result.isolatedBy};
	if (!portless || result.basis !== 'no-rule') return base;
	// The evaluator was asked for port 0, which no rule names: say what was meant instead.
	const names = result.isolatedBy.map(p => `${p.namespace}/${p.name}`).join(', ');
	const theirs = result.isolatedBy.length === 1 ? 'it' : 'theirs';
	const reason = result.verdict === 'unknown'
		? `${endpointName(subject)} is isolated for ${result.direction} by ${names}; no rule surely allows ${endpointName(other)} on ${evaluatedFor}: one depends on namespace labels that are unknown`
		: `${endpointName(subject)} is isolated for ${result.direction} by ${names}, and no rule of ${theirs} allows ${endpointName(other)} on ${evaluatedFor}`;
	const isolatedBy = result.isolatedBy.map(miss => ({
		...miss,
		rules: miss.rules.map(r => {
			if (r.port === null) return r;
			const source = policies.find(p => p.namespace === miss.namespace && p.name === miss.name)?.[result.direction][r.rule];
			return {...r, port: `it takes only ${(source?.ports ?? []).map(portOf).join(', ')}, and ${evaluatedFor} was asked`};
		}),
	}));
	return {...base, reason, isolatedBy};
}

/** Rules whose peers take the far end but whose ports leave some out (only without --port). */
function portLimited(sides: Array<{direction: Direction; side: PathPolicySide | null}>, policies: NetworkPolicy[]): string[] {
	const out: string[] = [];
	for (const {direction, side: s} of sides) {
		if (s === null || s.verdict === 'allowed') continue;
		for (const miss of s.isolatedBy) {
			for (const r of miss.rules) {
				if (r.peer !== null || r.port === null) continue;
				const rule = policies.find(p => p.namespace === miss.namespace && p.name === miss.name)?.[direction][r.rule];
				out.push(`${miss.namespace}/${miss.name} ${direction} rule ${r.rule}: ${(rule?.ports ?? []).map(portOf).join(', ')}`);
			}
		}
	}

	return out;
}

function evaluatedFor(protocol: string, port: number | null): string {
	if (protocol === 'ICMP') return 'ICMP (outside the NetworkPolicy spec: only rules without ports take it)';
	return port === null ? `every ${protocol} port` : `${port}/${protocol}`;
}

export function pathPolicy(input: PathPolicyInput): PathPolicy {
	const icmp = input.flow.proto === 'icmp';
	const protocol = icmp ? 'ICMP' : ((input.flow.proto ?? 'tcp').toUpperCase() as Protocol);
	const port = icmp ? null : input.flow.port;
	const policies = icmp ? input.policies.map(portlessRules) : input.policies;
	const model = compilePolicies(policies, input.namespaces, [input.from, ...(input.to.kind === 'pod' ? [input.to.pod] : [])]);
	const from: Endpoint = {kind: 'pod', pod: input.from};
	// Port 0 is named by no rule: exactly the rules that take every port match it.
	const result = evaluateConnection(model, from, input.to, port ?? 0, icmp ? 'TCP' : (protocol as Protocol));
	const what = evaluatedFor(protocol, port);
	const portless = port === null;
	const egress = side(result.egress, input.policies, portless, what, from, input.to);
	const ingress = input.to.kind === 'pod' ? side(result.ingress, input.policies, portless, what, input.to, from) : null;
	const denied = [egress, ingress].find(s => s !== null && s.verdict === 'denied') ?? null;
	const hopPod = denied === egress ? input.from : input.to.kind === 'pod' ? input.to.pod : null;
	return {
		verdict: result.verdict,
		port,
		protocol,
		evaluatedFor: what,
		egress,
		ingress,
		decidedBy: result.decidedBy,
		...input.enforcement,
		hop: denied !== null && hopPod !== null ? {node: hopPod.nodeName, direction: denied === egress ? 'egress' : 'ingress', pod: `${hopPod.namespace}/${hopPod.name}`} : null,
		portLimited: portless && !icmp ? portLimited([{direction: 'egress', side: egress}, {direction: 'ingress', side: ingress}], input.policies) : [],
		note: null,
	};
}

/** When the policies could not be read at all: the verdict is unknown, and why. */
export function unreadPolicy(reason: string, enforcement: Enforcement): PathPolicy {
	return {verdict: 'unknown', port: null, protocol: '', evaluatedFor: '', egress: null, ingress: null, decidedBy: [], ...enforcement, hop: null, portLimited: [], note: `NetworkPolicies could not be read: ${reason}`};
}

/**
 * The document with its policy, and the path's verdict as policy makes it: a deny enforced blocks
 * the path (a path the kernel already breaks stays broken: that is the first thing to mend).
 */
export function withPolicy(doc: PathDocument, policy: PathPolicy): PathDocument {
	let verdict = doc.verdict;
	let note = policy.note;
	if (policy.verdict === 'denied') {
		if (policy.enforced === true && verdict !== 'broken') verdict = 'blocked';
		else if (policy.enforced === false) note = `policy would deny, but this CNI does not enforce NetworkPolicy (${policy.enforcedReason})`;
		else if (policy.enforced === null) {
			note = `policy denies, and whether this cluster enforces NetworkPolicy is unknown (${policy.enforcedReason})`;
			if (verdict === 'reachable') verdict = 'unknown';
		}
	} else if (policy.verdict === 'unknown') {
		if (policy.enforced === false) note = `${note ?? 'the policy verdict is unknown'}; this CNI does not enforce NetworkPolicy anyway`;
		else if (verdict === 'reachable') verdict = 'unknown';
	}

	return {...doc, verdict, policy: {...policy, note}};
}

/** The one line `path` prints for the policy, and the TUI's policy hop shows. */
export function policyLine(p: PathPolicy): string {
	if (p.egress === null && p.ingress === null) return `policy: unknown${p.note ? `: ${p.note}` : ''}`;
	const deciding = [p.egress, p.ingress].filter((s): s is PathPolicySide => s !== null && s.verdict !== 'allowed');
	const why = p.verdict === 'allowed'
		? [p.egress, p.ingress].filter((s): s is PathPolicySide => s !== null).map(s => s.reason).join('; ')
		: deciding.map(s => s.reason).join('; ');
	const where = p.hop ? `, at ${p.hop.direction} of ${p.hop.pod}${p.hop.node ? ` on ${p.hop.node}` : ''}` : '';
	const limited = p.portLimited.length > 0 ? `; on some ports only: ${p.portLimited.join('; ')} (give --port)` : '';
	const enforced = p.enforced === null ? 'unknown' : String(p.enforced);
	return `policy: ${p.verdict} for ${p.evaluatedFor}${where}: ${why}${limited}; enforced: ${enforced} (${p.enforcedReason})`;
}
