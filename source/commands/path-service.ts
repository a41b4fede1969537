// `path FROM svc/NS/NAME[:PORT]` and `path FROM CLUSTERIP:PORT`: the Service and its
// EndpointSlices from the API (listed only for these), FROM and the endpoint pods joined on their
// nodes, the probe when asked (its conntrack entry names the endpoint to follow), then one facts
// round trip per node and the walk through the Service hop.
import type {TargetOptions} from '../app/options.js';
import {isDnsLabel} from '../core/k8s-names.js';
import type {PathDocument, PathFlow, PathProbe} from '../core/path/types.js';
import {canonicalIp} from '../core/pod-ip.js';
import type {PodInfo, Result} from '../core/types.js';
import type {KubeTarget} from '../cluster/kube-target.js';
import type {ServiceLookup, ServiceRef} from '../app/service-lookup.js';
import type {NodeInfo} from '../cluster/nodes.js';


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

export interface ServicePathOptions {
	probe: boolean;
	allEndpoints: boolean;
	flow: PathFlow | null;
}

/** The document for FROM → the Service, with the probe's answer when asked. */
export async function servicePath(kube: KubeTarget, o: TargetOptions, nodes: NodeInfo[], pods: PodInfo[], from: PodInfo, found: ServiceLookup, options: ServicePathOptions): Promise<Result<PathDocument>> {
	const [{createClusterRegistry}, {firstReadyEndpoint, joinServiceTraceTo, readServiceTrace, serviceEndpointPods}, {probeService}] = await Promise.all([
		import('../app/target.js'),
		import('../app/path-service-trace.js'),
		import('../app/path-probe.js'),
	]);
	const endpointPods = serviceEndpointPods(found, pods);
	// One endpoint is walked unless all are asked for: the first ready one, or the one the probe's conntrack entry names.
	const firstReady = firstReadyEndpoint(found);
	const registry = createClusterRegistry(kube, () => nodes, o);
	try {
		const flow: PathFlow = options.flow ?? {proto: found.port.protocol === 'UDP' ? 'udp' : 'tcp', port: found.port.port};
		const facts = flow.proto === 'sctp' ? null : flow;
		const first = options.allEndpoints ? null : firstReady;
		let joined = await joinServiceTraceTo(registry, nodes, from, found, endpointPods, facts, first);
		if (!joined.ok) return joined;
		let probe: PathProbe | undefined;
		if (options.probe) probe = await probeService(joined.value, found);
		const chosen = probe?.endpoint ? `${probe.endpoint.ip}:${probe.endpoint.port}` : null;
		if (probe?.endpoint && first !== null && probe.endpoint.ip !== first) {
			joined = await joinServiceTraceTo(registry, nodes, from, found, endpointPods, facts, probe.endpoint.ip);
			if (!joined.ok) return joined;
		}

		const document = await readServiceTrace(joined.value, chosen, options.allEndpoints);
		if (probe) document.probe = probe;
		return {ok: true, value: document};
	} finally {
		await registry.close();
	}
}
