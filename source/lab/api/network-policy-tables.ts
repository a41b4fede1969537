// Server-side Table columns for networkpolicies and daemonsets, as the apiserver prints them
// (`kubectl get netpol`: NAME POD-SELECTOR AGE; `get ds`: DESIRED … NODE SELECTOR AGE).
import type {KubeObject} from './kube-objects.js';

type Any = Record<string, any>;

/** metav1.FormatLabelSelector, for the matchLabels/matchExpressions a policy's podSelector has. */
export function formatSelector(s: Any | undefined): string {
	const parts: string[] = [];
	for (const [k, v] of Object.entries((s?.['matchLabels'] ?? {}) as Record<string, string>)) parts.push(`${k}=${v}`);
	for (const e of (s?.['matchExpressions'] ?? []) as Any[]) {
		const values = ((e['values'] ?? []) as string[]).join(',');
		if (e['operator'] === 'In') parts.push(`${e['key']} in (${values})`);
		else if (e['operator'] === 'NotIn') parts.push(`${e['key']} notin (${values})`);
		else if (e['operator'] === 'Exists') parts.push(String(e['key']));
		else parts.push(`!${e['key']}`);
	}

	return parts.length === 0 ? '<none>' : parts.join(',');
}

export function networkPolicyCells(o: KubeObject, age: string): unknown[] {
	return [o.metadata.name, formatSelector((o['spec'] as Any | undefined)?.['podSelector']), age];
}

export function daemonSetCells(o: KubeObject, age: string): unknown[] {
	const status = (o['status'] ?? {}) as Any;
	const spec = (o['spec'] ?? {}) as Any;
	const podSpec = (spec['template']?.['spec'] ?? {}) as Any;
	const nodeSelector = Object.entries((podSpec['nodeSelector'] ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
	const containers = (podSpec['containers'] ?? []) as Any[];
	return [
		o.metadata.name,
		status['desiredNumberScheduled'] ?? 0,
		status['currentNumberScheduled'] ?? 0,
		status['numberReady'] ?? 0,
		status['updatedNumberScheduled'] ?? 0,
		status['numberAvailable'] ?? 0,
		nodeSelector || '<none>',
		age,
		containers.map(c => c['name']).join(','),
		containers.map(c => c['image']).join(','),
		formatSelector(spec['selector']),
	];
}
