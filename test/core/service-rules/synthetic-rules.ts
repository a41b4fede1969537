// A cluster of N Services × k endpoints, as the API has it and as kube-proxy would program it:
// iptables-save text in the shape the kernel prints back (lab-overall.iptables-save.nat.txt) and
// `nft -j` JSON in the shape of lab-overall.nft.json, with kube-proxy's own chain names. For the
// rules bench and for tests at scale.
import {iptablesEndpointChain, iptablesServiceChain, nftEndpointChainBase, nftServiceChainBase, servicePortName} from '../../../source/core/service-rules/kube-proxy-names.js';
import type {EndpointSlice, Service} from '../../../source/core/service-rules/types.js';

export interface SyntheticRules {
	services: Service[];
	slices: EndpointSlice[];
	iptablesSave: string;
	nftJson: string;
}

const clusterIP = (i: number) => `10.96.${Math.floor(i / 250)}.${(i % 250) + 2}`;
const podIP = (i: number, j: number) => `10.244.${Math.floor((i * 3 + j) / 250) % 250}.${((i * 3 + j) % 250) + 2}`;

export function syntheticRules(count: number, perService: number): SyntheticRules {
	const services: Service[] = [];
	const slices: EndpointSlice[] = [];
	const nat: string[] = ['*nat', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'];
	const nft: unknown[] = [{metainfo: {version: '1.0.6', json_schema_version: 1}}, {table: {family: 'ip', name: 'kube-proxy', handle: 1}}];
	const serviceIps: unknown[] = [];
	const t = {family: 'ip', table: 'kube-proxy'};
	for (let i = 0; i < count; i++) {
		const namespace = `ns${i % 20}`;
		const name = `svc${i}`;
		const ip = clusterIP(i);
		services.push({namespace, name, type: 'ClusterIP', clusterIPs: [ip], ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: null}], externalIPs: [], loadBalancerIPs: [], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster'});
		const endpoints = Array.from({length: perService}, (_, j) => podIP(i, j));
		slices.push({
			namespace, name: `${name}-abcde`, serviceName: name, addressType: 'IPv4', ports: [{name: 'http', port: 8080, protocol: 'TCP'}],
			endpoints: endpoints.map((address, j) => ({addresses: [address], ready: true, serving: true, terminating: false, nodeName: `node${j}`, targetRef: {kind: 'Pod', namespace, name: `${name}-${j}`}})),
		});
		const spn = servicePortName(namespace, name, 'http');
		const svc = iptablesServiceChain(spn, 'TCP');
		nat.push(`:${svc} - [0:0]`);
		nat.push(`-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "${spn} cluster IP" -m tcp --dport 80 -j ${svc}`);
		nat.push(`-A ${svc} ! -s 10.244.0.0/16 -d ${ip}/32 -p tcp -m comment --comment "${spn} cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`);
		const id = {namespace, name, port: 'http'};
		const base = nftServiceChainBase(id, 'TCP');
		nft.push({chain: {...t, name: `service-${base}`}});
		nft.push({rule: {...t, chain: `service-${base}`, expr: [
			{match: {op: '==', left: {payload: {protocol: 'ip', field: 'daddr'}}, right: ip}},
			{match: {op: '!=', left: {payload: {protocol: 'ip', field: 'saddr'}}, right: {prefix: {addr: '10.244.0.0', len: 16}}}},
			{jump: {target: 'mark-for-masquerade'}},
		]}});
		const picks: unknown[] = [];
		endpoints.forEach((address, j) => {
			const sep = iptablesEndpointChain(spn, 'TCP', `${address}:8080`);
			const left = perService - j;
			const statistic = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
			nat.push(`:${sep} - [0:0]`);
			nat.push(`-A ${svc} -m comment --comment "${spn} -> ${address}:8080"${statistic} -j ${sep}`);
			nat.push(`-A ${sep} -s ${address}/32 -m comment --comment "${spn}" -j KUBE-MARK-MASQ`);
			nat.push(`-A ${sep} -p tcp -m comment --comment "${spn}" -m tcp -j DNAT --to-destination ${address}:8080`);
			const endpoint = `endpoint-${nftEndpointChainBase(id, 'TCP', address, 8080)}`;
			picks.push([j, {goto: {target: endpoint}}]);
			nft.push({chain: {...t, name: endpoint}});
			nft.push({rule: {...t, chain: endpoint, expr: [{match: {op: '==', left: {payload: {protocol: 'ip', field: 'saddr'}}, right: address}}, {jump: {target: 'mark-for-masquerade'}}]}});
			nft.push({rule: {...t, chain: endpoint, expr: [{match: {op: '==', left: {meta: {key: 'l4proto'}}, right: 'tcp'}}, {dnat: {addr: address, port: 8080}}]}});
		});
		nft.push({rule: {...t, chain: `service-${base}`, expr: [{vmap: {key: {numgen: {mode: 'random', mod: perService, offset: 0}}, data: {set: picks}}}]}});
		serviceIps.push([{concat: [ip, 'tcp', 80]}, {goto: {target: `service-${base}`}}]);
	}

	nat.push('COMMIT', '');
	nft.push({map: {...t, name: 'service-ips', type: ['ipv4_addr', 'inet_proto', 'inet_service'], map: 'verdict', elem: serviceIps}});
	return {services, slices, iptablesSave: nat.join('\n'), nftJson: JSON.stringify({nftables: nft})};
}
