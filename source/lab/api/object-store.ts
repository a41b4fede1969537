// The API's objects with resourceVersions, a bounded event history for watches, and each object's
// JSON serialised once, so a 10,000-pod list is a string join rather than 10,000 stringify calls.
import type {DesiredObjects, KubeObject, Resource} from './kube-objects.js';

export interface Entry {
	resource: Resource;
	/** namespace/name or name: the apiserver's list order. */
	key: string;
	uid: string;
	rv: number;
	object: KubeObject;
	json: string;
	labels: Record<string, string>;
	fields: Record<string, string>;
	/** The desired object this entry came from, to skip re-serialising unchanged objects. */
	source: KubeObject;
	/** JSON of `source` (no resourceVersion), compared on reload to detect a change; made when first needed. */
	body: string | null;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
	rv: number;
	resource: Resource;
	type: EventType;
	entry: Entry;
	/**
	 * The entry before: for MODIFIED, so a filtered watch can turn it into ADDED or DELETED; for
	 * DELETED, so a list at an older resourceVersion can bring it back. Null for ADDED.
	 */
	previous: Entry | null;
}

export const FIELD_SELECTORS: Record<Resource, readonly string[]> = {
	pods: [
		'metadata.name',
		'metadata.namespace',
		'spec.nodeName',
		'spec.restartPolicy',
		'spec.schedulerName',
		'spec.serviceAccountName',
		'spec.hostNetwork',
		'status.phase',
		'status.podIP',
		'status.nominatedNodeName',
	],
	nodes: ['metadata.name', 'spec.unschedulable'],
	namespaces: ['metadata.name', 'status.phase'],
	services: ['metadata.name', 'metadata.namespace'],
	endpointslices: ['metadata.name', 'metadata.namespace'],
	networkpolicies: ['metadata.name', 'metadata.namespace'],
	daemonsets: ['metadata.name', 'metadata.namespace'],
};

function fieldsOf(resource: Resource, o: KubeObject): Record<string, string> {
	const spec = (o['spec'] ?? {}) as Record<string, unknown>;
	const status = (o['status'] ?? {}) as Record<string, unknown>;
	const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
	const fields: Record<string, string> = {'metadata.name': o.metadata.name};
	if (resource === 'pods') {
		fields['metadata.namespace'] = o.metadata.namespace ?? '';
		fields['spec.nodeName'] = str(spec['nodeName']);
		fields['spec.restartPolicy'] = str(spec['restartPolicy']);
		fields['spec.schedulerName'] = str(spec['schedulerName']);
		fields['spec.serviceAccountName'] = str(spec['serviceAccountName']);
		fields['spec.hostNetwork'] = spec['hostNetwork'] === true ? 'true' : 'false';
		fields['status.phase'] = str(status['phase']);
		fields['status.podIP'] = str(status['podIP']);
		fields['status.nominatedNodeName'] = str(status['nominatedNodeName']);
	} else if (resource === 'nodes') {
		fields['spec.unschedulable'] = spec['unschedulable'] === true ? 'true' : 'false';
	} else if (resource === 'namespaces') {
		fields['status.phase'] = str(status['phase']);
	} else {
		fields['metadata.namespace'] = o.metadata.namespace ?? '';
	}

	return fields;
}

