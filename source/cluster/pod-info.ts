// A v1.Pod as JSON → the few fields the UI and the engine use. Pure. Everything else in the object
// (managedFields, env, volumes, ...) is dropped right after parsing, so 10,000 pods stay small;
// strings that repeat across pods (namespace, node, image, phase, ...) are interned to share them.
import type {ContainerInfo, ContainerKind, ContainerPort, PodInfo} from '../core/types.js';

type Json = Record<string, unknown>;

const interned = new Map<string, string>();

/** The same string object for equal values, so a million copies of "Running" cost one. */
function intern(s: string): string {
	const known = interned.get(s);
	if (known !== undefined) return known;
	// Bounded, so a stream of unique values (uids, ...) cannot grow it without end.
	if (interned.size > 50_000) interned.clear();
	interned.set(s, s);
	return s;
}

const conditionLists = new Map<string, Array<{type: string; status: string}>>();

/**
 * Most pods have the same few conditions in the same states, so equal lists are one shared array
 * (a fifth of a pod's size). PodInfo is immutable data: nobody may change a pod's conditions.
 */
function sharedConditions(raw: Json[]): Array<{type: string; status: string}> {
	const list = raw.map(c => ({type: String(c['type'] ?? ''), status: String(c['status'] ?? '')}));
	const key = list.map(c => `${c.type}=${c.status}`).join(',');
	const known = conditionLists.get(key);
	if (known !== undefined) return known;
	if (conditionLists.size > 1000) conditionLists.clear();
	conditionLists.set(key, list);
	return list;
}

function obj(v: unknown): Json {
	return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function arr(v: unknown): Json[] {
	return Array.isArray(v) ? v.map(obj) : [];
}

function str(v: unknown): string | null {
	return typeof v === 'string' && v !== '' ? v : null;
}

function containerState(status: Json): {state: string; reason: string | null} {
	const state = obj(status['state']);
	for (const key of ['running', 'waiting', 'terminated'] as const) {
		if (key in state) {
			const reason = str(obj(state[key])['reason']);
			return {state: key, reason: reason === null ? null : intern(reason)};
		}
	}

	return {state: 'unknown', reason: null};
}

/** Most containers declare no port: they all share this one empty list (PodInfo is immutable). */
const noPorts: ContainerPort[] = [];

/** The ports a NetworkPolicy's named ports resolve against; entries without a valid number are dropped. */
function containerPorts(v: unknown): ContainerPort[] {
	const ports = arr(v).flatMap(p => {
		const n = p['containerPort'];
		if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65_535) return [];
		const name = str(p['name']);
		return [{name: name === null ? null : intern(name), containerPort: n, protocol: intern(str(p['protocol']) ?? 'TCP')}];
	});
	return ports.length === 0 ? noPorts : ports;
}

function containers(specs: unknown, statuses: unknown, kind: ContainerKind): ContainerInfo[] {
	const byName = new Map<string, Json>();
	for (const s of arr(statuses)) if (typeof s['name'] === 'string') byName.set(s['name'], s);
	return arr(specs).map(spec => {
		const name = String(spec['name'] ?? '');
		const status = byName.get(name) ?? {};
		const image = str(spec['image']) ?? str(status['image']) ?? '';
		return {
			name: intern(name),
			kind,
			image: intern(image),
			...containerState(status),
			ready: status['ready'] === true,
			restarts: typeof status['restartCount'] === 'number' ? status['restartCount'] : 0,
			containerID: str(status['containerID']),
			ports: containerPorts(spec['ports']),
		};
	});
}

function labels(v: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out[intern(k)] = intern(val);
	return out;
}

/** The pod's IPs: status.podIPs when present (dual-stack), else status.podIP. Not validated here. */
function podIps(status: Json): string[] {
	const ips = arr(status['podIPs']).map(p => str(p['ip'])).filter((ip): ip is string => ip !== null);
	if (ips.length > 0) return ips;
	const single = str(status['podIP']);
	return single === null ? [] : [single];
}

/** Null when the object is not a pod with a uid (a watch ERROR, a Status, garbage). */
export function toPodInfo(raw: unknown): PodInfo | null {
	const pod = obj(raw);
	const meta = obj(pod['metadata']);
	const uid = str(meta['uid']);
	if (uid === null) return null;
	const spec = obj(pod['spec']);
	const status = obj(pod['status']);
	const all = [
		...containers(spec['initContainers'], status['initContainerStatuses'], 'init'),
		...containers(spec['containers'], status['containerStatuses'], 'regular'),
		...containers(spec['ephemeralContainers'], status['ephemeralContainerStatuses'], 'ephemeral'),
	];
	const conditions = sharedConditions(arr(status['conditions']));
	const node = str(spec['nodeName']);
	const hostIP = str(status['hostIP']);
	return {
		namespace: intern(str(meta['namespace']) ?? 'default'),
		name: String(meta['name'] ?? ''),
		uid,
		nodeName: node === null ? null : intern(node),
		hostNetwork: spec['hostNetwork'] === true,
		ips: podIps(status),
		phase: intern(str(status['phase']) ?? 'Unknown'),
		ready: conditions.some(c => c.type === 'Ready' && c.status === 'True'),
		restarts: all.filter(c => c.kind !== 'ephemeral').reduce((sum, c) => sum + c.restarts, 0),
		hostIP: hostIP === null ? null : intern(hostIP),
		startTime: str(status['startTime']),
		conditions,
		labels: labels(meta['labels']),
		containers: all,
		resourceVersion: String(meta['resourceVersion'] ?? ''),
	};
}
