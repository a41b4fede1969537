// The path from a pod to a Service: the pod's own hops, then a `service` hop on its node, where
// kube-proxy's rules DNAT the ClusterIP (the rule chain walked, each rule as the command that shows
// it prints it), then on to the chosen endpoint (the one conntrack named after a probe, else the
// first ready one in the rules), or to each endpoint. The endpoints are the API's EndpointSlices
// joined with the rules, and every disagreement is a problem. Pure.
import {joinServiceRules, type ServicePortJoin} from '../service-rules/join-endpoints.js';
import type {EndpointSlice, RuleRef, RulesModel, Service, ServicePort, ServiceRules} from '../service-rules/types.js';
import {quoteArgument as quote} from '../shell-quote.js';
import type {PodPath} from '../types.js';
import {pathEnd, verdictOf} from './path-document.js';
import {fail, onNode, unsure, type PathNode, type Trail} from './path-trail.js';
import {checkMtu, walkPath, type ServiceLeg} from './path-walk.js';
import type {EndpointPath, PathDocument, PathHop, PathService, ServiceEndpointRow, ServiceProblemRow} from './types.js';

export interface ServiceQuery {
	service: Service;
	port: ServicePort;
	/** This Service's EndpointSlices. */
	slices: readonly EndpointSlice[];
	/** The endpoint pods as joined on their nodes, by "ns/name". */
	endpointPods: ReadonlyMap<string, PodPath>;
	/** "ip:port" the kernel chose (from conntrack after a probe); null: choose the first ready one. */
	chosen: string | null;
	allEndpoints: boolean;
}

const EMPTY: RulesModel = {backend: 'iptables', services: [], masqueradeMark: null, show: ''};
const key = (e: {ip: string; port: number}) => `${e.ip}:${e.port}`;

/** The command that prints a rule exactly as it is shown. */
const isIptables = (rule: RuleRef) => rule.table === 'nat' || rule.table === 'filter';
const showCommand = (rule: RuleRef) => (isIptables(rule) ? `iptables-save -t ${rule.table}` : `nft -a list table ${rule.table}`);

/** The rules a packet to clusterIP:port meets, for every endpoint (or the reject), in order, each once. */
function walkedRules(rules: ServiceRules | undefined, clusterIP: string, port: number, only: string | null): RuleRef[] {
	if (rules === undefined) return [];
	const out: RuleRef[] = [];
	const seen = new Set<string>();
	const add = (r: RuleRef) => {
		const k = `${r.table}\n${r.chain}\n${r.rule}`;
		if (!seen.has(k)) {
			seen.add(k);
			out.push(r);
		}
	};

	for (const f of rules.frontends) if (f.kind === 'clusterIP' && f.ip === clusterIP && f.port === port) add(f.rule);
	// KUBE-MARK-MASQ in the policy chain is met on the way to every endpoint; an endpoint's own comes with it.
	for (const r of rules.masquerade) if (rules.policyChains.includes(r.chain)) add(r);
	for (const e of rules.endpoints) if (only === null || key(e) === only) e.rules.forEach(add);
	for (const r of rules.rejects) add(r);
	return out;
}

function problemRows(join: ServicePortJoin, mode: NonNullable<NonNullable<PathNode['facts']>['serviceRules']>['mode'] | null): ServiceProblemRow[] {
	const rows: ServiceProblemRow[] = join.problems.map(p => ({kind: p.kind, endpoint: p.endpoint, reason: p.reason, hint: p.hint}));
	if (mode === null || mode.mode === 'iptables' || mode.mode === 'nftables') return rows;
	// No rules to read: the mode says why, in place of a bare "no rules".
	const rest = rows.filter(r => r.kind !== 'no-rules');
	if (mode.mode === 'cilium') return [...rest, {kind: 'kube-proxy-replaced', endpoint: null, reason: `kube-proxy is replaced: ${mode.evidence.join('; ')}`, hint: `Cilium's service map: ${mode.commands.join(' | ')}`}];
	if (mode.mode === 'unknown') return [...rest, {kind: 'rules-unread', endpoint: null, reason: mode.reason, hint: mode.hint}];
	if (mode.mode === 'none') return [...rest, {kind: 'no-proxy', endpoint: null, reason: mode.evidence.join('; '), hint: mode.hint}];
	return [...rest, {kind: 'rules-unread', endpoint: null, reason: `${mode.mode} mode: its virtual servers are not read by path yet (${mode.evidence.join('; ')})`, hint: 'ipvsadm -Ln -t CLUSTERIP:PORT on the node shows them'}];
}