function keyOf(o: KubeObject): string {
	return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

const RESOURCES: Resource[] = ['namespaces', 'nodes', 'pods', 'services', 'endpointslices', 'networkpolicies', 'daemonsets'];

const perResource = <T>(make: () => T) => Object.fromEntries(RESOURCES.map(r => [r, make()])) as Record<Resource, T>;

const byListOrder = (a: Entry, b: Entry) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class ObjectStore {
	/** The newest resourceVersion handed out. */
	rv = 0;
	/** Watches must start at or after this; older resourceVersions get 410 Gone. */
	floorRV = 0;
	readonly history: StoreEvent[] = [];
	private readonly byUid = perResource(() => new Map<string, Entry>());
	private readonly byKey = perResource(() => new Map<string, Entry>());
	private readonly sortedCache: Partial<Record<Resource, Entry[]>> = {};
	private readonly listeners = new Set<(e: StoreEvent) => void>();
	private loaded = false;

	constructor(private readonly historyLimit = 1000) {}

	/**
	 * Makes the store hold exactly `desired`, diffed by uid. Returns the events, already recorded
	 * and sent to the listeners. The first call records no events: it is the initial state.
	 */
	apply(desired: DesiredObjects): StoreEvent[] {
		const initial = !this.loaded;
		this.loaded = true;
		const events: StoreEvent[] = [];
		for (const resource of RESOURCES) {
			const current = this.byUid[resource];
			const wanted = new Set((desired[resource] ?? []).map(o => o.metadata.uid));
			// Deletions first: a pod re-created under its name (new uid) must leave before it comes
			// back, or a client keyed by namespace/name would drop the new one.
			for (const [uid, old] of current) {
				if (wanted.has(uid)) continue;
				current.delete(uid);
				this.byKey[resource].delete(old.key);
				const rv = ++this.rv;
				const object = {...old.object, metadata: {...old.object.metadata, resourceVersion: String(rv)}};
				const entry: Entry = {...old, rv, object, json: JSON.stringify(object)};
				events.push({rv, resource, type: 'DELETED', entry, previous: old});
			}

			for (const source of desired[resource] ?? []) {
				const old = current.get(source.metadata.uid);
				if (old && old.source === source) continue;
				// Fake objects are built once and never change, so only the lab's few pods get here twice.
				let body: string | null = null;
				if (old) {
					body = JSON.stringify(source);
					old.body ??= JSON.stringify(old.source);
					if (old.body === body) {
						old.source = source;
						continue;
					}
				}

				const entry = this.entry(resource, source, body);
				current.set(entry.uid, entry);
				this.byKey[resource].set(entry.key, entry);
				if (!initial) events.push({rv: entry.rv, resource, type: old ? 'MODIFIED' : 'ADDED', entry, previous: old ?? null});
			}

			if (events.some(e => e.resource === resource) || initial) delete this.sortedCache[resource];
		}

		if (initial) this.floorRV = this.rv;
		for (const e of events) this.record(e);
		return events;
	}

	private entry(resource: Resource, source: KubeObject, body: string | null): Entry {
		const rv = ++this.rv;
		const object: KubeObject = {...source, metadata: {...source.metadata, resourceVersion: String(rv)}};
		return {
			resource,
			key: keyOf(source),
			uid: source.metadata.uid,
			rv,
			object,
			json: JSON.stringify(object),
			labels: source.metadata.labels ?? {},
			fields: fieldsOf(resource, source),
			source,
			body,
		};
	}

	private record(e: StoreEvent): void {
		this.history.push(e);
		while (this.history.length > this.historyLimit) {
			const dropped = this.history.shift()!;
			this.floorRV = dropped.rv;
		}

		for (const l of this.listeners) l(e);
	}

	/** Entries in list order (by namespace/name), cached until the resource changes. */
	list(resource: Resource): Entry[] {
		let sorted = this.sortedCache[resource];
		if (!sorted) {
			sorted = [...this.byUid[resource].values()].sort(byListOrder);
			this.sortedCache[resource] = sorted;
		}

		return sorted;
	}

	/**
	 * The resource's entries as they were at `rv`, in list order: today's, with the later events
	 * undone. Null when the history no longer reaches back that far, or `rv` was never handed out.
	 */
	listAt(resource: Resource, rv: number): Entry[] | null {
		if (rv < this.floorRV || rv > this.rv) return null;
		if (rv === this.rv) return this.list(resource);
		const later = this.history.filter(e => e.rv > rv && e.resource === resource);
		if (later.length === 0) return this.list(resource);
		const byKey = new Map(this.list(resource).map(e => [e.key, e]));
		for (const e of later.reverse()) {
			if (e.type === 'ADDED') byKey.delete(e.entry.key);
			else byKey.set(e.entry.key, e.previous!);
		}

		return [...byKey.values()].sort(byListOrder);
	}

	get(resource: Resource, key: string): Entry | undefined {
		return this.byKey[resource].get(key);
	}

	/** Events after `rv`, or null when the history no longer reaches back that far. */
	since(rv: number): StoreEvent[] | null {
		if (rv < this.floorRV) return null;
		const out: StoreEvent[] = [];
		for (const e of this.history) if (e.rv > rv) out.push(e);
		return out;
	}

	subscribe(listener: (e: StoreEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}
