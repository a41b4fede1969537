// DaemonSets (apps/v1), only as far as telling which network policy engine a cluster runs: their
// names, namespaces, and each container's image and args.
import type {Result} from '../core/types.js';
import type {DaemonSetFacts} from '../core/policy-enforcement.js';
import type {KubeTarget} from './kube-target.js';
import {arr, obj} from './json-fields.js';
import {listAll} from './list-watch.js';

function strings(v: unknown): string[] {
	return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

export function toDaemonSetFacts(raw: unknown): DaemonSetFacts | null {
	const meta = obj(obj(raw)?.['metadata']);
	const name = meta?.['name'];
	const namespace = meta?.['namespace'];
	if (typeof name !== 'string' || typeof namespace !== 'string') return null;
	const podSpec = obj(obj(obj(obj(raw)?.['spec'])?.['template'])?.['spec']);
	const containers = [...arr(podSpec?.['initContainers']), ...arr(podSpec?.['containers'])].map(c => ({
		name: typeof c['name'] === 'string' ? c['name'] : '',
		image: typeof c['image'] === 'string' ? c['image'] : '',
		args: [...strings(c['command']), ...strings(c['args'])],
	}));
	return {namespace, name, containers};
}

export async function listDaemonSets(t: KubeTarget): Promise<Result<DaemonSetFacts[]>> {
	const listed = await listAll(t, {
		path: '/apis/apps/v1/daemonsets',
		params: {},
		what: {verb: 'list', resource: 'daemonsets'},
		map: toDaemonSetFacts,
		key: d => `${d.namespace}/${d.name}`,
	});
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items};
}
