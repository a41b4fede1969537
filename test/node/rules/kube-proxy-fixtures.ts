// The recorded kube-proxy outputs (test/fixtures/kube-proxy, see SOURCES.md) and the API objects
// kube-proxy's TestOverallIPTablesRules / TestOverallNFTablesRules made them from.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {EndpointSlice, Service, SliceEndpoint} from '../../../source/core/service-rules/types.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'kube-proxy');

export function fixture(name: string): string {
	return readFileSync(join(dir, name), 'utf8');
}

/** nat then filter, as `iptables-save` prints both tables. */
export function labIptablesSave(): string {
	return fixture('lab-overall.iptables-save.nat.txt') + fixture('lab-overall.iptables-save.filter.txt');
}

function service(n: number, more: Partial<Service> = {}, nodePort: number | null = null): Service {
	return {
		namespace: `ns${n}`, name: `svc${n}`, type: 'ClusterIP', clusterIPs: [`172.30.0.${40 + n}`],
		ports: [{name: 'p80', protocol: 'TCP', port: 80, targetPort: null, nodePort}],
		externalIPs: [], loadBalancerIPs: [], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster', ...more,
	};
}

export function endpoint(address: string, more: Partial<SliceEndpoint> = {}): SliceEndpoint {
	return {addresses: [address], ready: true, serving: true, terminating: false, nodeName: null, targetRef: null, ...more};
}

export function slice(n: number, endpoints: SliceEndpoint[]): EndpointSlice {
	return {namespace: `ns${n}`, name: `svc${n}-1`, serviceName: `svc${n}`, addressType: 'IPv4', ports: [{name: 'p80', port: 80, protocol: 'TCP'}], endpoints};
}

/** ns1..ns6 as the Go test builds them (test-node is kube-proxy's node there). */
export function overallApi(): {services: Service[]; slices: EndpointSlice[]} {
	return {
		services: [
			service(1),
			service(2, {type: 'LoadBalancer', externalTrafficPolicy: 'Local', externalIPs: ['192.168.99.22'], loadBalancerIPs: ['1.2.3.4']}, 3001),
			service(3, {type: 'NodePort'}, 3003),
			service(4, {type: 'NodePort', externalIPs: ['192.168.99.33']}),
			service(5, {type: 'LoadBalancer', loadBalancerIPs: ['5.6.7.8']}, 3002),
			service(6),
		],
		slices: [
			slice(1, [endpoint('10.180.0.1')]),
			slice(2, [endpoint('10.180.0.2')]),
			slice(3, [endpoint('10.180.0.3')]),
			slice(4, [endpoint('10.180.0.4'), endpoint('10.180.0.5', {nodeName: 'test-node'})]),
			slice(5, [endpoint('10.180.0.3')]),
		],
	};
}
