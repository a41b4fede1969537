// The policy agent's ruleset for one lab node, pure: the core evaluator answers every pair of
// endpoints, and its answers become nftables sets, as Calico or kube-router compile policies into
// their dataplane. Ports and addresses are cut into intervals at every boundary a policy (or a
// named port's target) draws, so one evaluation per interval is exact for the whole interval.
// Only IPs and numbers reach the nft text: no name from the cluster does.
import ipaddr from 'ipaddr.js';
import {compilePolicies} from '../../core/policy/compile-policies.js';
import {truthTable} from '../../core/policy/truth-table.js';
import type {Endpoint, NetworkPolicy, PolicyNamespace, PolicyPod, Protocol} from '../../core/policy/types.js';

export const POLICY_TABLE = 'k8snet-lab-policy';

const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];
const MAX_PORT = 65_535;
const MAX_V4 = 0xff_ff_ff_ff;

interface Interval {
	lo: number;
	hi: number;
}

/** [min..max] cut before every breakpoint; breakpoints outside are ignored. */
export function cutIntervals(breakpoints: number[], min: number, max: number): Interval[] {
	const starts = [...new Set([min, ...breakpoints.filter(b => b > min && b <= max)])].sort((a, b) => a - b);
	return starts.map((lo, i) => ({lo, hi: i + 1 < starts.length ? (starts[i + 1] as number) - 1 : max}));
}

function portBreakpoints(policies: NetworkPolicy[], pods: PolicyPod[]): number[] {
	const out: number[] = [];
	for (const p of policies) {
		for (const rule of [...p.ingress, ...p.egress]) {
			for (const port of rule.ports) {
				if (typeof port.port !== 'number') continue;
				out.push(port.port, (port.endPort ?? port.port) + 1);
			}
		}
	}

	// Named ports resolve to these, per destination pod.
	for (const pod of pods) for (const c of pod.ports) out.push(c.port, c.port + 1);
	return out;
}

const v4 = (s: string): number | null => {
	if (!ipaddr.IPv4.isValidFourPartDecimal(s)) return null;
	return ipaddr.IPv4.parse(s).toByteArray().reduce((n, b) => n * 256 + b, 0);
};

const v4Text = (n: number) => [24, 16, 8, 0].map(s => Math.floor(n / 2 ** s) % 256).join('.');

function cidrBounds(cidr: string): Interval | null {
	try {
		const [addr, len] = ipaddr.IPv4.parseCIDR(cidr);
		const base = addr.toByteArray().reduce((n, b) => n * 256 + b, 0);
		const size = 2 ** (32 - len);
		const lo = base - (base % size);
		return {lo, hi: lo + size - 1};
	} catch {
		return null;
	}
}

function addressBreakpoints(policies: NetworkPolicy[]): number[] {
	const out: number[] = [];
	for (const p of policies) {
		for (const rule of [...p.ingress, ...p.egress]) {
			for (const peer of rule.peers) {
				if (peer.ipBlock === null) continue;
				for (const c of [peer.ipBlock.cidr, ...peer.ipBlock.except]) {
					const b = cidrBounds(c);
					if (b) out.push(b.lo, b.hi + 1);
				}
			}
		}
	}

	return out;
}

export interface NodeRulesInput {
	policies: NetworkPolicy[];
	namespaces: PolicyNamespace[];
	pods: PolicyPod[];
	/** The node whose pods' ingress and egress this ruleset guards. */
	node: string;
}

/** A pod with one IPv4 address that policies can select. */
interface Guarded {
	pod: PolicyPod;
	ip: string;
}

const guardedOf = (pods: PolicyPod[]): Guarded[] =>
	pods.flatMap(pod => {
		const ip = pod.hostNetwork ? undefined : pod.ips.find(a => v4(a) !== null);
		return ip === undefined ? [] : [{pod, ip}];
	});

const setBlock = (name: string, type: string, elements: string[]) =>
	[`\tset ${name} {`, `\t\ttype ${type}`, ...(elements.length > 0 ? [`\t\telements = { ${elements.join(', ')} }`] : []), '\t}'];

/**
 * The whole table for one node: `nft -f` of it replaces the previous one in one transaction.
 * For each isolated pod of this node, a chain per direction: the allowed (peer pod . proto . port)
 * elements first, then any other pod is dropped, then the allowed (address range . proto . port)
 * elements for peers that are not pods (ipBlocks), then drop. Established and related traffic
 * passes first, so a reply is never judged as a connection of its own.
 * It hooks `inet forward`: pod-to-pod traffic on one node's bridge reaches it because
 * bridge-nf-call-iptables is 1 in the node netns (the agent sets it); routed traffic (ptp, other
 * nodes) is forwarded anyway. The node's own traffic to its pods is output, not forward: always
 * allowed, as the spec says.
 */
