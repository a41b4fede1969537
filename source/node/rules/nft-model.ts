// kube-proxy's nftables table → one ServiceRules per Service port. The entry points are the
// verdict maps (service-ips, service-nodeports; no-endpoint-services/-nodeports for ports without
// endpoints); chains are named "<kind>-<HASH>-ns/svc/proto/port", so one port's chains share the
// part after the kind, and the names themselves say which port they serve.
import {nftServiceChainBase} from '../../core/service-rules/kube-proxy-names.js';
import type {FrontendKind, Protocol, RuleRef, RulesModel, ServiceRules} from '../../core/service-rules/types.js';
import {isObject, type NftMapElement, type NftRule, type NftTable} from './nft-json.js';
import {nftRuleText} from './nft-rule-text.js';
import {commentPort, protocolOf} from './service-port-comment.js';

const KINDS = ['service', 'local', 'external', 'firewall'] as const;
const MARK_MASQ = 'mark-for-masquerade';
const BASE = /^[A-Z2-7]{8}-([^/]+)\/([^/]+)\/(tcp|udp|sctp)\/([^_]*)$/;

function split(chain: string): {kind: (typeof KINDS)[number]; base: string} | null {
	const kind = KINDS.find(k => chain.startsWith(`${k}-`));
	return kind === undefined ? null : {kind, base: chain.slice(kind.length + 1)};
}

/** The chain a rule jumps or goes to. */
function targetOf(expr: NftRule['expr']): string | null {
	for (const e of expr) {
		const body = e['jump'] ?? e['goto'];
		if (isObject(body) && typeof body['target'] === 'string') return body['target'];
	}

	return null;
}

/** `ip saddr @affinity-…`: ClientIP affinity, a set of recent clients per endpoint. */
function matchesAffinitySet(expr: NftRule['expr']): boolean {
	return expr.some(e => isObject(e['match']) && typeof e['match']['right'] === 'string' && e['match']['right'].startsWith('@affinity-'));
}

function dnatOf(expr: NftRule['expr']): {ip: string; port: number} | null {
	for (const e of expr) {
		const d = e['dnat'];
		if (isObject(d) && typeof d['addr'] === 'string' && typeof d['port'] === 'number') return {ip: d['addr'], port: d['port']};
	}

	return null;
}

/** The endpoint chains a numgen vmap picks from, in order. */
function numgenPicks(expr: NftRule['expr']): string[] | null {
	for (const e of expr) {
		const vmap = e['vmap'];
		if (!isObject(vmap) || !isObject(vmap['key']) || !isObject(vmap['key']['numgen']) || !isObject(vmap['data'])) continue;
		const set = vmap['data']['set'];
		if (!Array.isArray(set)) return [];
		return set.flatMap(item => {
			const verdict = Array.isArray(item) ? item[1] : null;
			const target = isObject(verdict) ? (verdict['goto'] ?? verdict['jump']) : null;
			return isObject(target) && typeof target['target'] === 'string' ? [target['target']] : [];
		});
	}

	return null;
}

class Builder {
	readonly byBase = new Map<string, ServiceRules>();
	/** A pick rule serves every endpoint it picks: one RuleRef for all of them. */
	private readonly refs = new Map<NftRule, RuleRef>();

	constructor(private readonly table: NftTable) {}

	private ref(chain: string, rule: NftRule): RuleRef {
		let r = this.refs.get(rule);
		if (r === undefined) {
			let text: string | undefined;
			// Rendered when first read: a 1,000-Service table has some 10k rules, and a view shows a few.
			r = {table: `${this.table.family} ${this.table.name}`, chain, get rule() {
				text ??= nftRuleText(rule);
				return text;
			}};
			this.refs.set(rule, r);
		}

		return r;
	}

	private mapRef(map: string, e: NftMapElement): RuleRef {
		const comment = e.comment === null ? '' : ` comment "${e.comment}"`;
		return {table: `${this.table.family} ${this.table.name}`, chain: `map ${map}`, rule: `${e.key.join(' . ')}${comment} : ${e.verdict}`};
	}

	private entry(base: string, protocol: Protocol): ServiceRules {
		let s = this.byBase.get(base);
		if (s === undefined) {
			const m = BASE.exec(base);
			s = {
				id: m === null ? null : {namespace: m[1]!, name: m[2]!, port: m[4]!},
				protocol, hash: null, frontends: [], policyChains: [], endpoints: [], unreadable: [], masquerade: [], rejects: [], sessionAffinity: false,
			};
			this.byBase.set(base, s);
		}

		return s;
	}