/** The endpoint the hops go to, and why that one. */
function choose(endpoints: readonly ServiceEndpointRow[], chosen: string | null): {endpoint: ServiceEndpointRow | null; why: string} {
	const named = chosen === null ? undefined : endpoints.find(e => key(e) === chosen);
	if (named) return {endpoint: named, why: 'the endpoint the kernel chose for the probe (its conntrack entry)'};
	const first = endpoints.find(e => e.ready === true && e.inRules) ?? endpoints.find(e => e.ready === true);
	const why = chosen === null ? 'the first ready endpoint: the kernel picks one at random per connection (--probe asks it which)' : `the probe's endpoint ${chosen} is not one of the Service's; the first ready one instead`;
	return {endpoint: first ?? null, why: first ? why : 'no ready endpoint'};
}

function serviceHop(node: PathNode, doc: PathService, rules: readonly RuleRef[], usable: boolean, hasRules: boolean, to: ServiceEndpointRow | null): ServiceLeg['hop'] {
	return (t: Trail) => {
		const hop: PathHop = {node: node.name, kind: 'service', ifname: null, ifindex: null, state: doc.proxyMode, mtu: null, counters: null, ok: true, problem: null, evidence: []};
		t.hops.push(hop);
		// iptables-save's line names its chain; nft prints a rule inside its chain (or a map element inside its map).
		for (const r of rules) hop.evidence.push({command: onNode(node, showCommand(r)), expect: isIptables(r) ? r.rule : `${r.chain}: ${r.rule}`});
		hop.evidence.push({command: `kubectl get endpointslices -n ${quote(doc.namespace)} -l kubernetes.io/service-name=${quote(doc.name)} -o wide`, expect: doc.endpoints.map(e => `${key(e)}${e.ready === true ? '' : e.ready === false ? ' (not ready)' : ' (gone)'}`).join(', ') || 'no endpoints'});
		const target = `${doc.clusterIP}:${doc.port}/${doc.protocol}`;
		if (!usable) {
			const reject = rules.find(r => /REJECT|reject|no-endpoint/.test(`${r.rule} ${r.chain}`));
			fail(t, hop, `${doc.namespace}/${doc.name} has no ready endpoints: ${reject ? `the rules reject ${target} (${reject.chain})` : `nothing serves ${target}`}`);
			return false;
		}

		if (!hasRules) {
			const why = doc.problems.find(p => p.kind === 'kube-proxy-replaced' || p.kind === 'rules-unread' || p.kind === 'no-proxy' || p.kind === 'no-rules');
			unsure(t, hop, `the DNAT of ${target} on ${node.name} is not known: ${why?.reason ?? 'no rules read'}`);
			return true;
		}

		if (to !== null && to.ready !== true) {
			fail(t, hop, `the rules send this connection to ${key(to)}, which is ${to.ready === false ? 'not ready' : 'gone from the API'}: stale rules (${doc.problems.find(p => p.endpoint === key(to))?.hint ?? 'kube-proxy has not synced'})`);
			return true;
		}

		const others = doc.problems.filter(p => p.kind !== 'no-rules');
		if (others.length > 0) {
			// Some connections may still work: a warning on the hop, the verdict follows the chosen endpoint.
			hop.ok = false;
			hop.problem = `warning: ${others.map(p => p.reason).join('; ')}`;
		}

		return true;
	};
}

/** A pod reaching itself through its Service leaves and re-enters by its own bridge port: only hairpin lets it. */
function checkHairpin(t: Trail, from: PodPath, nodes: ReadonlyMap<string, PathNode>): void {
	const node = from.node === null ? undefined : nodes.get(from.node);
	const veth = from.peer?.ifname;
	const hop = [...t.hops].reverse().find(h => h.kind === 'host-veth' && h.ifname === veth);
	if (!node?.facts || !veth || !hop || from.bridge === null) return;
	const port = node.facts.bridgePorts.find(p => p.ifname === veth);
	hop.evidence.push({command: onNode(node, `bridge -d link show dev ${quote(veth)}`), expect: `... hairpin ${port?.hairpin === true ? 'on' : port?.hairpin === false ? 'off' : '?'}`});
	if (port?.hairpin === false) fail(t, hop, `hairpin is off on ${veth}: ${from.namespace}/${from.name} is its own endpoint, and the bridge never sends a frame back out of the port it came in by (bridge link set dev ${veth} hairpin on)`);
	else if (port?.hairpin == null) unsure(t, hop, `${from.namespace}/${from.name} is its own endpoint, and ${veth}'s hairpin mode was not read`);
}

