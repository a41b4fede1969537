// iptables-save → kube-proxy's Service rules: output the kernel printed back for kube-proxy's own
// test ruleset (recorded in a namespace of our own), that ruleset as kube-proxy wrote it (other
// option order, unquoted comments), and real clusters' dumps from public issues (SOURCES.md).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {iptablesRulesModel} from '../../../source/node/rules/iptables-model.js';
import {parseIptablesSave} from '../../../source/node/rules/iptables-save.js';
import type {RulesModel} from '../../../source/core/service-rules/types.js';
import {syntheticRules} from '../../core/service-rules/synthetic-rules.js';
import {fixture, labIptablesSave} from './kube-proxy-fixtures.js';

function model(text: string, table = ''): RulesModel {
	const m = iptablesRulesModel(parseIptablesSave(text, table));
	assert.ok(m !== null, 'expected kube-proxy rules');
	return m;
}

function byName(m: RulesModel, name: string) {
	const s = m.services.find(x => x.id !== null && `${x.id.namespace}/${x.id.name}:${x.id.port}` === name);
	assert.ok(s, `no rules for ${name}`);
	return s;
}

test('the lab recording: ClusterIP → KUBE-SVC → KUBE-SEP → DNAT, with kube-proxy\'s hash as the key', () => {
	const m = model(labIptablesSave());
	assert.equal(m.backend, 'iptables');
	assert.equal(m.masqueradeMark, '0x4000');
	const svc1 = byName(m, 'ns1/svc1:p80');
	assert.equal(svc1.hash, 'XPGD46QRK7WJZT7O');
	assert.equal(svc1.protocol, 'TCP');
	assert.deepEqual(svc1.frontends.map(f => [f.kind, f.ip, f.port, f.target]), [['clusterIP', '172.30.0.41', 80, 'KUBE-SVC-XPGD46QRK7WJZT7O']]);
	assert.deepEqual(svc1.policyChains, ['KUBE-SVC-XPGD46QRK7WJZT7O']);
	assert.deepEqual(svc1.endpoints.map(e => [e.ip, e.port, e.chain, e.probability]), [['10.180.0.1', 80, 'KUBE-SEP-SXIVWICOYRO3J4NJ', 1]]);
	// The pick, the hairpin masquerade and the DNAT, each as iptables-save printed it.
	assert.deepEqual(svc1.endpoints[0]!.rules.map(r => `${r.table} ${r.rule}`), [
		'nat -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
		'nat -A KUBE-SEP-SXIVWICOYRO3J4NJ -s 10.180.0.1/32 -m comment --comment "ns1/svc1:p80" -j KUBE-MARK-MASQ',
		'nat -A KUBE-SEP-SXIVWICOYRO3J4NJ -p tcp -m comment --comment "ns1/svc1:p80" -m tcp -j DNAT --to-destination 10.180.0.1:80',
	]);
	assert.deepEqual(svc1.masquerade.map(r => r.chain), ['KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-SEP-SXIVWICOYRO3J4NJ']);
});

test('the lab recording: external, load-balancer and NodePort entries; two endpoints at one half each; affinity', () => {
	const m = model(labIptablesSave());
	const svc2 = byName(m, 'ns2/svc2:p80');
	assert.deepEqual(svc2.frontends.filter(f => f.target?.startsWith('KUBE-')).map(f => `${f.kind} ${f.ip ?? '*'}:${f.port}`), [
		'clusterIP 172.30.0.42:80', 'externalIP 192.168.99.22:80', 'loadBalancerIP 1.2.3.4:80', 'nodePort 127.0.0.0/8:3001', 'nodePort *:3001',
	]);
	// Local external policy and no endpoint on this node: DROP for outside traffic, in the filter table.
	assert.deepEqual(svc2.rejects.map(r => `${r.table} ${r.chain}`), ['filter KUBE-EXTERNAL-SERVICES', 'filter KUBE-EXTERNAL-SERVICES', 'filter KUBE-EXTERNAL-SERVICES']);
	const svc4 = byName(m, 'ns4/svc4:p80');
	assert.deepEqual(svc4.endpoints.map(e => `${e.ip} ${e.probability}`), ['10.180.0.4 0.5', '10.180.0.5 0.5']);
	const svc5 = byName(m, 'ns5/svc5:p80');
	assert.equal(svc5.sessionAffinity, true);
	assert.deepEqual(svc5.endpoints.map(e => e.chain), ['KUBE-SEP-I77PXRDZVX7PMWMN'], 'the recent rule before the pick is not a second endpoint');
	assert.equal(svc5.frontends.find(f => f.kind === 'loadBalancerIP')?.target, 'KUBE-FW-NUKIZ6OKUXPJNT4C');
});

