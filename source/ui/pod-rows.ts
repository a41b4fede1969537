// Pure pod → row rendering for the Pods pane, plus its filter and sort. Rows are rebuilt once per
// store snapshot; a filter keystroke then only scans the precomputed lowercase search text.
// Every shown field is made safe for the terminal here, once per snapshot, so `/` matches what the
// row shows.
import {displayText} from '../core/display-text.js';
import type {PodInfo, PodPath} from '../core/types.js';

/** How a row differs from an ordinary pod of this node; the marker keeps it readable without colour. */
export type RowKind = 'pod' | 'host-network' | 'pending' | 'other-node' | 'problem' | 'completed';

export const ROW_MARKERS: Record<RowKind, string> = {
	'pod': ' ',
	'host-network': 'H',
	'pending': 'P',
	'other-node': '~',
	'problem': '!',
	'completed': 'C',
};

export const ROW_KIND_HELP: Record<RowKind, string> = {
	'pod': 'a pod of this node',
	'host-network': 'hostNetwork: shares the node\'s interfaces',
	'pending': 'not running yet (Pending, no IP)',
	'other-node': 'on another node: its path is not visible from here',
	'problem': 'something is off (netns not found, invalid IP, partial path)',
	'completed': 'finished (Succeeded, Failed): its old IP may be a live pod\'s now, so nothing is joined to it',
};

export const HEURISTIC_HELP = 'status heuristic: not root, the path is inferred from routes and the bridge fdb';

export interface PodRow {
	uid: string;
	namespace: string;
	name: string;
	/** ns/name, the first column. */
	title: string;
	ip: string;
	status: string;
	/** The host-side veth, or @node for a pod of another node. */
	peer: string;
	kind: RowKind;
	/** Lowercase: ns/name, every IP, the interfaces; what `/` matches. */
	search: string;
}

export const SORT_KEYS = ['name', 'namespace', 'ip', 'status', 'peer'] as const;
export type SortKey = typeof SORT_KEYS[number];

function rowKind(pod: PodInfo, path: PodPath | undefined, node: string | null): RowKind {
	if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return 'completed';
	if (pod.hostNetwork) return 'host-network';
	if (pod.phase === 'Pending' || pod.ips.length === 0) return 'pending';
	if (path?.status === 'not-on-this-node' || (node !== null && pod.nodeName !== null && pod.nodeName !== node)) return 'other-node';
	if (path && (path.status === 'netns-not-found' || path.status === 'invalid-ip' || path.status === 'partial')) return 'problem';
	return 'pod';
}

function statusText(pod: PodInfo, path: PodPath | undefined): string {
	if (pod.phase !== 'Running') return pod.phase;
	// Without root the path is inferred from routes and the bridge fdb: the row must say so (the
	// marker and colour still tell a partial one), and the Path pane says what root would add.
	if (path?.heuristic) return 'heuristic';
	switch (path?.status) {
		case 'netns-not-found': return 'NoNetns';
		case 'invalid-ip': return 'BadIP';
		case 'partial': return 'Partial';
		case 'no-ip': return 'NoIP';
		default: return pod.ready ? 'Running' : 'NotReady';
	}
}

export function podRow(pod: PodInfo, path: PodPath | undefined, node: string | null): PodRow {
	const kind = rowKind(pod, path, node);
	const ip = displayText(path?.ip ?? pod.ips[0] ?? '');
	let peer = path?.peer?.ifname ?? '';
	if (kind === 'other-node') peer = `@${pod.nodeName ?? '?'}`;
	else if (kind === 'host-network') peer = '(host)';
	const title = displayText(`${pod.namespace}/${pod.name}`);
	const interfaces = [path?.peer?.ifname, path?.eth0?.ifname, path?.bridge?.ifname].filter(Boolean).join(' ');
	return {
		uid: pod.uid,
		namespace: pod.namespace,
		name: pod.name,
		title,
		ip,
		status: displayText(statusText(pod, path)),
		peer: displayText(peer),
		kind,
		search: `${title} ${pod.ips.join(' ')} ${interfaces}`.toLowerCase(),
	};
}

export function buildRows(pods: ReadonlyMap<string, PodInfo>, paths: ReadonlyMap<string, PodPath>, node: string | null): PodRow[] {
	const rows: PodRow[] = [];
	for (const pod of pods.values()) rows.push(podRow(pod, paths.get(pod.uid), node));
	return rows;
}

/** IPv4 sorts numerically; anything else after it, as text. */
function ipKey(ip: string): string {
	const octets = ip.split('.');
	if (octets.length === 4) return '4' + octets.map(o => o.padStart(3, '0')).join('.');
	return '6' + ip;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : (a > b ? 1 : 0);
}

export function sortRows(rows: readonly PodRow[], key: SortKey, descending: boolean): PodRow[] {
	const keyOf: (row: PodRow) => string = {
		name: (row: PodRow) => row.name,
		namespace: (row: PodRow) => row.title,
		ip: (row: PodRow) => ipKey(row.ip),
		status: (row: PodRow) => row.status,
		peer: (row: PodRow) => row.peer,
	}[key];
	const keyed = rows.map(row => ({row, key: keyOf(row)}));
	// Ties fall back to ns/name so the order is stable across refreshes.
	keyed.sort((a, b) => compare(a.key, b.key) || compare(a.row.title, b.row.title));
	if (descending) keyed.reverse();
	// Finished pods (a CronJob leaves many) go after the live ones whatever the key or direction.
	const sorted = keyed.map(k => k.row);
	return [...sorted.filter(row => row.kind !== 'completed'), ...sorted.filter(row => row.kind === 'completed')];
}

export function filterRows(rows: readonly PodRow[], filter: string): readonly PodRow[] {
	const needle = filter.trim().toLowerCase();
	if (needle === '') return rows;
	return rows.filter(row => row.search.includes(needle));
}
