// kube-proxy's iptables rules → one ServiceRules per Service port. Everything kube-proxy makes
// for a port carries the same portProtoHash (KUBE-SVC-H, KUBE-SVL-H, KUBE-EXT-H, KUBE-FW-H), so
// rules are grouped by that hash, starting from the entry chains KUBE-SERVICES and
// KUBE-NODEPORTS, and each policy chain is followed to its KUBE-SEP endpoint chains.
import {portProtoHash, servicePortName} from '../../core/service-rules/kube-proxy-names.js';
import type {FrontendKind, Protocol, RuleEndpoint, RuleRef, RulesModel, ServicePortId, ServiceRules} from '../../core/service-rules/types.js';
import type {IptablesDump, IptablesRule} from './iptables-save.js';
import {commentPort, hostOf, protocolOf, splitHostPort} from './service-port-comment.js';

const PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-'];
const MARK_MASQ = 'KUBE-MARK-MASQ';

function hashOf(chain: string | null): string | null {
	const prefix = chain === null ? undefined : PREFIXES.find(p => chain.startsWith(p));
	return prefix === undefined ? null : chain!.slice(prefix.length);
}

function ref(rule: IptablesRule): RuleRef {
	return {table: rule.table, chain: rule.chain, rule: rule.line};
}

const KINDS: Record<string, FrontendKind> = {'cluster IP': 'clusterIP', 'external IP': 'externalIP', 'loadbalancer IP': 'loadBalancerIP'};

class Builder {
	readonly byHash = new Map<string, ServiceRules>();

	constructor(private readonly nat: Map<string, IptablesRule[]>) {}

	entry(hash: string, id: ServicePortId | null, protocol: Protocol): ServiceRules {
		let s = this.byHash.get(hash);
		if (s === undefined) {
			s = {id, protocol, hash, frontends: [], policyChains: [], endpoints: [], unreadable: [], masquerade: [], rejects: [], sessionAffinity: false};
			this.byHash.set(hash, s);
		}

		s.id ??= id;
		return s;
	}

	/** A KUBE-SERVICES or KUBE-NODEPORTS rule: a frontend, or (old kube-proxy) a masquerade rule. */
	frontend(rule: IptablesRule, nodePort: boolean): void {
		const named = commentPort(rule.comment);
		const protocol = protocolOf(rule.protocol);
		if (protocol === null || rule.dport === null) return;
		// Old kube-proxy put the masquerade rule in KUBE-SERVICES itself, named only by its comment.
		const hash = hashOf(rule.target) ?? (rule.target === MARK_MASQ && named !== null ? portProtoHash(servicePortName(named.id.namespace, named.id.name, named.id.port), protocol) : null);
		if (hash === null) return;
		const s = this.entry(hash, named?.id ?? null, protocol);
		if (rule.target === MARK_MASQ) {
			s.masquerade.push(ref(rule));
			return;
		}

		const kind: FrontendKind = nodePort ? 'nodePort' : KINDS[named?.rest ?? ''] ?? (rule.target!.startsWith('KUBE-SVC-') ? 'clusterIP' : 'externalOrLoadBalancerIP');
		s.frontends.push({kind, ip: rule.destination === null ? null : hostOf(rule.destination.cidr), port: rule.dport, target: rule.target, rule: ref(rule)});
	}

	/** Follows a service's KUBE-SVC / KUBE-SVL / KUBE-EXT / KUBE-FW chains. */
	chains(s: ServiceRules): void {
		for (const prefix of PREFIXES) {
			const chain = prefix + s.hash!;
			const rules = this.nat.get(chain);
			if (rules === undefined) continue;
			const policy = prefix === 'KUBE-SVC-' || prefix === 'KUBE-SVL-';
			if (policy) s.policyChains.push(chain);
			const picks: RuleEndpoint[] = [];
			for (const rule of rules) {
				if (rule.target === MARK_MASQ) s.masquerade.push(ref(rule));
				if (rule.recent) s.sessionAffinity = true;
				if (!policy || rule.target?.startsWith('KUBE-SEP-') !== true) continue;
				// With affinity each endpoint has a `recent` rule before the pick; only the pick counts.
				if (rule.recent) continue;
				const endpoint = this.endpoint(rule, s);
				if (endpoint === null) s.unreadable.push(ref(rule));
				else picks.push(endpoint);
			}

			// statistic's probabilities are conditional (1/3, then 1/2 of the rest, then all): as shares of the whole.
			let left = 1;
			for (const e of picks) {
				const share = left * (e.probability ?? 1);
				left -= share;
				e.probability = share;
			}

			s.endpoints.push(...picks);
		}
	}

	private endpoint(pick: IptablesRule, s: ServiceRules): RuleEndpoint | null {
		const sep = this.nat.get(pick.target!) ?? [];
		const dnat = sep.find(r => r.toDestination !== null);
		const to = dnat === undefined ? null : splitHostPort(dnat.toDestination!);
		if (to === null) return null;
		for (const r of sep) if (r.target === MARK_MASQ) s.masquerade.push(ref(r));
		if (sep.some(r => r.recent)) s.sessionAffinity = true;
		return {ip: to.ip, port: to.port, chain: pick.target, probability: pick.probability ?? 1, rules: [ref(pick), ...sep.map(ref)]};
	}

	/** filter-table REJECT/DROP rules kube-proxy writes for a port without (local) endpoints. */
	reject(rule: IptablesRule): void {
		const named = commentPort(rule.comment);
		const protocol = protocolOf(rule.protocol);
		if (named === null || protocol === null || rule.dport === null) return;
		if (!/^has no (local )?endpoints$/.test(named.rest) || (rule.target !== 'REJECT' && rule.target !== 'DROP')) return;
		const s = this.entry(portProtoHash(servicePortName(named.id.namespace, named.id.name, named.id.port), protocol), named.id, protocol);
		s.rejects.push(ref(rule));
		const kind: FrontendKind = rule.destination === null ? 'nodePort' : rule.chain === 'KUBE-SERVICES' ? 'clusterIP' : 'externalOrLoadBalancerIP';
		s.frontends.push({kind, ip: rule.destination === null ? null : hostOf(rule.destination.cidr), port: rule.dport, target: rule.target, rule: ref(rule)});
	}
}

/** Null when the dump has no kube-proxy iptables rules (no KUBE-SERVICES in nat). */
export function iptablesRulesModel(dump: IptablesDump): RulesModel | null {
	const nat = dump.tables.get('nat');
	if (nat === undefined || !nat.has('KUBE-SERVICES')) return null;
	const b = new Builder(nat);
	for (const rule of nat.get('KUBE-SERVICES') ?? []) b.frontend(rule, false);
	for (const rule of nat.get('KUBE-NODEPORTS') ?? []) b.frontend(rule, true);
	for (const s of b.byHash.values()) b.chains(s);
	const filter = dump.tables.get('filter');
	for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS']) for (const rule of filter?.get(chain) ?? []) b.reject(rule);
	const mark = nat.get(MARK_MASQ)?.find(r => r.setMark !== null)?.setMark ?? null;
	return {backend: 'iptables', services: [...b.byHash.values()], masqueradeMark: mark, show: 'iptables-save -t nat; iptables-save -t filter'};
}
