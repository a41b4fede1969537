// Pure: NetworkPolicy as the TUI shows it. The policy hop of an open path (its row, and its explain
// steps), and the `n` view of one pod: the policies that select it per direction, who may reach it
// and whom it may reach (this pod's own policies judged by the core evaluator over the pods the
// session knows, grouped by namespace and labels), and the enforcement line. Every string from the
// cluster goes through displayText here.
import {displayText} from '../core/display-text.js';
import {policyLine} from '../core/path/path-policy.js';
import type {PathPolicy} from '../core/path/types.js';
import {compilePolicies} from '../core/policy/compile-policies.js';
import {evaluateConnection} from '../core/policy/evaluate-connection.js';
import {describeLabels, describeSelector, isEmptySelector} from '../core/policy/label-selector.js';
import {describePort} from '../core/policy/policy-ports.js';
import {policyPod} from '../core/policy/policy-pod.js';
import type {Direction, NetworkPolicy, PolicyPeer, PolicyPod, PolicyPort, PolicyRule} from '../core/policy/types.js';
import {quoteCommand} from '../core/shell-quote.js';
import type {PodInfo} from '../core/types.js';
import type {ExplainStep, PolicyState} from '../store/tui-state.js';
import type {RouteLine, RouteMark} from './route-model.js';

/** ✗ a deny that is enforced, ! one that is not (or may not be), ? unknown, ✓ allowed. */
export function policyMark(p: PathPolicy): RouteMark {
	if (p.verdict === 'allowed') return '✓';
	if (p.verdict === 'unknown') return '?';
	return p.enforced === true ? '✗' : '!';
}

function deciders(p: PathPolicy): string {
	const names = [...new Set(p.decidedBy.map(d => `${d.namespace}/${d.name}`))];
	return names.length > 0 ? names.join(', ') : 'no policy isolates either pod';
}

/** The open path's policy hop: one row like a hop's, then why, then what it means here. */
export function policyRouteLines(p: PathPolicy): RouteLine[] {
	const mark = policyMark(p);
	const where = p.hop ? `${p.hop.direction} of ${p.hop.pod}${p.hop.node ? ` on ${p.hop.node}` : ''}` : p.evaluatedFor || 'policy';
	const verdict = p.verdict === 'denied' && p.enforced !== true ? 'would deny' : p.verdict;
	const by = p.verdict === 'unknown' && p.decidedBy.length === 0 ? '' : `  by ${deciders(p)}`;
	const lines: RouteLine[] = [{kind: 'hop', mark, text: displayText(`${mark}  policy  ${where}  ${verdict}${by}`)}];
	const why = [p.egress, p.ingress].filter(s => s !== null && s.verdict !== 'allowed').map(s => s!.reason);
	for (const reason of why) lines.push({kind: 'problem', mark, text: displayText(`    ${reason}`)});
	if (p.note) lines.push({kind: 'problem', mark, text: displayText(`    ${p.note}`)});
	return lines;
}

/** `e` on the path: the policies that decide, to read with kubectl, and the enforcement evidence. */
export function policyExplainSteps(p: PathPolicy): ExplainStep[] {
	const what = `${policyMark(p)} ${policyLine(p)}`;
	const steps: ExplainStep[] = [];
	const named = new Map<string, {namespace: string; name: string}>();
	for (const d of p.decidedBy) named.set(`${d.namespace}/${d.name}`, d);
	for (const s of [p.egress, p.ingress]) for (const miss of s?.isolatedBy ?? []) named.set(`${miss.namespace}/${miss.name}`, miss);
	for (const s of [p.egress, p.ingress]) {
		if (s === null) continue;
		const mine = [...named.values()].filter(n => s.allowedBy.some(r => r.namespace === n.namespace && r.name === n.name) || s.isolatedBy.some(m => m.namespace === n.namespace && m.name === n.name));
		for (const n of mine) {
			const rules = s.isolatedBy.find(m => m.namespace === n.namespace && m.name === n.name)?.rules ?? [];
			const misses = rules.map(r => `rule ${r.rule}: ${[r.peer, r.port].filter(Boolean).join('; ') || 'matches'}`);
			steps.push({what, command: quoteCommand(['kubectl', 'get', 'networkpolicy', '-n', n.namespace, n.name, '-o', 'yaml']), expect: [s.reason, ...(misses.length > 0 ? misses : [])].join('\n')});
		}
	}

	steps.push({what: `policy enforced: ${p.enforced === null ? 'unknown' : String(p.enforced)}`, command: 'kubectl get daemonsets -A', expect: p.enforcedReason});
	return steps;
}

