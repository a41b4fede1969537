// Services (v1) and EndpointSlices (discovery.k8s.io/v1) → core's plain types, for the join
// with the node's rules. The mapping applies the API's documented defaults once, here, the way
// kube-proxy reads them (pkg/proxy/endpointslicecache.go): a nil ready or serving condition is
// true, a nil terminating is false; an absent port name is "", an absent protocol TCP.
import type {Result} from '../core/types.js';
import type {EndpointPort, EndpointSlice, Protocol, Service, ServicePort, SliceEndpoint} from '../core/service-rules/types.js';
import type {KubeTarget} from './kube-target.js';
import {arr, obj, type Json} from './json-fields.js';
import {listAll, type ListSpec} from './list-watch.js';

function strings(v: unknown): string[] {
	return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

function protocol(v: unknown): Protocol | null {
	if (v === undefined || v === null) return 'TCP';
	return v === 'TCP' || v === 'UDP' || v === 'SCTP' ? v : null;
}

function named(raw: unknown): {namespace: string; name: string; meta: Json; o: Json} | null {
	const o = obj(raw);
	const meta = obj(o?.['metadata']);
	const name = str(meta?.['name']);
	const namespace = str(meta?.['namespace']);
	return o === null || meta === null || name === null || namespace === null ? null : {namespace, name, meta, o};
}

function servicePort(raw: Json): ServicePort | null {
	const port = int(raw['port']);
	const p = protocol(raw['protocol']);
	if (port === null || p === null) return null;
	const target = raw['targetPort'];
	return {
		name: str(raw['name']) ?? '',
		protocol: p,
		port,
		targetPort: typeof target === 'number' || (typeof target === 'string' && target !== '') ? target : null,
		nodePort: int(raw['nodePort']),
	};
}

/** Null for anything that is not a named Service (a watch ERROR, a Status). */
export function toService(raw: unknown): Service | null {
	const n = named(raw);
	if (n === null) return null;
	const spec = obj(n.o['spec']) ?? {};
	const status = obj(n.o['status']) ?? {};
	// clusterIPs came in 1.20 and, when set, starts with clusterIP; older servers have only clusterIP.
	const clusterIPs = strings(spec['clusterIPs']);
	const single = str(spec['clusterIP']);
	return {
		namespace: n.namespace,
		name: n.name,
		type: str(spec['type']) ?? 'ClusterIP',
		clusterIPs: clusterIPs.length > 0 ? clusterIPs : single === null ? [] : [single],
		ports: arr(spec['ports']).map(servicePort).filter((p): p is ServicePort => p !== null),
		externalIPs: strings(spec['externalIPs']),
		loadBalancerIPs: arr(obj(status['loadBalancer'])?.['ingress']).map(i => str(i['ip'])).filter((ip): ip is string => ip !== null),
		internalTrafficPolicy: spec['internalTrafficPolicy'] === 'Local' ? 'Local' : 'Cluster',
		externalTrafficPolicy: spec['externalTrafficPolicy'] === 'Local' ? 'Local' : 'Cluster',
	};
}

function endpointPort(raw: Json): EndpointPort | null {
	const p = protocol(raw['protocol']);
	return p === null ? null : {name: str(raw['name']) ?? '', port: int(raw['port']), protocol: p};
}

function sliceEndpoint(raw: Json): SliceEndpoint {
	const c = obj(raw['conditions']) ?? {};
	const ref = obj(raw['targetRef']);
	const kind = str(ref?.['kind']);
	const refName = str(ref?.['name']);
	return {
		addresses: strings(raw['addresses']),
		ready: c['ready'] !== false,
		serving: c['serving'] !== false,
		terminating: c['terminating'] === true,
		nodeName: str(raw['nodeName']),
		targetRef: ref === null || kind === null || refName === null ? null : {kind, namespace: str(ref['namespace']) ?? '', name: refName},
	};
}

export function toEndpointSlice(raw: unknown): EndpointSlice | null {
	const n = named(raw);
	if (n === null) return null;
	return {
		namespace: n.namespace,
		name: n.name,
		serviceName: str(obj(n.meta['labels'])?.['kubernetes.io/service-name']),
		addressType: str(n.o['addressType']) ?? 'IPv4',
		ports: arr(n.o['ports']).map(endpointPort).filter((p): p is EndpointPort => p !== null),
		endpoints: arr(n.o['endpoints']).map(sliceEndpoint),
	};
}

function spec<T extends {namespace: string; name: string}>(group: string, resource: string, namespace: string | undefined, map: (raw: unknown) => T | null): ListSpec<T> {
	const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
	return {path: `${group}${ns}/${resource}`, params: {}, what: {verb: 'list', resource, namespace}, map, key: o => `${o.namespace}/${o.name}`};
}

async function list<T extends {namespace: string; name: string}>(t: KubeTarget, s: ListSpec<T>): Promise<Result<T[]>> {
	const listed = await listAll(t, s);
	if (!listed.ok) return {ok: false, reason: listed.reason, hint: listed.hint};
	return {ok: true, value: listed.value.items};
}

/** What lists (and watches) Services; the EndpointSlices' below. */
export const serviceListSpec = (namespace?: string) => spec('/api/v1', 'services', namespace, toService);
export const endpointSliceListSpec = (namespace?: string) => spec('/apis/discovery.k8s.io/v1', 'endpointslices', namespace, toEndpointSlice);

/** Every namespace's Services, or one namespace's. */
export function listServices(t: KubeTarget, namespace?: string): Promise<Result<Service[]>> {
	return list(t, serviceListSpec(namespace));
}

/** Every namespace's EndpointSlices, or one namespace's. */
export function listEndpointSlices(t: KubeTarget, namespace?: string): Promise<Result<EndpointSlice[]>> {
	return list(t, endpointSliceListSpec(namespace));
}
