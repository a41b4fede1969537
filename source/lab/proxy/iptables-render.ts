// The lab's Services as kube-proxy's iptables mode writes them (pkg/proxy/iptables/proxier.go,
// 1.32): the same chains, names (portProtoHash), comments, statistic probabilities, KUBE-MARK-MASQ
// and the filter-table REJECT for a port without endpoints. It is a whole `iptables-restore` input
// for the nat and filter tables, base-chain jumps included: a node netns of the lab has no other
// iptables rules, so restoring both tables whole is kube-proxy's full sync, stale chains and all.
import {iptablesEndpointChain, iptablesServiceChain, portProtoHash, servicePortName} from '../../core/service-rules/kube-proxy-names.js';
import {LAB_CLUSTER_CIDR, MASQUERADE_MARK, type ProxyPort} from './proxy-services.js';

/** A comment as kube-proxy writes it: quoted only when it has a space. */
const comment = (text: string) => `-m comment --comment ${text.includes(' ') ? `"${text}"` : text}`;

const proto = (p: ProxyPort) => {
	const l = p.protocol.toLowerCase();
	return `-m ${l} -p ${l}`;
};

/** kube-proxy's `fmt.Sprintf("%0.10f", 1.0/float64(n-i))`. */
export function statisticProbability(n: number, i: number): string {
	return (1 / (n - i)).toFixed(10);
}

const FILTER_JUMPS = [
	'-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
	'-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
	'-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
	'-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
	'-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
	'-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
	'-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
	'-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
	'-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
];

const NAT_JUMPS = [
	'-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
	'-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
	'-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
];

function filterTable(ports: readonly ProxyPort[]): string[] {
	const rules: string[] = [
		...FILTER_JUMPS,
		'-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
		`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQUERADE_MARK}/${MASQUERADE_MARK} -j ACCEPT`,
		'-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
	];
	for (const p of ports) {
		if (p.endpoints.length > 0) continue;
		const name = servicePortName(p.namespace, p.name, p.portName);
		rules.push(`-A KUBE-SERVICES ${comment(`${name} has no endpoints`)} ${proto(p)} -d ${p.clusterIP} --dport ${p.port} -j REJECT`);
		if (p.nodePort !== null) rules.push(`-A KUBE-EXTERNAL-SERVICES ${comment(`${name} has no endpoints`)} -m addrtype --dst-type LOCAL ${proto(p)} --dport ${p.nodePort} -j REJECT`);
	}

	const chains = ['KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES'];
	return ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...chains.map((c) => `:${c} - [0:0]`), ...rules, 'COMMIT'];
}

function natTable(ports: readonly ProxyPort[]): string[] {
	const chains = new Set(['KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-SERVICES']);
	const services: string[] = [];
	const nodePorts: string[] = [];
	const perService: string[] = [];
	for (const p of ports) {
		if (p.endpoints.length === 0) continue;
		const name = servicePortName(p.namespace, p.name, p.portName);
		const svc = iptablesServiceChain(name, p.protocol);
		chains.add(svc);
		services.push(`-A KUBE-SERVICES ${comment(`${name} cluster IP`)} ${proto(p)} -d ${p.clusterIP} --dport ${p.port} -j ${svc}`);
		if (p.nodePort !== null) {
			const ext = `KUBE-EXT-${portProtoHash(name, p.protocol)}`;
			chains.add(ext);
			nodePorts.push(
				`-A KUBE-NODEPORTS ${comment(name)} ${proto(p)} -d 127.0.0.0/8 --dport ${p.nodePort} -j ${ext}`,
				`-A KUBE-NODEPORTS ${comment(name)} ${proto(p)} --dport ${p.nodePort} -j ${ext}`,
			);
			perService.push(`-A ${ext} ${comment(`masquerade traffic for ${name} external destinations`)} -j KUBE-MARK-MASQ`, `-A ${ext} -j ${svc}`);
		}

		perService.push(`-A ${svc} ${comment(`${name} cluster IP`)} ${proto(p)} -d ${p.clusterIP} --dport ${p.port} ! -s ${LAB_CLUSTER_CIDR} -j KUBE-MARK-MASQ`);
		const n = p.endpoints.length;
		p.endpoints.forEach((e, i) => {
			const endpoint = `${e.ip}:${e.port}`;
			const sep = iptablesEndpointChain(name, p.protocol, endpoint);
			chains.add(sep);
			const statistic = i < n - 1 ? ` -m statistic --mode random --probability ${statisticProbability(n, i)}` : '';
			perService.push(`-A ${svc} ${comment(`${name} -> ${endpoint}`)}${statistic} -j ${sep}`);
			perService.push(`-A ${sep} ${comment(name)} -s ${e.ip} -j KUBE-MARK-MASQ`, `-A ${sep} ${comment(name)} ${proto(p)} -j DNAT --to-destination ${endpoint}`);
		});
	}

	return [
		'*nat',
		':PREROUTING ACCEPT [0:0]',
		':INPUT ACCEPT [0:0]',
		':OUTPUT ACCEPT [0:0]',
		':POSTROUTING ACCEPT [0:0]',
		...[...chains].sort().map((c) => `:${c} - [0:0]`),
		...NAT_JUMPS,
		...nodePorts,
		...services,
		'-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
		...perService,
		`-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQUERADE_MARK}`,
		`-A KUBE-POSTROUTING -m mark ! --mark ${MASQUERADE_MARK}/${MASQUERADE_MARK} -j RETURN`,
		`-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQUERADE_MARK}`,
		'-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
		'COMMIT',
	];
}

/** The whole `iptables-restore` input (no --noflush) for one node. */
export function renderIptables(ports: readonly ProxyPort[]): string {
	return [...filterTable(ports), ...natTable(ports)].join('\n') + '\n';
}
