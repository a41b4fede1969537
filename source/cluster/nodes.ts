// Nodes: what the engine needs to pick and reach one (addresses, hostname, readiness, pod CIDRs).
import type {Result} from '../core/types.js';
import type {KubeTarget} from './kube-target.js';
import {getJson} from './api-request.js';
import {listAll, reflect, type ListSpec, type ReflectorOptions, type WatchHandlers} from './list-watch.js';

export interface NodeInfo {
	name: string;
	internalIPs: string[];
	hostname: string | null;
	ready: boolean;
	podCIDRs: string[];
}

type Json = Record<string, unknown>;

function records(v: unknown): Json[] {
	return Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : [];
}

/** Null when the object has no name. Pure. */
export function toNodeInfo(raw: unknown): NodeInfo | null {
	const node = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
	const meta = (node['metadata'] ?? {}) as Json;
	const spec = (node['spec'] ?? {}) as Json;
	const status = (node['status'] ?? {}) as Json;
	if (typeof meta['name'] !== 'string' || meta['name'] === '') return null;
	const addresses = records(status['addresses']);
	const of = (type: string) => addresses.filter(a => a['type'] === type && typeof a['address'] === 'string').map(a => a['address'] as string);
	const cidrs = Array.isArray(spec['podCIDRs'])
		? spec['podCIDRs'].filter((c): c is string => typeof c === 'string')
		: typeof spec['podCIDR'] === 'string'
			? [spec['podCIDR']]
			: [];
	return {
		name: meta['name'],
		internalIPs: of('InternalIP'),
		hostname: of('Hostname')[0] ?? null,
		ready: records(status['conditions']).some(c => c['type'] === 'Ready' && c['status'] === 'True'),
		podCIDRs: cidrs,
	};
}

const nodeListSpec: ListSpec<NodeInfo> = {
	path: '/api/v1/nodes',
	params: {},
	what: {verb: 'list', resource: 'nodes'},
	map: toNodeInfo,
	key: n => n.name,
};

export async function listNodes(t: KubeTarget): Promise<Result<NodeInfo[]>> {
	const listed = await listAll(t, nodeListSpec);
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items};
}

/** One node by name; a missing node is a failure that says so. */
export async function getNode(t: KubeTarget, name: string): Promise<Result<NodeInfo>> {
	const got = await getJson(t, `/api/v1/nodes/${encodeURIComponent(name)}`, {verb: 'get', resource: 'nodes', name});
	if (!got.ok) return {ok: false, reason: got.reason, hint: got.hint};
	const node = toNodeInfo(got.value);
	if (node === null) return {ok: false, reason: `the API server sent no node for "${name}"`, hint: 'run with --debug for details'};
	return {ok: true, value: node};
}

/** The failure for a --node that listNodes did not return, naming the ones that exist. */
export function nodeNotFound(name: string, nodes: NodeInfo[], server: string): {ok: false; reason: string; hint: string} {
	const names = nodes.map(n => n.name);
	const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')}, ... (${names.length})` : names.join(', ') || '(none)';
	return {
		ok: false,
		reason: `node "${name}" not found on ${server}; nodes: ${shown}`,
		hint: 'pass one of them to --node, or leave --node out to detect this host\'s node',
	};
}

/** Nodes kept current (keyed by name: onDelete gets the node's name). */
export function watchNodes(t: KubeTarget, h: WatchHandlers<NodeInfo>, o?: ReflectorOptions): {stop(): void} {
	return reflect(t, nodeListSpec, h, o);
}
