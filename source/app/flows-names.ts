// Who holds each address a flow shows, from what the API says: pods by their IPs (the session's
// pods, the picker's list of every node's when it was loaded), endpoint addresses by the pod their
// EndpointSlice names (an endpoint on another node), Services by ClusterIP:port/protocol. Only
// addresses that parse are keys, in canonical form, as the conntrack read gives them.
import type {FlowNames} from '../core/flows.js';
import {canonicalIp} from '../core/pod-ip.js';
import type {EndpointSlice, Service} from '../core/service-rules/types.js';
import type {PodRef} from '../core/types.js';

export function flowNames(pods: Iterable<PodRef>, services: readonly Service[], slices: readonly EndpointSlice[]): FlowNames {
	const byIp = new Map<string, string>();
	for (const slice of slices) {
		for (const endpoint of slice.endpoints) {
			const ref = endpoint.targetRef;
			if (ref?.kind !== 'Pod') continue;
			for (const raw of endpoint.addresses) {
				const ip = canonicalIp(raw);
				if (ip !== null) byIp.set(ip, `${ref.namespace || slice.namespace}/${ref.name}`);
			}
		}
	}

	// A running pod's own status outranks a slice that may lag behind it; a finished pod's IP may be
	// a live pod's now, and a hostNetwork pod's is the node's.
	for (const pod of pods) {
		if (pod.hostNetwork || pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
		for (const raw of pod.ips) {
			const ip = canonicalIp(raw);
			if (ip !== null) byIp.set(ip, `${pod.namespace}/${pod.name}`);
		}
	}

	const byPort = new Map<string, string>();
	for (const service of services) {
		for (const raw of service.clusterIPs) {
			const ip = canonicalIp(raw);
			if (ip === null) continue;
			for (const port of service.ports) byPort.set(`${ip}:${port.port}/${port.protocol.toLowerCase()}`, `${service.namespace}/${service.name}`);
		}
	}

	return {pods: byIp, services: byPort};
}
