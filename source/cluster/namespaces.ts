// Namespace names, for the namespace filter.
import type {Result} from '../core/types.js';
import type {KubeTarget} from './kube-target.js';
import {listAll, reflect, type ListSpec, type ReflectorOptions, type WatchHandlers} from './list-watch.js';

function nameOf(raw: unknown): string | null {
	const name = (raw as {metadata?: {name?: unknown}} | null)?.metadata?.name;
	return typeof name === 'string' && name !== '' ? name : null;
}

const namespaceListSpec: ListSpec<string> = {
	path: '/api/v1/namespaces',
	params: {},
	what: {verb: 'list', resource: 'namespaces'},
	map: nameOf,
	key: n => n,
};

export async function listNamespaces(t: KubeTarget): Promise<Result<string[]>> {
	const listed = await listAll(t, namespaceListSpec);
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items.sort()};
}

/** Namespace names kept current (an item is its own key). */
export function watchNamespaces(t: KubeTarget, h: WatchHandlers<string>, o?: ReflectorOptions): {stop(): void} {
	return reflect(t, namespaceListSpec, h, o);
}
