// What kube-proxy would program for the lab's Services: one record per Service port with the
// endpoints it sends traffic to (the ready ones, as CategorizeEndpoints picks with Cluster policy),
// or the ones a `stale-rules` fault froze. Pure: the iptables and nftables renderers share it.
import type {LabService, LabState} from '../lab-state.js';
import {serviceEndpoints, serviceRef} from '../services/service-endpoints.js';

/** kube-proxy's --cluster-cidr in the lab: every node's podCIDR lies in it. */
export const LAB_CLUSTER_CIDR = '10.244.0.0/16';
/** kube-apiserver's default --service-cluster-ip-range. */
export const LAB_SERVICE_CIDR = '10.96.0.0/12';
/** kube-proxy's default --iptables-masquerade-bit 14. */
export const MASQUERADE_MARK = '0x4000';

export interface ProxyPort {
	namespace: string;
	name: string;
	/** The Service port's name (ServicePortName.Port). */
	portName: string;
	protocol: 'TCP' | 'UDP';
	clusterIP: string;
	port: number;
	nodePort: number | null;
	/** "ip:port" endpoints, in kube-proxy's order. */
	endpoints: Array<{ip: string; port: number}>;
}

function frozen(state: LabState, svc: LabService): string[] | null {
	const fault = (state.faults ?? []).find((f) => f.kind === 'stale-rules' && f.args[0] === serviceRef(svc));
	return fault?.staleEndpoints ?? null;
}

export function proxyPorts(state: LabState): ProxyPort[] {
	const out: ProxyPort[] = [];
	for (const svc of state.services ?? []) {
		const ips = frozen(state, svc) ?? serviceEndpoints(state, svc).filter((e) => e.ready).map((e) => e.ip);
		for (const p of svc.ports) {
			out.push({
				namespace: svc.namespace,
				name: svc.name,
				portName: p.name,
				protocol: p.protocol,
				clusterIP: svc.clusterIP,
				port: p.port,
				nodePort: p.nodePort ?? null,
				endpoints: ips.map((ip) => ({ip, port: p.targetPort})),
			});
		}
	}

	return out;
}
