// Every namespace's Services and EndpointSlices, kept current (list once, then watch: list-watch.ts),
// for naming flows: a ClusterIP:port is a Service, an endpoint address is the pod its slice names,
// whichever node that pod runs on. onChange hands over both whole sets after every change.
import type {EndpointSlice, Service} from '../core/service-rules/types.js';
import type {KubeTarget} from './kube-target.js';
import {reflect, type WatchHandlers, type WatchStatus} from './list-watch.js';
import {endpointSliceListSpec, serviceListSpec} from './services.js';

export interface ServiceSets {
	services: readonly Service[];
	slices: readonly EndpointSlice[];
	/** Why a watch is down now (its last known sets stay), or null. */
	problem: {reason: string; hint: string} | null;
}

function keeper<T>(items: Map<string, T>, key: (item: T) => string, changed: () => void, status: (s: WatchStatus) => void): WatchHandlers<T> {
	return {
		onReplace(list) {
			items.clear();
			for (const item of list) items.set(key(item), item);
			changed();
		},
		onUpsert(item) {
			items.set(key(item), item);
			changed();
		},
		onDelete(k) {
			items.delete(k);
			changed();
		},
		onStatus: status,
	};
}

export function watchServiceSets(t: KubeTarget, onChange: (sets: ServiceSets) => void): {stop(): void} {
	const services = new Map<string, Service>();
	const slices = new Map<string, EndpointSlice>();
	const down = new Map<string, {reason: string; hint: string}>();
	const changed = () => onChange({services: [...services.values()], slices: [...slices.values()], problem: down.values().next().value ?? null});
	const status = (what: string) => (s: WatchStatus) => {
		const was = down.has(what);
		if (s.connected) down.delete(what);
		else down.set(what, {reason: `${what} watch: ${s.reason ?? 'disconnected'}`, hint: s.hint ?? 'it is retried; names may be stale'});
		if (was !== down.has(what)) changed();
	};

	const key = (o: {namespace: string; name: string}) => `${o.namespace}/${o.name}`;
	const watches = [
		reflect(t, serviceListSpec(), keeper(services, key, changed, status('services'))),
		reflect(t, endpointSliceListSpec(), keeper(slices, key, changed, status('endpointslices'))),
	];
	return {
		stop() {
			for (const w of watches) w.stop();
		},
	};
}
