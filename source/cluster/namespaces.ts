// Namespaces: their names for the namespace filter, and their labels for NetworkPolicy
// namespaceSelectors.
import type {Result} from '../core/types.js';
import type {PolicyNamespace} from '../core/policy/types.js';
import type {KubeTarget} from './kube-target.js';
import {listAll, reflect, type ListSpec, type ReflectorOptions, type WatchHandlers} from './list-watch.js';

function metadataOf(raw: unknown): {name?: unknown; labels?: unknown} {
	const m = (raw as {metadata?: unknown} | null)?.metadata;
	return typeof m === 'object' && m !== null ? (m as {name?: unknown; labels?: unknown}) : {};
}

function nameOf(raw: unknown): string | null {
	const name = metadataOf(raw).name;
	return typeof name === 'string' && name !== '' ? name : null;
}

/** The labels exactly as the API has them (kubernetes.io/metadata.name comes from the apiserver). */
function toPolicyNamespace(raw: unknown): PolicyNamespace | null {
	const name = nameOf(raw);
	if (name === null) return null;
	const labels: Record<string, string> = {};
	const given = metadataOf(raw).labels;
	if (typeof given === 'object' && given !== null) for (const [k, v] of Object.entries(given)) if (typeof v === 'string') labels[k] = v;
	return {name, labels};
}

const path = '/api/v1/namespaces';
const what = {verb: 'list', resource: 'namespaces'};

const namespaceListSpec: ListSpec<string> = {path, params: {}, what, map: nameOf, key: n => n};

const namespaceLabelsListSpec: ListSpec<PolicyNamespace> = {path, params: {}, what, map: toPolicyNamespace, key: n => n.name};

export async function listNamespaces(t: KubeTarget): Promise<Result<string[]>> {
	const listed = await listAll(t, namespaceListSpec);
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items.sort()};
}

/** Every namespace with its labels, sorted by name. */
export async function listNamespaceLabels(t: KubeTarget): Promise<Result<PolicyNamespace[]>> {
	const listed = await listAll(t, namespaceLabelsListSpec);
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))};
}

/** Namespace names kept current (an item is its own key). */
export function watchNamespaces(t: KubeTarget, h: WatchHandlers<string>, o?: ReflectorOptions): {stop(): void} {
	return reflect(t, namespaceListSpec, h, o);
}

/** Namespaces with their labels kept current, for namespaceSelectors (the lab's policy agent). */
export function watchNamespaceLabels(t: KubeTarget, h: WatchHandlers<PolicyNamespace>, o?: ReflectorOptions): {stop(): void} {
	return reflect(t, namespaceLabelsListSpec, h, o);
}