test('a Service with no endpoints: only the filter table\'s REJECT, found by the hash of its comment', () => {
	const svc6 = byName(model(labIptablesSave()), 'ns6/svc6:p80');
	assert.deepEqual(svc6.endpoints, []);
	assert.deepEqual(svc6.rejects.map(r => r.rule), ['-A KUBE-SERVICES -d 172.30.0.46/32 -p tcp -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable']);
	assert.deepEqual(svc6.frontends.map(f => `${f.kind} ${f.ip}:${f.port} ${f.target}`), ['clusterIP 172.30.0.46:80 REJECT']);
});

test('kube-proxy\'s own restore input (other option order, bare comments) reads the same as the kernel\'s print-back', () => {
	const strip = (m: RulesModel) => m.services.map(s => ({id: s.id, hash: s.hash, frontends: s.frontends.map(f => [f.kind, f.ip, f.port, f.target]), endpoints: s.endpoints.map(e => [e.ip, e.port, e.chain, e.probability]), affinity: s.sessionAffinity, masq: s.masquerade.length, rejects: s.rejects.length}));
	const sort = (x: ReturnType<typeof strip>) => x.sort((a, b) => String(a.hash).localeCompare(String(b.hash)));
	assert.deepEqual(sort(strip(model(fixture('kube-proxy-overall.iptables-restore.txt')))), sort(strip(model(labIptablesSave()))));
});

test('legacy iptables 1.4 on a real cluster (kubernetes#61005): --set-xmark, a DNAT chain without a pick', () => {
	const m = model(fixture('issue-61005.iptables-save.txt'));
	assert.equal(m.masqueradeMark, '0x4000');
	// The paste stops before KUBE-SERVICES' rules: nothing names a Service, and nothing is made up.
	assert.deepEqual(m.services, []);
});

test('an older kube-proxy (kubernetes#47533): masquerade in KUBE-SERVICES, affinity, a pick whose chain is missing', () => {
	const m = model(fixture('issue-47533.iptables-save.txt'), 'nat');
	const api = byName(m, 'default/kubernetes:https');
	assert.equal(api.hash, 'NPX46M4PTMTKRN6Y');
	assert.deepEqual(api.masquerade.map(r => r.chain), ['KUBE-SERVICES']);
	assert.equal(api.sessionAffinity, true);
	// The paste has no KUBE-SEP-6FZLAPUAJM6OKK6A chain: the endpoint is unknown, not guessed.
	assert.deepEqual(api.endpoints, []);
	assert.deepEqual(api.unreadable.map(r => r.rule.split(' -j ')[1]), ['KUBE-SEP-6FZLAPUAJM6OKK6A']);
	const dns = byName(m, 'kube-system/kube-dns:dns');
	assert.equal(dns.protocol, 'UDP');
	assert.equal(dns.hash, 'TCOU7JCQXEZGVUNU');
});

test('three endpoints: statistic\'s 1/3, 1/2, rest become a third each', () => {
	const m = model(syntheticRules(1, 3).iptablesSave);
	const shares = m.services[0]!.endpoints.map(e => e.probability!);
	assert.equal(shares.length, 3);
	for (const p of shares) assert.ok(Math.abs(p - 1 / 3) < 1e-9, String(p));
});

test('no KUBE-SERVICES in nat: not kube-proxy\'s iptables mode', () => {
	assert.equal(iptablesRulesModel(parseIptablesSave('*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n')), null);
	assert.equal(iptablesRulesModel(parseIptablesSave('')), null);
});
