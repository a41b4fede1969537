// Server-side printing (meta.k8s.io/v1 Table), which kubectl asks for on `get`: without it kubectl
// shows only NAME and AGE. Columns copy the apiserver's for pods, nodes and namespaces.
import type {KubeObject, Resource} from './kube-objects.js';
import type {Entry} from './object-store.js';
import {ENDPOINTSLICE_COLUMNS, SERVICE_COLUMNS, endpointSliceCells, serviceCells} from './services-tables.js';
import {daemonSetCells, networkPolicyCells} from './network-policy-tables.js';

interface Column {
	name: string;
	type: string;
	format: string;
	description: string;
	priority: number;
}

const col = (name: string, priority: number, format = ''): Column => ({name, type: 'string', format, description: name, priority});

/** Name first, then the columns kubectl always shows, then those only `-o wide` shows (priority 1). */
const columns = (shown: string[], wide: string[] = []): Column[] => [
	col('Name', 0, 'name'),
	...shown.map(name => col(name, 0)),
	...wide.map(name => col(name, 1)),
];

const COLUMNS: Record<Resource, Column[]> = {
	pods: columns(['Ready', 'Status', 'Restarts', 'Age'], ['IP', 'Node', 'Nominated Node', 'Readiness Gates']),
	nodes: columns(['Status', 'Roles', 'Age', 'Version'], ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']),
	namespaces: columns(['Status', 'Age']),
	services: columns(SERVICE_COLUMNS.shown, SERVICE_COLUMNS.wide),
	endpointslices: columns(ENDPOINTSLICE_COLUMNS.shown, ENDPOINTSLICE_COLUMNS.wide),
	networkpolicies: columns(['Pod-Selector', 'Age']),
	daemonsets: columns(['Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age'], ['Containers', 'Images', 'Selector']),
};

/** kubectl's HumanDuration, close enough: 45s, 5m12s, 3h, 2d4h, 12d. */
export function humanAge(createdAt: string, now: number): string {
	const s = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 1000));
	if (Number.isNaN(s)) return '<unknown>';
	if (s < 120) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
	if (m < 180) return `${m}m`;
	const h = Math.floor(m / 60);
	if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
	if (h < 48) return `${h}h`;
	const d = Math.floor(h / 24);
	if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
	return `${d}d`;
}

type Any = Record<string, any>;

function podCells(o: KubeObject, now: number): unknown[] {
	const status = (o['status'] ?? {}) as Any;
	const spec = (o['spec'] ?? {}) as Any;
	const cs: Any[] = status['containerStatuses'] ?? [];
	const ready = cs.filter(c => c['ready']).length;
	const total = (spec['containers'] ?? []).length as number;
	const waiting = cs.find(c => c['state']?.['waiting']?.['reason'])?.['state']['waiting']['reason'] as string | undefined;
	const restarts = cs.reduce((n, c) => n + (c['restartCount'] ?? 0), 0) as number;
	return [
		o.metadata.name,
		`${ready}/${total}`,
		waiting ?? status['phase'] ?? 'Unknown',
		String(restarts),
		humanAge(o.metadata.creationTimestamp, now),
		status['podIP'] ?? '<none>',
		spec['nodeName'] ?? '<none>',
		'<none>',
		'<none>',
	];
}

function nodeCells(o: KubeObject, now: number): unknown[] {
	const status = (o['status'] ?? {}) as Any;
	const ready = ((status['conditions'] ?? []) as Any[]).find(c => c['type'] === 'Ready')?.['status'] === 'True';
	const roles = Object.keys(o.metadata.labels ?? {})
		.filter(l => l.startsWith('node-role.kubernetes.io/'))
		.map(l => l.slice('node-role.kubernetes.io/'.length));
	const address = (type: string) => ((status['addresses'] ?? []) as Any[]).find(a => a['type'] === type)?.['address'] ?? '<none>';
	const info = (status['nodeInfo'] ?? {}) as Any;
	return [
		o.metadata.name,
		ready ? 'Ready' : 'NotReady',
		roles.length > 0 ? roles.join(',') : '<none>',
		humanAge(o.metadata.creationTimestamp, now),
		info['kubeletVersion'] ?? '',
		address('InternalIP'),
		address('ExternalIP'),
		info['osImage'] ?? '',
		info['kernelVersion'] ?? '',
		info['containerRuntimeVersion'] ?? '',
	];
}

function namespaceCells(o: KubeObject, now: number): unknown[] {
	const status = (o['status'] ?? {}) as Any;
	return [o.metadata.name, status['phase'] ?? '', humanAge(o.metadata.creationTimestamp, now)];
}

const CELLS: Record<Resource, (o: KubeObject, now: number) => unknown[]> = {
	pods: podCells,
	nodes: nodeCells,
	namespaces: namespaceCells,
	services: (o, now) => serviceCells(o, humanAge(o.metadata.creationTimestamp, now)),
	endpointslices: (o, now) => endpointSliceCells(o, humanAge(o.metadata.creationTimestamp, now)),
	networkpolicies: (o, now) => networkPolicyCells(o, humanAge(o.metadata.creationTimestamp, now)),
	daemonsets: (o, now) => daemonSetCells(o, humanAge(o.metadata.creationTimestamp, now)),
};

/** includeObject: the apiserver's query parameter (None | Metadata | Object; default Metadata). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(e: Entry, include: IncludeObject): string {
	if (include === 'Object') return `,"object":${e.json}`;
	if (include === 'None') return '';
	const metadata = JSON.stringify(e.object.metadata);
	return `,"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${metadata}}`;
}

/** The Table as a JSON string: rows are joined as text, like the plain list. */
export function tableJson(resource: Resource, entries: Entry[], rv: string, include: IncludeObject, extraMeta = ''): string {
	const now = Date.now();
	const rows = entries.map(e => `{"cells":${JSON.stringify(CELLS[resource](e.object, now))}${rowObject(e, include)}}`);
	return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":${JSON.stringify(rv)}${extraMeta}},"columnDefinitions":${JSON.stringify(COLUMNS[resource])},"rows":[${rows.join(',')}]}`;
}
