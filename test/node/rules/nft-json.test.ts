// `nft -j list table ip kube-proxy` → kube-proxy's Service rules, on what the kernel printed back
// for kube-proxy's own nftables test ruleset (SOURCES.md); and the same Services read from the
// iptables form of that test agree endpoint for endpoint.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {iptablesRulesModel} from '../../../source/node/rules/iptables-model.js';
import {parseIptablesSave} from '../../../source/node/rules/iptables-save.js';
import {parseNftJson} from '../../../source/node/rules/nft-json.js';
import {nftRulesModel} from '../../../source/node/rules/nft-model.js';
import type {RulesModel} from '../../../source/core/service-rules/types.js';
import {fixture, labIptablesSave} from './kube-proxy-fixtures.js';

function model(): RulesModel {
	const table = parseNftJson(fixture('lab-overall.nft.json'));
	assert.ok(table !== null);
	const m = nftRulesModel(table);
	assert.ok(m !== null);
	return m;
}

const named = (m: RulesModel, name: string) => m.services.find(s => s.id !== null && `${s.id.namespace}/${s.id.name}:${s.id.port}` === name)!;

test('service-ips → service chain → numgen → endpoint chain → dnat, with the rules as nft prints them', () => {
	const m = model();
	assert.equal(m.backend, 'nftables');
	assert.equal(m.masqueradeMark, '0x4000');
	const svc4 = named(m, 'ns4/svc4:p80');
	assert.deepEqual(svc4.policyChains, ['service-LAUZTJTB-ns4/svc4/tcp/p80']);
	assert.deepEqual(svc4.endpoints.map(e => `${e.ip}:${e.port} ${e.probability} ${e.chain}`), [
		'10.180.0.4:80 0.5 endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80',
		'10.180.0.5:80 0.5 endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80',
	]);
	assert.match(svc4.endpoints[0]!.rules[0]!.rule, /^numgen random mod 2 vmap \{ 0 : goto endpoint-UNZV3OEC-ns4\/svc4\/tcp\/p80__10\.180\.0\.4\/80, 1 : goto endpoint-5RFCDDV7-\S+ \} # handle \d+$/);
	assert.match(svc4.endpoints[0]!.rules.at(-1)!.rule, /^meta l4proto tcp dnat to 10\.180\.0\.4:80 # handle \d+$/);
	assert.match(svc4.masquerade[0]!.rule, /^ip daddr 172\.30\.0\.44 ip saddr != 10\.0\.0\.0\/8 jump mark-for-masquerade/);
	assert.deepEqual(svc4.frontends.map(f => `${f.kind} ${f.ip}:${f.port}`).sort(), ['clusterIP 172.30.0.44:80', 'externalOrLoadBalancerIP 192.168.99.33:80']);
});

test('NodePorts, affinity, and the no-endpoint maps', () => {
	const m = model();
	assert.deepEqual(named(m, 'ns3/svc3:p80').frontends.filter(f => f.kind === 'nodePort').map(f => `${f.port} ${f.target}`), ['3003 external-4AT6LBPK-ns3/svc3/tcp/p80']);
	assert.equal(named(m, 'ns5/svc5:p80').sessionAffinity, true);
	assert.equal(named(m, 'ns1/svc1:p80').sessionAffinity, false);
	const svc6 = named(m, 'ns6/svc6:p80');
	assert.deepEqual(svc6.rejects.map(r => `${r.chain}: ${r.rule}`), ['map no-endpoint-services: 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain']);
	assert.deepEqual(svc6.frontends.map(f => `${f.kind} ${f.target}`), ['clusterIP reject-chain']);
	// ns2's external IPs drop (Local policy, no local endpoint); they are not cluster IPs.
	assert.deepEqual(named(m, 'ns2/svc2:p80').frontends.filter(f => f.target === 'drop').map(f => `${f.kind} ${f.ip ?? '*'}:${f.port}`).sort(), ['externalOrLoadBalancerIP 1.2.3.4:80', 'externalOrLoadBalancerIP 192.168.99.22:80', 'nodePort *:3001']);
});

test('the nftables and iptables forms of kube-proxy\'s one test cluster give the same endpoints and cluster IPs', () => {
	const summary = (m: RulesModel) => m.services
		.map(s => `${s.id!.namespace}/${s.id!.name}:${s.id!.port} ${s.frontends.filter(f => f.kind === 'clusterIP').map(f => f.ip).join()} → ${s.endpoints.map(e => `${e.ip}:${e.port}@${e.probability}`).join(' ')} affinity=${s.sessionAffinity}`)
		.sort();
	const ipt = iptablesRulesModel(parseIptablesSave(labIptablesSave()))!;
	assert.deepEqual(summary(model()), summary(ipt));
});

test('not nft JSON, another table, a table without kube-proxy\'s maps', () => {
	assert.equal(parseNftJson('Error: No such file or directory'), null);
	assert.equal(parseNftJson('{"nftables": [{"table": {"family": "inet", "name": "filter", "handle": 1}}]}'), null);
	const bare = parseNftJson('{"nftables": [{"table": {"family": "ip", "name": "kube-proxy", "handle": 1}}, {"rule": {"family": "ip", "table": "kube-proxy", "chain": "x", "expr": "odd"}}]}');
	assert.ok(bare !== null);
	assert.equal(nftRulesModel(bare), null);
});
