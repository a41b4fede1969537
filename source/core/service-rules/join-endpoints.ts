// The API's Services and EndpointSlices against the node's rules: per Service port, which
// endpoints the API has and whether the rules send traffic to each, and every disagreement as a
// problem with one-line reason and a hint. It judges by kube-proxy's own choice of endpoints
// (CategorizeEndpoints): the ready ones, else serving-and-terminating ones; only this node's
// for a Local internal policy.
import {canonicalIp} from '../pod-ip.js';
import {portProtoHash, servicePortName} from './kube-proxy-names.js';
import type {EndpointSlice, Protocol, RuleEndpoint, RulesModel, Service, ServicePort, ServiceRules, SliceEndpoint} from './types.js';

export type ServiceProblemKind =
	| 'not-ready-in-rules'
	| 'gone-in-rules'
	| 'ready-missing-from-rules'
	| 'no-rules'
	| 'rules-without-service'
	| 'unreadable-endpoint';

export interface ServiceProblem {
	kind: ServiceProblemKind;
	/** "ns/svc:port/TCP" */
	service: string;
	/** "ip:port" when the problem is one endpoint's. */
	endpoint: string | null;
	reason: string;
	hint: string;
}

export interface JoinedEndpoint {
	ip: string;
	port: number;
	/** "ns/name" of the pod behind it, when the slice says. */
	pod: string | null;
	node: string | null;
	/** Null when the API does not have this endpoint (it is only in the rules). */
	ready: boolean | null;
	inRules: boolean;
}

export interface ServicePortJoin {
	namespace: string;
	name: string;
	port: ServicePort;
	clusterIP: string | null;
	/** Every ServiceRules serving this port: one for iptables/nftables, one per address for IPVS. */
	rules: ServiceRules[];
	endpoints: JoinedEndpoint[];
	problems: ServiceProblem[];
}

export interface ServicesJoin {
	ports: ServicePortJoin[];
	/** Every port's problems, then those of rules no Service port claims. */
	problems: ServiceProblem[];
}

export type Family = 'ipv4' | 'ipv6';

const familyOf = (ip: string): Family => (ip.includes(':') ? 'ipv6' : 'ipv4');
/** A dotted quad without leading zeros is its own canonical form: no need for the full parse. */
const PLAIN_IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** canonicalIp, remembered: addresses repeat across rules and slices, so each is parsed once per join. */
function canonicalIps(): (ip: string) => string | null {
	const seen = new Map<string, string | null>();
	return ip => {
		let c = seen.get(ip);
		if (c === undefined) {
			c = PLAIN_IPV4.test(ip) ? ip : canonicalIp(ip);
			seen.set(ip, c);
		}

		return c;
	};
}

const label = (namespace: string, name: string, port: string, protocol: Protocol) => `${servicePortName(namespace, name, port)}/${protocol}`;
const SYNC_HINT = 'kube-proxy syncs within seconds; if it stays, read its log: kubectl -n kube-system logs ds/kube-proxy';

class RulesIndex {
	private readonly byId = new Map<string, ServiceRules>();
	private readonly byHash = new Map<string, ServiceRules>();
	private readonly byFrontend = new Map<string, ServiceRules[]>();
	/** IPVS has a virtual server per node address for each NodePort: found by port alone. */
	private readonly byVirtualPort = new Map<string, ServiceRules[]>();
	readonly claimed = new Set<ServiceRules>();

	readonly canonical = canonicalIps();
	/** "ip:port" with the IP canonical (an unparsable IP as it is, so it matches nothing real). */
	readonly key = (ip: string, port: number) => `${this.canonical(ip) ?? ip}:${port}`;

