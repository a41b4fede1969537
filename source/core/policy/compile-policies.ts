// Policies compiled against one set of namespaces and pods, so that asking about many pairs costs
// lookups: which policies select each pod (per direction) and which pods each peer takes are
// worked out once here, and the evaluator only reads them. Pods outside the compiled set are still
// answered, by matching on the spot.
import {selectorMatches} from './label-selector.js';
import {parseBlock, selectorMatch, type NamespaceLabels, type ParsedBlock} from './peer-match.js';
import type {DecidedBy, Direction, LabelSelector, NetworkPolicy, PolicyNamespace, PolicyPeer, PolicyPod, PolicyPort, PolicyRule} from './types.js';

export interface CompiledPeer {
	source: PolicyPeer;
	/** The parsed ipBlock; null for a selector peer. */
	block: ParsedBlock | null;
	/** For a selector peer: its Match for each compiled pod, by index (unused for an ipBlock). */
	pods: Uint8Array;
}

export interface CompiledRule {
	index: number;
	/** Empty: every peer. */
	peers: CompiledPeer[];
	/** Empty: every port. */
	ports: PolicyPort[];
}

export interface CompiledPolicy {
	namespace: string;
	name: string;
	podSelector: LabelSelector;
	/** The directions it isolates: policyTypes, or the default when they are absent. */
	isolates: Record<Direction, boolean>;
	rules: Record<Direction, CompiledRule[]>;
}

/** The policies that select one pod for one direction, and the same as DecidedBy entries for a deny. */
export interface Selection {
	policies: CompiledPolicy[];
	stops: DecidedBy[];
}

export interface PolicyModel {
	policies: CompiledPolicy[];
	namespaceLabels: NamespaceLabels;
	pods: PolicyPod[];
	/** `namespace/name` → index into pods. */
	podIndex: ReadonlyMap<string, number>;
	/** Per compiled pod: the policies that select it, per direction. */
	selectedBy: Array<Record<Direction, Selection>>;
	/** The policies of each namespace, for pods outside the compiled set. */
	byNamespace: ReadonlyMap<string, CompiledPolicy[]>;
}

export function podKey(p: {namespace: string; name: string}): string {
	return `${p.namespace}/${p.name}`;
}

/** The spec's default when policyTypes is absent: Ingress always, Egress only with egress rules. */
function isolates(p: NetworkPolicy): Record<Direction, boolean> {
	if (p.policyTypes === null) return {ingress: true, egress: p.egress.length > 0};
	return {ingress: p.policyTypes.includes('Ingress'), egress: p.policyTypes.includes('Egress')};
}

function compilePeer(peer: PolicyPeer, policyNamespace: string, pods: PolicyPod[], labels: NamespaceLabels): CompiledPeer {
	if (peer.ipBlock !== null) return {source: peer, block: parseBlock(peer.ipBlock), pods: new Uint8Array(0)};
	const matches = new Uint8Array(pods.length);
	for (const [i, pod] of pods.entries()) matches[i] = selectorMatch(peer, policyNamespace, pod, labels);
	return {source: peer, block: null, pods: matches};
}

function compileRules(rules: PolicyRule[], namespace: string, pods: PolicyPod[], labels: NamespaceLabels): CompiledRule[] {
	return rules.map((r, index) => ({index, peers: r.peers.map(p => compilePeer(p, namespace, pods, labels)), ports: r.ports}));
}

/** `namespaces` null: they could not be listed, so namespaceSelectors (other than `{}`) answer unknown. */
export function compilePolicies(policies: NetworkPolicy[], namespaces: PolicyNamespace[] | null, pods: PolicyPod[]): PolicyModel {
	const namespaceLabels = namespaces === null ? null : new Map(namespaces.map(n => [n.name, n.labels]));
	const compiled: CompiledPolicy[] = policies.map(p => ({
		namespace: p.namespace,
		name: p.name,
		podSelector: p.podSelector,
		isolates: isolates(p),
		rules: {
			ingress: compileRules(p.ingress, p.namespace, pods, namespaceLabels),
			egress: compileRules(p.egress, p.namespace, pods, namespaceLabels),
		},
	}));
	const byNamespace = new Map<string, CompiledPolicy[]>();
	for (const c of compiled) {
		const list = byNamespace.get(c.namespace);
		if (list) list.push(c);
		else byNamespace.set(c.namespace, [c]);
	}

	const selectedBy = pods.map(pod => selectingPolicies(byNamespace, pod));
	const podIndex = new Map(pods.map((p, i) => [podKey(p), i]));
	return {policies: compiled, namespaceLabels, pods, podIndex, selectedBy, byNamespace};
}

function selection(policies: CompiledPolicy[], direction: Direction): Selection {
	return {policies, stops: policies.map(p => ({namespace: p.namespace, name: p.name, direction, rule: null}))};
}

/** The policies whose podSelector takes `pod`, per direction they isolate. */
export function selectingPolicies(byNamespace: ReadonlyMap<string, CompiledPolicy[]>, pod: PolicyPod): Record<Direction, Selection> {
	const mine = (byNamespace.get(pod.namespace) ?? []).filter(c => selectorMatches(c.podSelector, pod.labels));
	return {
		ingress: selection(mine.filter(c => c.isolates.ingress), 'ingress'),
		egress: selection(mine.filter(c => c.isolates.egress), 'egress'),
	};
}
