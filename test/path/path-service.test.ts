// The Service hop on facts recorded from the lab (test/fixtures/path/lab-vxlan-3nodes.cross), with
// kube-proxy's rules as iptables-save prints them given to FROM's node: where the hop sits, the
// rules it names, no endpoints, a replaced kube-proxy, hairpin off; and how TO is read as a Service.
// Pure.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseServiceRef} from '../../source/commands/path-service.js';
import {pickPort} from '../../source/app/service-lookup.js';
import {buildServicePathDocument, type ServiceQuery} from '../../source/core/path/path-service.js';
import type {PathNode} from '../../source/core/path/path-trail.js';
import type {EndpointSlice, Service} from '../../source/core/service-rules/types.js';
import type {PodPath} from '../../source/core/types.js';
import {parseServiceRules} from '../../source/node/service-facts.js';
import {nodesOf, type PathRecording} from './path-recording.js';

const r = JSON.parse(readFileSync(new URL('../fixtures/path/lab-vxlan-3nodes.cross.path.json', import.meta.url), 'utf8')) as PathRecording;
const from = r.from;
const to = (r.target as {pod: PodPath}).pod;

const service: Service = {
	namespace: 'default', name: 'web', type: 'ClusterIP', clusterIPs: ['10.96.0.10'],
	ports: [{name: 'http', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: null}],
	externalIPs: [], loadBalancerIPs: [], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster',
};

function slice(pod: PodPath, ready: boolean): EndpointSlice {
	return {
		namespace: 'default', name: 'web-x', serviceName: 'web', addressType: 'IPv4', ports: [{name: 'http', port: 80, protocol: 'TCP'}],
		endpoints: [{addresses: [pod.ip!], ready, serving: ready, terminating: false, nodeName: pod.node, targetRef: {kind: 'Pod', namespace: pod.namespace, name: pod.name}}],
	};
}

/** kube-proxy's nat rules for default/web:http with one endpoint, as iptables-save prints them. */
function natDump(endpoint: string | null): string {
	const svc = 'KUBE-SVC-ABCDEFGHIJKLMNOP';
	const sep = 'KUBE-SEP-QRSTUVWXYZ234567';
	return [
		'*nat', ':KUBE-SERVICES - [0:0]', `:${svc} - [0:0]`, ...(endpoint ? [`:${sep} - [0:0]`] : []), ':KUBE-MARK-MASQ - [0:0]',
		`-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 8080 -j ${svc}`,
		`-A ${svc} ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 8080 -j KUBE-MARK-MASQ`,
		...(endpoint ? [`-A ${svc} -m comment --comment "default/web:http -> ${endpoint}:80" -j ${sep}`, `-A ${sep} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination ${endpoint}:80`] : []),
		'COMMIT', '',
	].join('\n');
}

const FILTER_REJECT = ['*filter', ':KUBE-SERVICES - [0:0]', '-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m comment --comment "default/web:http has no endpoints" -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable', 'COMMIT', ''].join('\n');

/** The recording's nodes, FROM's with the given rules and its pod's route to the ClusterIP (as to TO's IP: via the gateway). */
function nodes(sections: {nat: string; filter?: string; nft?: string; links?: string[]}): Map<string, PathNode> {
	const all = nodesOf(r);
	const facts = all.get(from.node!)!.facts!;
	facts.serviceRules = parseServiceRules({nat: sections.nat, filter: sections.filter ?? '', nft: sections.nft ?? '{"nftables": []}', links: sections.links ?? facts.links.map(l => l.ifname)});
	const own = facts.decisions.find(d => d.netnsPath === from.netns!.path && d.dst === to.ip)!;
	facts.decisions.push({...own, dst: '10.96.0.10'});
	return all;
}

const query = (endpoint: PodPath, ready = true): ServiceQuery => ({service, port: service.ports[0]!, slices: [slice(endpoint, ready)], endpointPods: new Map([[`${endpoint.namespace}/${endpoint.name}`, endpoint]]), chosen: null, allEndpoints: false});

test('the service hop sits on FROM\'s node after its bridge, names the rules as printed, and the path goes on to the endpoint', () => {
	const nat = natDump(to.ip);
	const doc = buildServicePathDocument(from, query(to), nodes({nat}));
	assert.equal(doc.verdict, 'reachable', JSON.stringify(doc.hops.filter(h => !h.ok)));
	assert.deepEqual(doc.hops.map(h => h.kind), ['pod-eth0', 'host-veth', 'bridge', 'service', 'route', 'vxlan', 'underlay', 'underlay', 'vxlan', 'route', 'bridge', 'host-veth', 'pod-eth0']);
	assert.equal(doc.hops[3]!.node, from.node);
	const printed = nat.split('\n');
	assert.deepEqual(doc.service!.rules.map(x => x.table), ['nat', 'nat', 'nat', 'nat']);
	for (const rule of doc.service!.rules) assert.ok(printed.includes(rule.rule), rule.rule);
	assert.ok(doc.hops[3]!.evidence.some(e => e.command.endsWith('iptables-save -t nat') && e.expect.includes(`--to-destination ${to.ip}:80`)));
	assert.deepEqual(doc.service!.endpoints, [{ip: to.ip, port: 80, pod: `default/${to.name}`, node: to.node, ready: true, inRules: true}]);
	assert.equal(doc.service!.proxyMode, 'iptables');
	assert.match(doc.service!.chosen.why, /first ready endpoint/);
	assert.deepEqual(doc.to, {namespace: to.namespace, name: to.name, ip: to.ip, node: to.node});
});