	constructor(readonly model: RulesModel) {
		for (const s of model.services) {
			if (s.id !== null) this.byId.set(label(s.id.namespace, s.id.name, s.id.port, s.protocol), s);
			if (s.hash !== null) this.byHash.set(s.hash, s);
			for (const f of s.frontends) {
				if (f.kind === 'virtualServer') this.byVirtualPort.set(`${f.port}/${s.protocol}`, [...(this.byVirtualPort.get(`${f.port}/${s.protocol}`) ?? []), s]);
				if (f.ip === null) continue;
				const k = `${this.key(f.ip, f.port)}/${s.protocol}`;
				this.byFrontend.set(k, [...(this.byFrontend.get(k) ?? []), s]);
			}
		}
	}

	/** By name where the rules carry names, by kube-proxy's hash where only chains do, by address for IPVS. */
	find(service: Service, port: ServicePort, ips: readonly string[]): ServiceRules[] {
		const named = this.byId.get(label(service.namespace, service.name, port.name, port.protocol))
			?? this.byHash.get(portProtoHash(servicePortName(service.namespace, service.name, port.name), port.protocol));
		const byAddress = () => [
			...ips.flatMap(ip => this.byFrontend.get(`${this.key(ip, port.port)}/${port.protocol}`) ?? []),
			...(port.nodePort === null ? [] : this.byVirtualPort.get(`${port.nodePort}/${port.protocol}`) ?? []),
		];
		const found = named === undefined ? byAddress() : [named];
		const unique = [...new Set(found)];
		for (const s of unique) this.claimed.add(s);
		return unique;
	}
}

/** The addresses the API gives this port, with the slice port's number (the target port). */
function apiEndpoints(port: ServicePort, slices: readonly EndpointSlice[], families: ReadonlySet<Family>, canonical: (ip: string) => string | null): Array<{ip: string; port: number; e: SliceEndpoint}> {
	const out: Array<{ip: string; port: number; e: SliceEndpoint}> = [];
	for (const slice of slices) {
		const p = slice.ports.find(sp => sp.name === port.name && sp.protocol === port.protocol);
		if (p === undefined || p.port === null) continue;
		for (const e of slice.endpoints) for (const raw of e.addresses) {
			const ip = canonical(raw);
			if (ip !== null && families.has(familyOf(ip))) out.push({ip, port: p.port, e});
		}
	}

	return out;
}

function joinPort(service: Service, port: ServicePort, slices: readonly EndpointSlice[] /* this Service's */, index: RulesIndex, families: ReadonlySet<Family>, nodeName: string | null): ServicePortJoin {
	const name = label(service.namespace, service.name, port.name, port.protocol);
	const clusterIP = service.clusterIPs.map(index.canonical).find((ip): ip is string => ip !== null && families.has(familyOf(ip))) ?? null;
	const addresses = [clusterIP, ...service.externalIPs, ...service.loadBalancerIPs].filter((ip): ip is string => ip !== null);
	const rules = index.find(service, port, addresses);
	const inRules = new Map<string, RuleEndpoint>();
	for (const s of rules) for (const e of s.endpoints) inRules.set(index.key(e.ip, e.port), e);
	const api = apiEndpoints(port, slices, families, index.canonical);
	const anyReady = api.some(a => a.e.ready);
	// kube-proxy falls back to serving, terminating endpoints only when none is ready.
	const usable = (e: SliceEndpoint) => (anyReady ? e.ready : e.serving && e.terminating);
	const localOnly = service.internalTrafficPolicy === 'Local' && (service.externalTrafficPolicy === 'Local' || service.type === 'ClusterIP') && nodeName !== null;
	const problems: ServiceProblem[] = [];
	const endpoints: JoinedEndpoint[] = [];
	const seen = new Set<string>();
	for (const a of api) {
		const k = index.key(a.ip, a.port);
		if (seen.has(k)) continue;
		seen.add(k);
		const pod = a.e.targetRef?.kind === 'Pod' ? `${a.e.targetRef.namespace}/${a.e.targetRef.name}` : null;
		const programmed = inRules.has(k);
		endpoints.push({ip: a.ip, port: a.port, pod, node: a.e.nodeName, ready: a.e.ready, inRules: programmed});
		const who = pod === null ? '' : ` (pod ${pod})`;
		const expected = usable(a.e) && (!localOnly || a.e.nodeName === nodeName);
		if (programmed && !usable(a.e)) {
			const state = a.e.terminating ? 'terminating' : 'not ready';
			problems.push({kind: 'not-ready-in-rules', service: name, endpoint: k, reason: `${k}${who} is in the rules but ${state} in the API`, hint: SYNC_HINT});
		} else if (!programmed && expected && rules.length > 0) {
			problems.push({kind: 'ready-missing-from-rules', service: name, endpoint: k, reason: `${k}${who} is ready in the API but not in the rules`, hint: SYNC_HINT});
		}
	}

	for (const [k, e] of inRules) {
		if (seen.has(k)) continue;
		endpoints.push({ip: e.ip, port: e.port, pod: null, node: null, ready: null, inRules: true});
		problems.push({kind: 'gone-in-rules', service: name, endpoint: k, reason: `${k} is in the rules (${e.chain ?? e.rules[0]?.chain ?? 'ipvs'}) but gone from the API's EndpointSlices`, hint: SYNC_HINT});
	}

	for (const s of rules) for (const r of s.unreadable) {
		problems.push({kind: 'unreadable-endpoint', service: name, endpoint: null, reason: `${r.chain} picks an endpoint whose chain has no DNAT to read: that endpoint is unknown`, hint: `see: ${index.model.show}`});
	}

	if (rules.length === 0) {
		problems.push({
			kind: 'no-rules', service: name, endpoint: null,
			reason: `${name}${clusterIP === null ? '' : ` (${clusterIP}:${port.port})`} has no rules on this node`,
			hint: 'kube-proxy may be down or not yet synced here: kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide',
		});
	}

	return {namespace: service.namespace, name: service.name, port, clusterIP, rules, endpoints, problems};
}

