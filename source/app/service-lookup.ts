// A Service as `path` and the TUI's path picker name it: its port picked by number, name or
// protocol, its EndpointSlices, from the API. ExternalName and headless Services are refused: no
// ClusterIP is programmed for them.
import {canonicalIp} from '../core/pod-ip.js';
import type {EndpointSlice, Service, ServicePort} from '../core/service-rules/types.js';
import type {Result} from '../core/types.js';
import type {KubeTarget} from '../cluster/kube-target.js';

export type ServiceRef =
	| {kind: 'svc'; namespace: string; name: string; port: number | string | null}
	| {kind: 'ip'; ip: string; port: number | null};

/** The Service port asked for: by number or name, the one of --proto, or the only one there is. */
export function pickPort(service: Service, wanted: number | string | null, proto: string | undefined): Result<ServicePort> {
	const protocol = proto?.toUpperCase();
	const all = service.ports.filter(p => protocol === undefined || p.protocol === protocol);
	const list = service.ports.map(p => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`).join(', ') || 'none';
	const matching = wanted === null ? all : all.filter(p => (typeof wanted === 'number' ? p.port === wanted : p.name === wanted));
	const who = `svc/${service.namespace}/${service.name}`;
	if (matching.length === 1) return {ok: true, value: matching[0]!};
	const asked = [wanted, protocol].filter(x => x != null).join('/');
	if (matching.length === 0) return {ok: false, reason: `${who} has no port ${asked} (its ports: ${list})`, hint: `e.g. ${who}:${service.ports[0]?.port ?? 80}`};
	return {ok: false, reason: `${who} has several ports (${list})`, hint: `name one: ${who}:${matching[0]!.port}${matching.some(p => p.port === matching[0]!.port && p !== matching[0]) ? ' --proto tcp' : ''}`};
}

export interface ServiceLookup {
	service: Service;
	port: ServicePort;
	slices: EndpointSlice[];
}

/** The Service (and its slices) TO names; for IP:PORT the one whose ClusterIP that is, or null. */
export async function lookupService(kube: KubeTarget, ref: ServiceRef, proto: string | undefined): Promise<Result<ServiceLookup | null>> {
	const {listEndpointSlices, listServices} = await import('../cluster/services.js');
	const services = await listServices(kube, ref.kind === 'svc' ? ref.namespace : undefined);
	if (!services.ok) return services;
	const service = ref.kind === 'svc'
		? services.value.find(s => s.name === ref.name)
		: services.value.find(s => s.clusterIPs.some(ip => canonicalIp(ip) === ref.ip));
	if (service === undefined) {
		if (ref.kind === 'ip') return {ok: true, value: null};
		return {ok: false, reason: `service ${ref.namespace}/${ref.name} not found`, hint: `list them with kubectl get svc -n ${ref.namespace}`};
	}

	if (service.type === 'ExternalName' || service.clusterIPs.length === 0 || service.clusterIPs.includes('None')) {
		return {ok: false, reason: `svc/${service.namespace}/${service.name} is ${service.type === 'ExternalName' ? 'an ExternalName Service' : 'headless'}: kube-proxy programs no ClusterIP for it`, hint: 'path to one of its pods instead (kubectl get endpointslices shows them)'};
	}

	const port = pickPort(service, ref.port, proto);
	if (!port.ok) return port;
	const slices = await listEndpointSlices(kube, service.namespace);
	if (!slices.ok) return slices;
	return {ok: true, value: {service, port: port.value, slices: slices.value.filter(s => s.serviceName === service.name)}};
}