test('no ready endpoints: the rules REJECT, the service hop is broken and the walk stops there', () => {
	const doc = buildServicePathDocument(from, query(to, false), nodes({nat: natDump(null), filter: FILTER_REJECT}));
	assert.equal(doc.verdict, 'broken');
	assert.equal(doc.hops.at(-1)!.kind, 'service');
	assert.match(doc.hops.at(-1)!.problem!, /default\/web has no ready endpoints: the rules reject 10\.96\.0\.10:8080\/TCP \(KUBE-SERVICES\)/);
	assert.ok(doc.service!.rules.some(x => x.table === 'filter' && x.rule.includes('-j REJECT')));
});

test('kube-proxy replaced by Cilium: the hop is unknown, and the problem names Cilium\'s service map commands', () => {
	const doc = buildServicePathDocument(from, query(to), nodes({nat: '', links: ['lo', 'eth0', 'cilium_host', 'cilium_net']}));
	assert.equal(doc.service!.proxyMode, 'cilium');
	const hop = doc.hops.find(h => h.kind === 'service')!;
	assert.match(hop.problem!, /^unknown: the DNAT of 10\.96\.0\.10:8080\/TCP on k8snet-lab is not known: kube-proxy is replaced/);
	assert.equal(doc.verdict, 'unknown');
	assert.ok(doc.service!.problems.some(p => p.kind === 'kube-proxy-replaced' && p.hint.includes('cilium-dbg service list')));
	assert.ok(doc.service!.endpoints.every(e => !e.inRules), 'no rules were read, so none is in them');
});

test('a pod that is its own endpoint, with hairpin off on its bridge port: broken at its host veth', () => {
	const all = nodes({nat: natDump(from.ip)});
	const port = all.get(from.node!)!.facts!.bridgePorts.find(p => p.ifname === from.peer!.ifname)!;
	port.hairpin = false;
	const doc = buildServicePathDocument(from, query(from), all);
	assert.equal(doc.verdict, 'broken');
	const last = doc.hops.filter(h => h.kind === 'host-veth').at(-1)!;
	assert.match(last.problem!, new RegExp(`hairpin is off on ${from.peer!.ifname}: default/nginx-1 is its own endpoint`));
	assert.deepEqual(doc.reverse.hops, []);
	port.hairpin = true;
	assert.doesNotMatch(JSON.stringify(buildServicePathDocument(from, query(from), all).hops.map(h => h.problem)), /hairpin/);
});

test('TO as a Service: svc/NS/NAME[:PORT], svc/NAME in -n\'s namespace, CLUSTERIP:PORT; bad forms say how', () => {
	assert.deepEqual(parseServiceRef('svc/default/web:8080', undefined), {ok: true, value: {kind: 'svc', namespace: 'default', name: 'web', port: 8080}});
	assert.deepEqual(parseServiceRef('svc/web:http', 'shop'), {ok: true, value: {kind: 'svc', namespace: 'shop', name: 'web', port: 'http'}});
	assert.deepEqual(parseServiceRef('svc/web', undefined), {ok: true, value: {kind: 'svc', namespace: 'default', name: 'web', port: null}});
	assert.deepEqual(parseServiceRef('10.96.0.10:53', undefined), {ok: true, value: {kind: 'ip', ip: '10.96.0.10', port: 53}});
	assert.deepEqual(parseServiceRef('[fd00::a]:80', undefined), {ok: true, value: {kind: 'ip', ip: 'fd00::a', port: 80}});
	assert.equal(parseServiceRef('default/nginx-1', undefined), null);
	assert.equal(parseServiceRef('10.96.0.10', undefined), null);
	for (const bad of ['svc/', 'svc/a/b/c', 'svc/Web', 'svc/web:0', 'svc/web:99999', 'svc/web:Bad_Port']) {
		const got = parseServiceRef(bad, undefined);
		assert.ok(got !== null && !got.ok && /is not svc\/NAMESPACE\/NAME\[:PORT\]/.test(got.reason) && got.hint.startsWith('e.g.'), bad);
	}

	assert.deepEqual(parseServiceRef('10.96.0.10:0', undefined), {ok: false, reason: '"10.96.0.10:0" is not IP:PORT', hint: 'e.g. 10.96.0.10:8080'});
});

test('the Service port: by number, by name, the only one; several or none say which there are', () => {
	const two: Service = {...service, ports: [service.ports[0]!, {name: 'dns', protocol: 'UDP', port: 53, targetPort: 53, nodePort: null}]};
	const only = pickPort(service, null, undefined);
	assert.ok(only.ok && only.value.port === 8080);
	const byName = pickPort(two, 'dns', undefined);
	assert.ok(byName.ok && byName.value.protocol === 'UDP');
	const udp = pickPort(two, null, 'udp');
	assert.ok(udp.ok && udp.value.port === 53);
	assert.deepEqual(pickPort(two, null, undefined), {ok: false, reason: 'svc/default/web has several ports (8080/TCP (http), 53/UDP (dns))', hint: 'name one: svc/default/web:8080'});
	assert.deepEqual(pickPort(service, 9999, undefined), {ok: false, reason: 'svc/default/web has no port 9999 (its ports: 8080/TCP (http))', hint: 'e.g. svc/default/web:8080'});
});
