// kubectl's columns for Services and EndpointSlices (the apiserver's printers in
// pkg/printers/internalversion), for the Table that `kubectl get svc,endpointslices` asks for.
import type {KubeObject} from './kube-objects.js';

type Any = Record<string, any>;

export const SERVICE_COLUMNS = {shown: ['Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'], wide: ['Selector']};
export const ENDPOINTSLICE_COLUMNS = {shown: ['AddressType', 'Ports', 'Endpoints', 'Age'], wide: []};

export function serviceCells(o: KubeObject, age: string): unknown[] {
	const spec = (o['spec'] ?? {}) as Any;
	const ports = ((spec['ports'] ?? []) as Any[]).map((p) => `${p['port']}${p['nodePort'] ? `:${p['nodePort']}` : ''}/${p['protocol'] ?? 'TCP'}`);
	const selector = Object.entries((spec['selector'] ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
	return [o.metadata.name, spec['type'] ?? 'ClusterIP', spec['clusterIP'] ?? '<none>', '<none>', ports.join(',') || '<none>', age, selector.join(',') || '<none>'];
}

/** kubectl shows at most three addresses, then "+ N more...". */
export function endpointSliceCells(o: KubeObject, age: string): unknown[] {
	const ports = ((o['ports'] ?? []) as Any[]).map((p) => String(p['port'] ?? '<unset>'));
	const addresses = ((o['endpoints'] ?? []) as Any[]).flatMap((e) => (e['addresses'] ?? []) as string[]);
	const shown = addresses.slice(0, 3).join(',') + (addresses.length > 3 ? ` + ${addresses.length - 3} more...` : '');
	return [o.metadata.name, o['addressType'] ?? '', ports.join(',') || '<unset>', shown || '<unset>', age];
}
