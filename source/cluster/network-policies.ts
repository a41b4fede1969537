// NetworkPolicies (networking.k8s.io/v1) → core's plain NetworkPolicy, for the evaluator. Pure
// mapping plus one list call; the apiserver has validated every object, so the mapping only has
// to keep the spec's meaning (absent against empty fields) and not invent any.
import type {Result} from '../core/types.js';
import type {IPBlock, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, PolicyType, SelectorRequirement} from '../core/policy/types.js';
import type {KubeTarget} from './kube-target.js';
import {arr, obj, type Json} from './json-fields.js';
import {listAll, reflect, type ListSpec, type ReflectorOptions, type WatchHandlers} from './list-watch.js';

function strings(v: unknown): string[] {
	return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

const operators = new Set<string>(['In', 'NotIn', 'Exists', 'DoesNotExist']);

function requirement(raw: Json): SelectorRequirement {
	const key = typeof raw['key'] === 'string' ? raw['key'] : '';
	const op = String(raw['operator'] ?? '');
	// The apiserver rejects other operators; were one to get through, `In ()` keeps it selecting
	// nothing, as a selector that fails to parse selects nothing in the apiserver's own matching.
	if (!operators.has(op)) return {key, operator: 'In', values: []};
	return {key, operator: op as SelectorRequirement['operator'], values: strings(raw['values'])};
}

/** null when the field is absent: a peer's absent selector and its `{}` mean different things. */
function selector(v: unknown): LabelSelector | null {
	const raw = obj(v);
	if (raw === null) return null;
	const matchLabels: Record<string, string> = {};
	for (const [k, val] of Object.entries(obj(raw['matchLabels']) ?? {})) if (typeof val === 'string') matchLabels[k] = val;
	return {matchLabels, matchExpressions: arr(raw['matchExpressions']).map(requirement)};
}

function ipBlock(v: unknown): IPBlock | null {
	const raw = obj(v);
	if (raw === null || typeof raw['cidr'] !== 'string') return null;
	return {cidr: raw['cidr'], except: strings(raw['except'])};
}

function peer(raw: Json): PolicyPeer {
	return {podSelector: selector(raw['podSelector']), namespaceSelector: selector(raw['namespaceSelector']), ipBlock: ipBlock(raw['ipBlock'])};
}

function port(raw: Json): PolicyPort {
	const p = raw['port'];
	const endPort = raw['endPort'];
	return {
		protocol: typeof raw['protocol'] === 'string' && raw['protocol'] !== '' ? raw['protocol'] : 'TCP',
		port: typeof p === 'number' || (typeof p === 'string' && p !== '') ? p : null,
		endPort: typeof endPort === 'number' && typeof p === 'number' ? endPort : null,
	};
}

function rules(v: unknown, peersField: 'from' | 'to'): PolicyRule[] {
	return arr(v).map(r => ({peers: arr(r[peersField]).map(peer), ports: arr(r['ports']).map(port)}));
}

function policyTypes(v: unknown): PolicyType[] | null {
	if (!Array.isArray(v)) return null;
	return strings(v).filter((t): t is PolicyType => t === 'Ingress' || t === 'Egress');
}

/** Null for anything that is not a named NetworkPolicy (a watch ERROR, a Status). */
export function toNetworkPolicy(raw: unknown): NetworkPolicy | null {
	const o = obj(raw);
	const meta = obj(o?.['metadata']);
	const name = meta?.['name'];
	const namespace = meta?.['namespace'];
	if (typeof name !== 'string' || name === '' || typeof namespace !== 'string' || namespace === '') return null;
	const spec = obj(o?.['spec']) ?? {};
	return {
		namespace,
		name,
		// Absent means `{}`: every pod of the namespace.
		podSelector: selector(spec['podSelector']) ?? {matchLabels: {}, matchExpressions: []},
		policyTypes: policyTypes(spec['policyTypes']),
		ingress: rules(spec['ingress'], 'from'),
		egress: rules(spec['egress'], 'to'),
	};
}

function networkPolicyListSpec(namespace: string | undefined): ListSpec<NetworkPolicy> {
	return {
		path: namespace
			? `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/networkpolicies`
			: '/apis/networking.k8s.io/v1/networkpolicies',
		params: {},
		what: {verb: 'list', resource: 'networkpolicies', namespace},
		map: toNetworkPolicy,
		key: p => `${p.namespace}/${p.name}`,
	};
}

/** Every namespace's policies, or one namespace's. */
export async function listNetworkPolicies(t: KubeTarget, namespace?: string): Promise<Result<NetworkPolicy[]>> {
	const listed = await listAll(t, networkPolicyListSpec(namespace));
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items};
}

/** Every namespace's policies kept current (the lab's policy agent follows them). */
export function watchNetworkPolicies(t: KubeTarget, h: WatchHandlers<NetworkPolicy>, o?: ReflectorOptions): {stop(): void} {
	return reflect(t, networkPolicyListSpec(undefined), h, o);
}
