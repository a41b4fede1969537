// `path FROM svc/NS/NAME[:PORT]` and `path FROM CLUSTERIP:PORT`: the Service and its
// EndpointSlices from the API (listed only for these), FROM and the endpoint pods joined on their
// nodes, the probe when asked (its conntrack entry names the endpoint to follow), then one facts
// round trip per node and the walk through the Service hop.
import type {TargetOptions} from '../app/options.js';
import {isDnsLabel} from '../core/k8s-names.js';
import type {PathDocument, PathFlow, PathProbe} from '../core/path/types.js';
import {canonicalIp} from '../core/pod-ip.js';
import type {EndpointSlice, Service, ServicePort} from '../core/service-rules/types.js';
import type {PodInfo, Result} from '../core/types.js';
import type {KubeTarget} from '../cluster/kube-target.js';
import type {NodeInfo} from '../cluster/nodes.js';

export type ServiceRef =
	| {kind: 'svc'; namespace: string; name: string; port: number | string | null}
	| {kind: 'ip'; ip: string; port: number | null};

const PORT_NAME = /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

function portOf(text: string | undefined): number | string | null | undefined {
	if (text === undefined) return null;
	if (/^\d+$/.test(text)) {
		const n = Number(text);
		return n >= 1 && n <= 65_535 ? n : undefined;
	}

	return PORT_NAME.test(text) && /[a-z]/.test(text) ? text : undefined;
}

/**
 * TO as a Service: svc/NS/NAME[:PORT], svc/NAME[:PORT] (-n's namespace), or IP:PORT ([V6]:PORT).
 * Null when TO is neither form (a pod or a bare IP); an error when it is one, badly written.
 */
export function parseServiceRef(text: string, namespace: string | undefined): Result<ServiceRef> | null {
	if (text.startsWith('svc/')) {
		const m = /^svc\/(?:([^/:]+)\/)?([^/:]+)(?::([^/:]+))?$/.exec(text);
		const port = portOf(m?.[3]);
		const ns = m?.[1] ?? namespace ?? 'default';
		if (m === null || !isDnsLabel(ns) || !isDnsLabel(m[2]!) || port === undefined) {
			return {ok: false, reason: `"${text}" is not svc/NAMESPACE/NAME[:PORT]`, hint: 'e.g. svc/default/web or svc/default/web:8080 (PORT: the Service port, a number or its name)'};
		}

		return {ok: true, value: {kind: 'svc', namespace: ns, name: m[2]!, port}};
	}

	const m = /^(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d+)$/.exec(text);
	if (m === null) return null;
	const ip = canonicalIp(m[1] ?? m[2]!);
	const port = Number(m[3]);
	if (ip === null || port < 1 || port > 65_535) return {ok: false, reason: `"${text}" is not IP:PORT`, hint: 'e.g. 10.96.0.10:8080'};
	return {ok: true, value: {kind: 'ip', ip, port}};
}

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

export interface ServicePathOptions {
	probe: boolean;
	allEndpoints: boolean;
	flow: PathFlow | null;
}

/** The document for FROM → the Service, with the probe's answer when asked. */
export async function servicePath(kube: KubeTarget, o: TargetOptions, nodes: NodeInfo[], pods: PodInfo[], from: PodInfo, found: ServiceLookup, options: ServicePathOptions): Promise<Result<PathDocument>> {
	const [{createClusterRegistry}, {joinServiceTrace, readServiceTrace}, {probeService}] = await Promise.all([
		import('../app/target.js'),
		import('../app/path-service-trace.js'),
		import('./path-probe.js'),
	]);
	const names = new Set(found.slices.flatMap(s => s.endpoints.flatMap(e => (e.targetRef?.kind === 'Pod' ? [`${e.targetRef.namespace}/${e.targetRef.name}`] : []))));
	const endpointPods = pods.filter(p => p.phase === 'Running' && p.nodeName !== null && names.has(`${p.namespace}/${p.name}`));
	// One endpoint is walked unless all are asked for: the first ready one, or the one the probe's conntrack entry names.
	const firstReady = found.slices.flatMap(s => s.endpoints).find(e => e.ready && e.addresses[0] !== undefined);
	const podOf = (ip: string) => found.slices.flatMap(s => s.endpoints).find(e => e.addresses.includes(ip))?.targetRef;
	const only = (ip: string | null) => (ip === null ? endpointPods : endpointPods.filter(p => {
		const ref = podOf(ip);
		return ref?.kind === 'Pod' && ref.namespace === p.namespace && ref.name === p.name;
	}));
	const registry = createClusterRegistry(kube, () => nodes, o);
	try {
		const flow: PathFlow = options.flow ?? {proto: found.port.protocol === 'UDP' ? 'udp' : 'tcp', port: found.port.port};
		const facts = flow.proto === 'sctp' ? null : flow;
		const first = options.allEndpoints ? null : firstReady?.addresses[0] ?? null;
		let joined = await joinServiceTrace(registry, nodes, from, {...found, endpointPods: only(first)}, facts, first);
		if (!joined.ok) return joined;
		let probe: PathProbe | undefined;
		if (options.probe) probe = await probeService(joined.value, found);
		const chosen = probe?.endpoint ? `${probe.endpoint.ip}:${probe.endpoint.port}` : null;
		if (probe?.endpoint && first !== null && probe.endpoint.ip !== first) {
			joined = await joinServiceTrace(registry, nodes, from, {...found, endpointPods: only(probe.endpoint.ip)}, facts, probe.endpoint.ip);
			if (!joined.ok) return joined;
		}

		const document = await readServiceTrace(joined.value, chosen, options.allEndpoints);
		if (probe) document.probe = probe;
		return {ok: true, value: document};
	} finally {
		await registry.close();
	}
}