export function renderNodeRules(input: NodeRulesInput): {text: string; isolated: number} {
	const model = compilePolicies(input.policies, input.namespaces, input.pods);
	const guarded = guardedOf(input.pods);
	const ports = cutIntervals(portBreakpoints(input.policies, input.pods), 1, MAX_PORT);
	const addresses = cutIntervals(addressBreakpoints(input.policies), 0, MAX_V4);
	const others: Endpoint[] = addresses.map(a => ({kind: 'ip', ip: v4Text(a.lo)}));
	const endpoints: Endpoint[] = [...guarded.map(g => ({kind: 'pod' as const, pod: g.pod})), ...others];
	const tables = PROTOCOLS.flatMap(protocol => ports.map(port => ({protocol, port, table: truthTable(model, port.lo, protocol, endpoints)})));
	const range = (i: Interval) => (i.lo === i.hi ? String(i.lo) : `${i.lo}-${i.hi}`);
	const addrRange = (i: Interval) => (i.lo === i.hi ? v4Text(i.lo) : `${v4Text(i.lo)}-${v4Text(i.hi)}`);
	const proto = (p: Protocol) => p.toLowerCase();
	const sets: string[] = [];
	const chains: string[] = [];
	const jumps: string[] = [];
	let isolated = 0;
	guarded.forEach((g, gi) => {
		if (g.pod.nodeName !== input.node) return;
		const selection = model.selectedBy[model.podIndex.get(`${g.pod.namespace}/${g.pod.name}`) as number];
		for (const direction of ['egress', 'ingress'] as const) {
			if (!selection || selection[direction].policies.length === 0) continue;
			isolated++;
			// Egress: this pod is the row, the peer the column; ingress the other way round.
			const allowed = (peer: number) =>
				tables.flatMap(t => {
					const cell = direction === 'egress' ? t.table.cells[gi]?.[peer] : t.table.cells[peer]?.[gi];
					return cell?.[direction] === 'allowed' ? [{protocol: t.protocol, port: t.port}] : [];
				});
			const podElements = guarded.flatMap((peer, pi) => (pi === gi ? [] : allowed(pi).map(a => `${peer.ip} . ${proto(a.protocol)} . ${range(a.port)}`)));
			const ipElements = addresses.flatMap((a, ai) => allowed(guarded.length + ai).map(x => `${addrRange(a)} . ${proto(x.protocol)} . ${range(x.port)}`));
			const tag = `${direction === 'egress' ? 'eg' : 'in'}-${gi}`;
			const peerField = direction === 'egress' ? 'ip daddr' : 'ip saddr';
			sets.push(...setBlock(`${tag}-pods`, 'ipv4_addr . inet_proto . inet_service; flags interval', podElements));
			sets.push(...setBlock(`${tag}-ips`, 'ipv4_addr . inet_proto . inet_service; flags interval', ipElements));
			chains.push(
				`\tchain ${tag} {`,
				'\t\tmeta l4proto != { tcp, udp, sctp } drop',
				`\t\t${peerField} . meta l4proto . th dport @${tag}-pods return`,
				`\t\t${peerField} @pods drop`,
				`\t\t${peerField} . meta l4proto . th dport @${tag}-ips return`,
				'\t\tdrop',
				'\t}',
			);
			jumps.push(`\t\t${direction === 'egress' ? 'ip saddr' : 'ip daddr'} ${g.ip} jump ${tag}`);
		}
	});
	// Egress jumps first: a connection needs the source's egress and then the destination's ingress.
	jumps.sort((a, b) => Number(b.includes('saddr')) - Number(a.includes('saddr')));
	const text = [
		`table inet ${POLICY_TABLE} {}`,
		`delete table inet ${POLICY_TABLE}`,
		`table inet ${POLICY_TABLE} {`,
		...setBlock('pods', 'ipv4_addr', [...new Set(guarded.map(g => g.ip))]),
		...sets,
		...chains,
		'\tchain forward {',
		'\t\ttype filter hook forward priority filter; policy accept;',
		'\t\tct state established,related accept',
		...jumps,
		'\t}',
		'}',
		'',
	].join('\n');
	return {text, isolated};
}