function endpointTrails(from: PodPath, e: ServiceEndpointRow, q: ServiceQuery, nodes: ReadonlyMap<string, PathNode>, leg: ServiceLeg): {pod: PodPath | null; forward: Trail; reverse: Trail | null} {
	const pod = e.pod === null ? null : q.endpointPods.get(e.pod) ?? null;
	const forward = walkPath(from, pod ? {pod} : {ip: e.ip}, nodes, leg);
	checkMtu(forward);
	const self = pod !== null && pod.uid === from.uid;
	if (self) checkHairpin(forward, from, nodes);
	// The reply is un-DNATed by conntrack on the way back; to the pod itself it is the same hairpin.
	const reverse = pod === null || self ? null : walkPath(pod, {pod: from}, nodes);
	if (reverse) checkMtu(reverse);
	return {pod, forward, reverse};
}

export function buildServicePathDocument(from: PodPath, q: ServiceQuery, nodes: ReadonlyMap<string, PathNode>): PathDocument {
	const dnat = from.node === null ? undefined : nodes.get(from.node);
	const facts = dnat?.facts?.serviceRules ?? null;
	const join = joinServiceRules(facts?.model ?? EMPTY, [q.service], q.slices, {nodeName: from.node}).ports.find(p => p.port.name === q.port.name && p.port.protocol === q.port.protocol);
	const clusterIP = join?.clusterIP ?? q.service.clusterIPs[0] ?? '';
	const endpoints: ServiceEndpointRow[] = (join?.endpoints ?? []).map(e => ({...e, inRules: facts?.model ? e.inRules : false}));
	const portRules = join?.rules[0];
	const {endpoint: chosen, why} = choose(endpoints, q.chosen);
	const service: PathService = {
		namespace: q.service.namespace,
		name: q.service.name,
		clusterIP,
		port: q.port.port,
		protocol: q.port.protocol,
		proxyMode: facts?.mode.mode ?? 'unknown',
		endpoints,
		rules: walkedRules(portRules, clusterIP, q.port.port, null),
		problems: join ? problemRows(join, facts?.mode ?? null) : [],
		chosen: {endpoint: chosen ? key(chosen) : null, why},
	};
	const hasRules = facts?.model != null && portRules !== undefined;
	// No endpoint the kernel would pick: the rules (or, unread, the API) say nothing serves it.
	const usable = hasRules ? (portRules.endpoints.length > 0 && endpoints.some(e => e.inRules && e.ready !== null)) : endpoints.some(e => e.ready === true);
	const legFor = (to: ServiceEndpointRow | null): ServiceLeg => ({dst: clusterIP, hop: serviceHop(dnat!, service, walkedRules(portRules, clusterIP, q.port.port, to && key(to)), usable, hasRules, to)});

	if (!dnat?.facts || chosen === null || !usable) {
		const t = dnat?.facts ? walkPath(from, {ip: clusterIP}, nodes, legFor(null)) : walkPath(from, {ip: clusterIP}, nodes);
		return {from: pathEnd(from), to: {ip: clusterIP}, verdict: verdictOf([t]), hops: t.hops, reverse: {hops: []}, service};
	}

	const main = endpointTrails(from, chosen, q, nodes, legFor(chosen));
	const doc: PathDocument = {
		from: pathEnd(from),
		to: main.pod ? pathEnd(main.pod) : {ip: chosen.ip},
		verdict: verdictOf(main.reverse ? [main.forward, main.reverse] : [main.forward]),
		hops: main.forward.hops,
		reverse: {hops: main.reverse?.hops ?? []},
		service,
	};
	if (q.allEndpoints) {
		doc.paths = endpoints.map((e): EndpointPath => {
			const r = e === chosen ? main : endpointTrails(from, e, q, nodes, legFor(e));
			return {endpoint: {ip: e.ip, port: e.port, pod: e.pod}, verdict: verdictOf(r.reverse ? [r.forward, r.reverse] : [r.forward]), hops: r.forward.hops, reverse: {hops: r.reverse?.hops ?? []}};
		});
	}

	return doc;
}