	/** An element of service-ips (ip . proto . port) or service-nodeports (proto . port). */
	frontend(map: string, e: NftMapElement, nodePort: boolean): void {
		const target = /^(goto|jump) (.+)$/.exec(e.verdict)?.[2];
		const parts = target === undefined ? null : split(target);
		const protocol = protocolOf(String(e.key[nodePort ? 0 : 1] ?? ''));
		const port = e.key[nodePort ? 1 : 2];
		if (parts === null || protocol === null || typeof port !== 'number') return;
		const kind: FrontendKind = nodePort ? 'nodePort' : parts.kind === 'service' || parts.kind === 'local' ? 'clusterIP' : 'externalOrLoadBalancerIP';
		this.entry(parts.base, protocol).frontends.push({kind, ip: nodePort ? null : String(e.key[0]), port, target: target!, rule: this.mapRef(map, e)});
	}

	/** An element of no-endpoint-services / no-endpoint-nodeports: named only by its comment. */
	reject(map: string, e: NftMapElement, nodePort: boolean): void {
		const named = commentPort(e.comment);
		const protocol = protocolOf(String(e.key[nodePort ? 0 : 1] ?? ''));
		const port = e.key[nodePort ? 1 : 2];
		if (named === null || protocol === null || typeof port !== 'number') return;
		const s = this.entry(nftServiceChainBase(named.id, protocol), protocol);
		s.id ??= named.id;
		const rule = this.mapRef(map, e);
		s.rejects.push(rule);
		const ip = nodePort ? null : String(e.key[0]);
		// This map holds external and load-balancer IPs too; the cluster-ips set tells which are cluster IPs.
		const kind: FrontendKind = ip === null ? 'nodePort' : this.table.sets.get('cluster-ips')?.includes(ip) ? 'clusterIP' : 'externalOrLoadBalancerIP';
		s.frontends.push({kind, ip, port, target: e.verdict.replace(/^goto /, ''), rule});
	}

	chains(base: string, s: ServiceRules): void {
		for (const kind of KINDS) {
			const chain = `${kind}-${base}`;
			const rules = this.table.chains.get(chain);
			if (rules === undefined) continue;
			const policy = kind === 'service' || kind === 'local';
			if (policy) s.policyChains.push(chain);
			for (const rule of rules) {
				const target = targetOf(rule.expr);
				if (target === MARK_MASQ) s.masquerade.push(this.ref(chain, rule));
				if (target?.startsWith('endpoint-') && matchesAffinitySet(rule.expr)) s.sessionAffinity = true;
				const picks = policy ? numgenPicks(rule.expr) : null;
				if (picks === null) continue;
				for (const pick of picks) this.endpoint(chain, rule, pick, picks.length, s);
			}
		}
	}

	private endpoint(chain: string, pickRule: NftRule, pick: string, of: number, s: ServiceRules): void {
		const rules = this.table.chains.get(pick) ?? [];
		let dnat: {ip: string; port: number} | null = null;
		for (const r of rules) dnat ??= dnatOf(r.expr);
		if (dnat === null) {
			s.unreadable.push(this.ref(chain, pickRule));
			return;
		}

		for (const r of rules) if (targetOf(r.expr) === MARK_MASQ) s.masquerade.push(this.ref(pick, r));
		s.endpoints.push({ip: dnat.ip, port: dnat.port, chain: pick, probability: 1 / of, rules: [this.ref(chain, pickRule), ...rules.map(r => this.ref(pick, r))]});
	}
}

function markOf(table: NftTable): string | null {
	// mark-for-masquerade: `mark set mark or 0x4000`, i.e. {"mangle": {"value": {"|": [meta mark, 16384]}}}.
	for (const rule of table.chains.get(MARK_MASQ) ?? []) for (const e of rule.expr) {
		const value = isObject(e['mangle']) ? e['mangle']['value'] : null;
		const or = isObject(value) ? value['|'] : null;
		if (Array.isArray(or) && typeof or[1] === 'number') return `0x${or[1].toString(16)}`;
	}

	return null;
}

/** Null when the table has none of kube-proxy's service maps. */
export function nftRulesModel(table: NftTable): RulesModel | null {
	if (!table.maps.has('service-ips')) return null;
	const b = new Builder(table);
	for (const e of table.maps.get('service-ips') ?? []) b.frontend('service-ips', e, false);
	for (const e of table.maps.get('service-nodeports') ?? []) b.frontend('service-nodeports', e, true);
	for (const e of table.maps.get('no-endpoint-services') ?? []) b.reject('no-endpoint-services', e, false);
	for (const e of table.maps.get('no-endpoint-nodeports') ?? []) b.reject('no-endpoint-nodeports', e, true);
	for (const [base, s] of b.byBase) b.chains(base, s);
	return {backend: 'nftables', services: [...b.byBase.values()], masqueradeMark: markOf(table), show: `nft list table ${table.family} ${table.name}`};
}
