// `ipvsadm -Ln` as printed on real IPVS-mode clusters (this kernel has no IP_VS, so only public
// output: SOURCES.md) → virtual servers with their real servers.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ipvsRulesModel, parseIpvsadm} from '../../../source/node/rules/ipvsadm.js';
import {fixture} from './kube-proxy-fixtures.js';

test('virtual servers, schedulers, persistence and real servers (opsnull/follow-me-install-kubernetes-cluster#251)', () => {
	const servers = parseIpvsadm(fixture('opsnull-251.ipvsadm-Ln.txt'));
	assert.deepEqual(servers.map(v => `${v.protocol} ${v.ip}:${v.port} ${v.scheduler} ${v.persistent ?? '-'} ${v.reals.length}`), [
		'TCP 10.253.102.0:32429 rr - 4',
		'TCP 10.253.102.0:32767 rr - 1',
		'TCP 10.253.102.1:32767 rr - 1',
		'TCP 10.254.0.1:443 rr 10800 2',
		'TCP 10.254.0.2:53 rr - 2',
		'TCP 10.254.9.36:443 rr - 1',
		'TCP 10.254.20.57:1 rr - 3',
	]);
	assert.deepEqual(servers[3]!.reals[0], {ip: '172.16.16.81', port: 6443, forward: 'Masq', weight: 1, activeConnections: 0, inactiveConnections: 0, line: '  -> 172.16.16.81:6443            Masq    1      0          0'});
});

test('the model: one ServiceRules per virtual server, no names, persistence as affinity', () => {
	const m = ipvsRulesModel(parseIpvsadm(fixture('opsnull-251.ipvsadm-Ln.txt')));
	assert.equal(m.backend, 'ipvs');
	assert.equal(m.show, 'ipvsadm -Ln');
	const api = m.services.find(s => s.frontends[0]!.ip === '10.254.0.1')!;
	assert.equal(api.id, null);
	assert.equal(api.sessionAffinity, true);
	assert.deepEqual(api.endpoints.map(e => `${e.ip}:${e.port} ${e.probability}`), ['172.16.16.81:6443 null', '172.16.16.82:6443 null']);
	assert.deepEqual(api.frontends[0]!.rule, {table: 'ipvs', chain: 'TCP 10.254.0.1:443', rule: 'TCP  10.254.0.1:443 rr persistent 10800'});
});

test('without the version line (kubernetes/website#8652); lines ipvsadm prints with names (-L without -n) are left out', () => {
	assert.deepEqual(parseIpvsadm(fixture('website-8652.ipvsadm-ln.txt')).map(v => v.reals.map(r => r.port)), [[937, 937, 937]]);
	// As cloudnativelabs/kube-router#415 shows it: a name is not an address to check.
	assert.deepEqual(parseIpvsadm('TCP  ip-10-0-62-121.ec2.internal: rr\n  -> 100.96.5.4:9090              Masq    1      0          0\n'), []);
	assert.deepEqual(parseIpvsadm('TCP  [fd00:10:96::1]:443 rr\n  -> [fd00:10:244::5]:6443      Masq    1      3          1\n')[0]!.reals.map(r => `${r.ip} ${r.port} ${r.activeConnections}`), ['fd00:10:244::5 6443 3']);
});
