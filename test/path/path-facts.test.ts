// The facts script's argv: every value is validated and goes in as a positional parameter; the
// parser reads recorded output section by section.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {PATH_FACTS_SCRIPT, factsArgv} from '../../source/node/path-facts.js';
import {parsePathFacts} from '../../source/node/path-facts-parse.js';
import type {PathRecording} from './path-recording.js';

test('argv: script text fixed, values positional; a bad IP, netns path or interface name is refused', () => {
	const ok = factsArgv({pods: ['/run/netns/pod-a', '/proc/42/ns/net'], decisions: [{netnsPath: null, dst: '10.244.2.2', src: '10.244.0.2', iif: 'cni0'}]});
	assert.ok(ok.ok);
	assert.deepEqual(ok.value.slice(0, 4), ['sh', '-c', PATH_FACTS_SCRIPT, 'sh']);
	assert.deepEqual(ok.value.slice(4), ['-', '-', 'pod', '/run/netns/pod-a', 'pod', '/proc/42/ns/net', 'get', '-', '10.244.2.2', '10.244.0.2', 'cni0']);
	for (const request of [
		{pods: ['/run/netns/x;reboot'], decisions: []},
		{pods: ['/etc/passwd'], decisions: []},
		{pods: [], decisions: [{netnsPath: null, dst: '10.244.2.2; id', src: '10.244.0.2', iif: null}]},
		{pods: [], decisions: [{netnsPath: null, dst: '010.244.2.2', src: '10.244.0.2', iif: null}]},
		{pods: [], decisions: [{netnsPath: null, dst: '10.244.2.2', src: '10.244.0.2', iif: '-dev'}]},
		{pods: [], decisions: [{netnsPath: null, dst: '10.244.2.2', src: '10.244.0.2', iif: 'a b'}]},
		{flow: {proto: 'gre; id' as 'tcp', port: null}, pods: [], decisions: []},
		{flow: {proto: 'tcp' as const, port: 0}, pods: [], decisions: []},
	]) {
		const r = factsArgv(request);
		assert.equal(r.ok, false, JSON.stringify(request));
		assert.match(!r.ok ? r.reason : '', /^not a valid (IP|netns path|interface name|protocol|port): /);
	}

	const flow = factsArgv({flow: {proto: 'udp', port: 53}, pods: [], decisions: []});
	assert.deepEqual(flow.ok && flow.value.slice(4), ['udp', '53']);
});

test('parse: recorded stdout gives links, the VXLAN device, neigh, fdb with dst, rp_filter, nft and every decision', () => {
	const r = JSON.parse(readFileSync(new URL('../fixtures/path/lab-vxlan-3nodes.drop.path.json', import.meta.url), 'utf8')) as PathRecording;
	const near = r.nodes.find(n => n.name === r.from.node)!;
	const parsed = parsePathFacts(near.name, near.request, near.stdout);
	assert.ok(parsed.ok);
	const f = parsed.value;
	assert.deepEqual(f.vxlan.map(v => [v.ifname, v.vni, v.port, v.local, v.dev, v.learning]), [['flannel.1', 1, 8472, near.internalIPs[0], 'eth0', false]]);
	assert.ok(f.neighbours.some(n => n.dev === 'flannel.1' && n.state.includes('PERMANENT')));
	assert.ok(f.fdb.some(e => e.ifname === 'flannel.1' && e.dst !== null));
	assert.equal(f.rpFilter['all'], 0);
	assert.ok('eth0' in f.rpFilter);
	assert.deepEqual(f.dropRules?.map(d => [d.family, d.table, d.saddr, d.daddr]), [['inet', 'k8snet-lab-faults', [r.from.ip], []], ['inet', 'k8snet-lab-faults', [], [r.from.ip]]]);
	assert.equal(f.decisions.length, near.request.decisions.length);
	assert.ok(f.decisions.every(d => d.route !== null), JSON.stringify(f.decisions));
	assert.equal(f.pods.length, 1);
	assert.equal(f.pods[0]!.error, null);
	assert.ok(f.pods[0]!.links.some(l => l.ifname === 'eth0'));
});

test('parse: output without the addr section is an error value, an unreadable pod netns is kept as its reason', () => {
	assert.equal(parsePathFacts('n', {pods: [], decisions: []}, 'sh: ip: not found\n').ok, false);
	const r = parsePathFacts('n', {pods: ['/run/netns/gone'], decisions: []}, '\n@@addr\n[]\n\n@@pod\nnsenter: cannot open /run/netns/gone: No such file or directory\n\n@@end\n');
	assert.ok(r.ok);
	assert.match(r.value.pods[0]!.error!, /cannot open \/run\/netns\/gone/);
	assert.equal(r.value.dropRules, null);
});