export type PolicyViewLine = {kind: 'heading' | 'text' | 'allow' | 'deny' | 'muted' | 'warn'; text: string};

function peerText(peer: PolicyPeer, policyNamespace: string): string {
	if (peer.ipBlock !== null) return `ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except.length > 0 ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
	const pods = peer.podSelector === null || isEmptySelector(peer.podSelector) ? 'every pod' : `pods ${describeSelector(peer.podSelector)}`;
	if (peer.namespaceSelector === null) return `${pods} in namespace ${policyNamespace}`;
	return `${pods} in ${isEmptySelector(peer.namespaceSelector) ? 'every namespace' : `namespaces ${describeSelector(peer.namespaceSelector)}`}`;
}

function ruleText(rule: PolicyRule, index: number, direction: Direction, namespace: string): string {
	const peers = rule.peers.length === 0 ? 'every peer' : rule.peers.map(p => peerText(p, namespace)).join(' or ');
	const ports = rule.ports.length === 0 ? 'every port' : rule.ports.map(describePort).join(', ');
	return `rule ${index}: ${direction === 'ingress' ? 'from' : 'to'} ${peers}, on ${ports}`;
}

/** Labels that name one pod of a set (a Deployment's hash) would split every group: left out. */
function groupLabels(labels: Record<string, string>): string {
	const kept = Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'pod-template-hash' && k !== 'controller-revision-hash' && k !== 'statefulset.kubernetes.io/pod-name'));
	return describeLabels(kept);
}

interface Reach {
	namespace: string;
	labels: string;
	ports: string;
	names: string[];
}

/** This pod's side of the connection with each known peer, on every port, then on the ports a rule names. */
function reach(policies: NetworkPolicy[], state: PolicyState, self: PolicyPod, peers: PolicyPod[], direction: Direction): Reach[] {
	const model = compilePolicies(policies, state.namespaces, [self, ...peers]);
	const groups = new Map<string, Reach>();
	const me = {kind: 'pod' as const, pod: self};
	for (const peer of peers) {
		const other = {kind: 'pod' as const, pod: peer};
		// Port 0 is named by no rule: allowed there means allowed on every port.
		const result = direction === 'ingress' ? evaluateConnection(model, other, me, 0, 'TCP').ingress : evaluateConnection(model, me, other, 0, 'TCP').egress;
		let ports: string;
		if (result.verdict === 'allowed') ports = 'every port';
		else if (result.verdict === 'unknown') ports = 'unknown (namespace labels not known)';
		else {
			const limited = result.isolatedBy.flatMap(miss => miss.rules.filter(r => r.peer === null && r.port !== null).flatMap(r => policies.find(p => p.namespace === miss.namespace && p.name === miss.name)?.[direction][r.rule]?.ports ?? []));
			if (limited.length === 0) continue;
			ports = [...new Set(limited.map(describePort))].join(', ');
		}

		const labels = groupLabels(peer.labels);
		const key = `${peer.namespace}\u0000${labels}\u0000${ports}`;
		const group = groups.get(key) ?? {namespace: peer.namespace, labels, ports, names: []};
		group.names.push(peer.name);
		groups.set(key, group);
	}

	return collapse([...groups.values()], peers).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.labels.localeCompare(b.labels));
}

/** A namespace whose every known pod is reached alike is one line, not one per label set. */
function collapse(groups: Reach[], peers: PolicyPod[]): Reach[] {
	const out: Reach[] = [];
	for (const namespace of new Set(groups.map(g => g.namespace))) {
		const mine = groups.filter(g => g.namespace === namespace);
		const names = mine.flatMap(g => g.names);
		const all = peers.filter(p => p.namespace === namespace).length;
		if (mine.length > 1 && names.length === all && new Set(mine.map(g => g.ports)).size === 1) out.push({namespace, labels: 'every pod', ports: mine[0]!.ports, names});
		else out.push(...mine);
	}

	return out;
}

function directionLines(direction: Direction, policies: NetworkPolicy[], state: PolicyState, self: PolicyPod, peers: PolicyPod[]): PolicyViewLine[] {
	const model = compilePolicies(policies, state.namespaces, [self]);
	const selecting = model.selectedBy[0]![direction].policies;
	const title = direction === 'ingress' ? 'Ingress: who may reach it' : 'Egress: whom it may reach';
	const lines: PolicyViewLine[] = [{kind: 'heading', text: title}];
	if (selecting.length === 0) {
		lines.push({kind: 'allow', text: `  everything: not isolated for ${direction} (no policy selects it for ${direction})`});
		return lines;
	}

	lines.push({kind: 'text', text: displayText(`  isolated for ${direction} by ${selecting.map(p => `${p.namespace}/${p.name}`).join(', ')}`)});
	for (const c of selecting) {
		const source = policies.find(p => p.namespace === c.namespace && p.name === c.name)!;
		const rules = source[direction];
		if (rules.length === 0) lines.push({kind: 'muted', text: displayText(`    ${c.namespace}/${c.name}: no ${direction} rules, so it allows nothing`)});
		rules.forEach((rule, i) => lines.push({kind: 'muted', text: displayText(`    ${c.namespace}/${c.name} ${ruleText(rule, i, direction, c.namespace)}`)}));
	}

	const groups = reach(policies, state, self, peers, direction);
	const blocks = selecting.flatMap(c => policies.find(p => p.namespace === c.namespace && p.name === c.name)![direction]).flatMap((r): Array<{peer: PolicyPeer | null; ports: PolicyPort[]}> => (r.peers.length === 0 ? [{peer: null, ports: r.ports}] : r.peers.filter(p => p.ipBlock !== null).map(peer => ({peer, ports: r.ports}))));
	if (groups.length === 0 && blocks.length === 0) {
		lines.push({kind: 'deny', text: `  nothing: ${direction === 'ingress' ? 'nobody may reach it' : 'it may reach nobody'} (judged over the ${peers.length} other pods known)`});
		return lines;
	}

	if (groups.length === 0) lines.push({kind: 'deny', text: `  no pod of the ${peers.length} other pods known`});
	for (const g of groups) lines.push({kind: 'allow', text: displayText(`  ${g.namespace}  ${g.labels}  (${g.names.sort().join(', ')})  on ${g.ports}`)});
	for (const b of blocks) lines.push({kind: 'allow', text: displayText(`  ${b.peer === null ? `every address (a rule with no ${direction === 'ingress' ? 'from' : 'to'})` : peerText(b.peer, self.namespace)}  on ${b.ports.length === 0 ? 'every port' : b.ports.map(describePort).join(', ')}`)});
	return lines;
}

/** The `n` view of one pod, judged over `known` (every pod the session has seen). */
export function policyViewLines(pod: PodInfo, known: readonly PodInfo[], state: PolicyState | null): PolicyViewLine[] {
	if (state === null) return [{kind: 'muted', text: 'reading the NetworkPolicies…'}];
	const enforced = state.enforcement.enforced === null ? 'unknown' : String(state.enforcement.enforced);
	const lines: PolicyViewLine[] = [{kind: state.enforcement.enforced === true ? 'text' : 'warn', text: displayText(`enforced: ${enforced} (${state.enforcement.enforcedReason})`)}];
	if (state.error) lines.push({kind: 'warn', text: displayText(`${state.error.reason} (${state.error.hint})`)});
	if (state.policies === null) {
		lines.push({kind: 'warn', text: 'the NetworkPolicies are not listed, so nothing can be said of this pod'});
		return lines;
	}

	if (pod.hostNetwork) {
		lines.push({kind: 'text', text: 'it uses the host network: NetworkPolicies do not select it, and its traffic is the node\'s'});
		return lines;
	}

	const self = policyPod(pod);
	const seen = new Set<string>();
	const peers = known.filter(p => {
		const key = `${p.namespace}/${p.name}`;
		// A pod without an address sends and takes nothing yet; hostNetwork pods are their node.
		if (seen.has(key) || (p.namespace === pod.namespace && p.name === pod.name) || p.hostNetwork || p.ips.length === 0 || p.phase === 'Succeeded' || p.phase === 'Failed') return false;
		seen.add(key);
		return true;
	}).map(policyPod);
	lines.push(...directionLines('ingress', state.policies, state, self, peers), ...directionLines('egress', state.policies, state, self, peers));
	lines.push({kind: 'muted', text: 'its own policies only: a peer\'s egress (or ingress) policies apply too; a pod always reaches itself, and its node always reaches it'});
	return lines;
}
