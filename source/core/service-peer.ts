// A Service port as a path peer: the picker lists it beside the pods under a uid of its own, and the
// session reads the Service back from that uid. Pure; the format is ours alone ("svc:NS/NAME:PORT/PROTO"),
// never shown: rows show svc/NS/NAME:PORT.
import type {Protocol, Service, ServicePort} from './service-rules/types.js';

export interface ServicePeer {
	namespace: string;
	name: string;
	port: number;
	protocol: Protocol;
}

export function servicePeerUid(service: Pick<Service, 'namespace' | 'name'>, port: Pick<ServicePort, 'port' | 'protocol'>): string {
	return `svc:${service.namespace}/${service.name}:${port.port}/${port.protocol}`;
}

export function parseServicePeer(uid: string): ServicePeer | null {
	const m = /^svc:([^/]+)\/([^:]+):(\d+)\/(TCP|UDP|SCTP)$/.exec(uid);
	return m ? {namespace: m[1]!, name: m[2]!, port: Number(m[3]), protocol: m[4] as Protocol} : null;
}