/** Service types and addresses kube-proxy programs nothing for. */
function proxied(service: Service): boolean {
	return service.type !== 'ExternalName' && service.clusterIPs.length > 0 && !service.clusterIPs.includes('None');
}

export interface JoinOptions {
	/** This node's name, for Local traffic policies; null leaves locality unjudged. */
	nodeName: string | null;
	/** The address families the rules cover: iptables-save and `table ip` are IPv4 only, IPVS holds both. */
	families?: readonly Family[];
}

export function joinServiceRules(model: RulesModel, services: readonly Service[], slices: readonly EndpointSlice[], o: JoinOptions): ServicesJoin {
	const families = new Set<Family>(o.families ?? (model.backend === 'ipvs' ? ['ipv4', 'ipv6'] : ['ipv4']));
	const index = new RulesIndex(model);
	const slicesOf = new Map<string, EndpointSlice[]>();
	for (const slice of slices) {
		if (slice.serviceName === null) continue;
		const k = `${slice.namespace}/${slice.serviceName}`;
		slicesOf.set(k, [...(slicesOf.get(k) ?? []), slice]);
	}

	const ports: ServicePortJoin[] = [];
	for (const service of services) {
		if (!proxied(service) || !service.clusterIPs.some(ip => families.has(familyOf(ip)))) continue;
		const own = slicesOf.get(`${service.namespace}/${service.name}`) ?? [];
		for (const port of service.ports) ports.push(joinPort(service, port, own, index, families, o.nodeName));
	}

	const problems = ports.flatMap(p => p.problems);
	for (const s of model.services) {
		if (index.claimed.has(s)) continue;
		const where = s.frontends[0] === undefined ? s.policyChains[0] ?? 'the rules' : `${s.frontends[0].ip ?? '*'}:${s.frontends[0].port}`;
		const who = s.id === null ? where : `${label(s.id.namespace, s.id.name, s.id.port, s.protocol)} (${where})`;
		problems.push({
			kind: 'rules-without-service', service: who, endpoint: null,
			reason: `rules for ${who} match no Service port in the API`,
			hint: 'stale rules kube-proxy has not removed yet, or a Service the listing did not include',
		});
	}

	return {ports, problems};
}
