// The spec's rules outside the selectors (self, the pod's own node, hostNetwork pods), endpoints
// that are not pods, and what a result says: the deciding policies and rules, and every reason.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {compilePolicies} from '../../../source/core/policy/compile-policies.js';
import {evaluateConnection} from '../../../source/core/policy/evaluate-connection.js';
import {truthTable} from '../../../source/core/policy/truth-table.js';
import type {Endpoint, PolicyPod} from '../../../source/core/policy/types.js';
import {NODE, NODE_IP, namespaces, peer, pods, policy, rule, sel, tcp, worldPod} from './netpol-world.js';

const pod = (ns: string, name: string): Endpoint => ({kind: 'pod', pod: pods.find(p => p.namespace === ns && p.name === name)!});
const denyAllX = policy('x', 'deny-all', {policyTypes: ['Ingress', 'Egress']});

test('an allow names the policy and the rule; decidedBy carries both directions', () => {
	const toB = policy('x', 'a-to-b', {podSelector: sel({pod: 'a'}), policyTypes: ['Egress'], egress: [rule([peer({podSelector: sel({pod: 'c'})}), peer({podSelector: sel({pod: 'b'})})])]});
	const intoB = policy('x', 'b-from-a', {podSelector: sel({pod: 'b'}), ingress: [rule([], [tcp(443)]), rule([peer({podSelector: sel({pod: 'a'})})], [tcp(80)]), rule([], [tcp(80, 81)])]});
	const r = evaluateConnection(compilePolicies([toB, intoB], namespaces, pods), pod('x', 'a'), pod('x', 'b'), 80, 'TCP');
	assert.equal(r.verdict, 'allowed');
	assert.equal(r.egress.basis, 'rule');
	assert.equal(r.egress.reason, 'allowed by x/a-to-b egress rule 0');
	assert.equal(r.ingress.reason, 'allowed by x/b-from-a ingress rule 1, x/b-from-a ingress rule 2');
	assert.deepEqual(r.decidedBy, [
		{namespace: 'x', name: 'a-to-b', direction: 'egress', rule: 0},
		{namespace: 'x', name: 'b-from-a', direction: 'ingress', rule: 1},
		{namespace: 'x', name: 'b-from-a', direction: 'ingress', rule: 2},
	]);
});

test('a deny lists every policy that isolates the pod, and why each of its rules misses', () => {
	const fromY = policy('x', 'from-y', {ingress: [rule([peer({namespaceSelector: sel({ns: 'y'})})])]});
	const web = policy('x', 'web', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({podSelector: sel({pod: 'b'})}), peer({ipBlock: {cidr: '10.244.2.0/24', except: ['10.244.2.10/32']}})], [tcp(443), tcp('http')])]});
	const otherPod = policy('x', 'only-b', {podSelector: sel({pod: 'b'})});
	const r = evaluateConnection(compilePolicies([fromY, web, otherPod, denyAllX], namespaces, pods), pod('z', 'a'), pod('x', 'a'), 81, 'TCP');
	assert.equal(r.verdict, 'denied');
	assert.equal(r.egress.basis, 'not-isolated');
	assert.equal(r.egress.reason, 'no policy selects z/a for egress');
	assert.equal(r.ingress.basis, 'no-rule');
	assert.equal(r.ingress.reason, 'x/a is isolated for ingress by x/from-y, x/web, x/deny-all, and no rule of theirs allows z/a on 81/TCP');
	assert.deepEqual(r.ingress.isolatedBy, [
		{namespace: 'x', name: 'from-y', rules: [{rule: 0, peer: 'namespace z (kubernetes.io/metadata.name=z,ns=z) does not match namespaceSelector ns=y', port: null, unknown: false}]},
		{
			namespace: 'x',
			name: 'web',
			rules: [{
				rule: 0,
				peer: 'z/a is not in the policy\'s namespace x (the peer has no namespaceSelector); 10.244.2.10 is in 10.244.2.0/24 but also in its except list',
				port: 'port 81/TCP is not one of 443/TCP, http/TCP (named) (x/a\'s http is 80/TCP)',
				unknown: false,
			}],
		},
		{namespace: 'x', name: 'deny-all', rules: []},
	]);
	assert.deepEqual(r.decidedBy, ['from-y', 'web', 'deny-all'].map(name => ({namespace: 'x', name, direction: 'ingress', rule: null})));
});

test('a pod always reaches itself, even when isolated both ways', () => {
	const r = evaluateConnection(compilePolicies([denyAllX], namespaces, pods), pod('x', 'a'), pod('x', 'a'), 80, 'TCP');
	assert.equal(r.verdict, 'allowed');
	assert.deepEqual([r.egress.basis, r.ingress.basis], ['same-pod', 'same-pod']);
	assert.equal(r.ingress.reason, 'a pod can always reach itself');
});

test('traffic between a pod and its own node always passes; another node needs an ipBlock', () => {
	const own: Endpoint = {kind: 'node', name: NODE, ips: [NODE_IP]};
	const other: Endpoint = {kind: 'node', name: 'node-2', ips: ['192.168.1.2']};
	const model = compilePolicies([denyAllX], namespaces, pods);
	const fromOwn = evaluateConnection(model, own, pod('x', 'a'), 80, 'TCP');
	assert.equal(fromOwn.verdict, 'allowed');
	assert.equal(fromOwn.egress.reason, 'node node-1 is not a pod: no policy governs its egress');
	assert.equal(fromOwn.ingress.reason, 'node node-1 is x/a\'s own node: traffic between a pod and its node is always allowed');
	assert.equal(evaluateConnection(model, pod('x', 'a'), own, 80, 'TCP').verdict, 'allowed');
	assert.equal(evaluateConnection(model, other, pod('x', 'a'), 80, 'TCP').verdict, 'denied');
	const nodes = policy('x', 'from-nodes', {ingress: [rule([peer({ipBlock: {cidr: '192.168.1.0/24', except: []}})])]});
	assert.equal(evaluateConnection(compilePolicies([denyAllX, nodes], namespaces, pods), other, pod('x', 'a'), 80, 'TCP').verdict, 'allowed');
});

test('hostNetwork pods: no policy selects them, selectors do not take them, their traffic is the node\'s', () => {
	const host: PolicyPod = {...worldPod('x', 'a'), name: 'host', labels: {pod: 'host'}, hostNetwork: true, ips: [NODE_IP]};
	const far: PolicyPod = {...worldPod('x', 'b'), name: 'far', labels: {pod: 'far'}, nodeName: 'node-2', ips: ['10.244.9.9']};
	const world = [...pods, host, far];
	const sameNs = policy('x', 'same-ns', {policyTypes: ['Ingress', 'Egress'], ingress: [rule([peer({podSelector: sel()})])], egress: [rule([peer({podSelector: sel()})])]});
	const model = compilePolicies([sameNs], namespaces, world);
	const h: Endpoint = {kind: 'pod', pod: host};
	const f: Endpoint = {kind: 'pod', pod: far};
	// Not selected: its own directions are open even to z.
	const out = evaluateConnection(model, h, pod('z', 'a'), 80, 'TCP');
	assert.equal(out.egress.basis, 'host-network');
	assert.equal(out.egress.reason, 'x/host uses the host network: policies do not select it');
	// x/a is on host's node: the node rule lets it through both ways.
	const toA = evaluateConnection(model, h, pod('x', 'a'), 80, 'TCP');
	assert.equal(toA.ingress.basis, 'own-node');
	assert.equal(toA.ingress.reason, 'x/host is on the host network of x/a\'s own node: traffic between a pod and its node is always allowed');
	assert.equal(evaluateConnection(model, pod('x', 'a'), h, 80, 'TCP').egress.basis, 'own-node');
	// From another node, podSelector {} in its own namespace does not take it, whether or not it
	// was compiled with the model.
	for (const m of [model, compilePolicies([sameNs], namespaces, [...pods, far])]) {
		const r = evaluateConnection(m, h, f, 80, 'TCP');
		assert.equal(r.verdict, 'denied');
		assert.equal(r.ingress.isolatedBy[0]!.rules[0]!.peer, 'x/host uses the host network, so selectors do not take it (its traffic is the node\'s; an ipBlock would)');
	}

	const byIp = policy('x', 'node-ip', {ingress: [rule([peer({ipBlock: {cidr: `${NODE_IP}/32`, except: []}})])]});
	assert.equal(evaluateConnection(compilePolicies([sameNs, byIp], namespaces, world), h, f, 80, 'TCP').verdict, 'allowed');
});

test('an external IP: only an ipBlock takes it, with its except; it has no named ports', () => {
	const out = policy('x', 'internet', {
		podSelector: sel({pod: 'a'}),
		policyTypes: ['Egress'],
		egress: [rule([peer({ipBlock: {cidr: '0.0.0.0/0', except: ['10.0.0.0/8']}})], [tcp(443)]), rule([peer({namespaceSelector: sel()})], [tcp('http')])],
	});
	const model = compilePolicies([out], namespaces, pods);
	const web: Endpoint = {kind: 'ip', ip: '203.0.113.9'};
	assert.equal(evaluateConnection(model, pod('x', 'a'), web, 443, 'TCP').verdict, 'allowed');
	const inside = evaluateConnection(model, pod('x', 'a'), {kind: 'ip', ip: '10.1.2.3'}, 443, 'TCP');
	assert.equal(inside.verdict, 'denied');
	assert.deepEqual(inside.egress.isolatedBy[0]!.rules.map(m => m.peer), [
		'10.1.2.3 is in 0.0.0.0/0 but also in its except list',
		'10.1.2.3 is not a pod, and pod/namespace selectors take only pods (an ipBlock would)',
	]);
	const named = evaluateConnection(model, pod('x', 'a'), web, 80, 'TCP');
	assert.equal(named.egress.isolatedBy[0]!.rules[1]!.port, 'port 80/TCP is not one of http/TCP (named) (203.0.113.9 is not a pod policies select, so it has no named port http)');
	// Towards a pod, ingress of an IP endpoint is not governed.
	assert.equal(evaluateConnection(model, pod('x', 'a'), web, 443, 'TCP').ingress.basis, 'not-a-pod');
});

test('dual-stack: an IPv6 ipBlock takes a pod by its IPv6 address, and an IPv4 block ignores it', () => {
	const dual: PolicyPod = {...worldPod('y', 'a'), ips: ['10.244.1.10', 'fd00:10:244:1::a']};
	const world = [...pods.filter(p => !(p.namespace === 'y' && p.name === 'a')), dual];
	const v6 = policy('x', 'from-v6', {ingress: [rule([peer({ipBlock: {cidr: 'fd00:10:244:1::/64', except: ['fd00:10:244:1::b/128']}})])]});
	const model = compilePolicies([v6], namespaces, world);
	const into = (from: PolicyPod) => evaluateConnection(model, {kind: 'pod', pod: from}, pod('x', 'a'), 80, 'TCP');
	assert.equal(into(dual).verdict, 'allowed');
	const excepted = into({...worldPod('y', 'b'), ips: ['fd00:10:244:1::b']});
	assert.equal(excepted.verdict, 'denied');
	assert.equal(excepted.ingress.isolatedBy[0]!.rules[0]!.peer, 'fd00:10:244:1::b is in fd00:10:244:1::/64 but also in its except list');
	assert.equal(into(worldPod('y', 'c')).ingress.isolatedBy[0]!.rules[0]!.peer, '10.244.1.12 is not in ipBlock fd00:10:244:1::/64 except fd00:10:244:1::b/128');
});

test('unknown namespace labels: the result says unknown, and which rule depends on them', () => {
	const p = policy('x', 'from-red', {ingress: [rule([peer({namespaceSelector: sel({team: 'red'})})])]});
	const r = evaluateConnection(compilePolicies([p], null, pods), pod('y', 'a'), pod('x', 'a'), 80, 'TCP');
	assert.equal(r.verdict, 'unknown');
	assert.equal(r.ingress.reason, 'x/a is isolated for ingress by x/from-red; no rule surely allows y/a on 80/TCP: one depends on namespace labels that are unknown');
	assert.deepEqual(r.ingress.isolatedBy[0]!.rules, [{rule: 0, peer: 'namespaceSelector team=red: the namespaces\' labels are unknown (they could not be listed)', port: null, unknown: true}]);
	assert.deepEqual(r.decidedBy, [{namespace: 'x', name: 'from-red', direction: 'ingress', rule: null}]);
	// A deny in the other direction outranks the unknown.
	const denyOut = policy('y', 'deny-egress', {policyTypes: ['Egress']});
	assert.equal(evaluateConnection(compilePolicies([p, denyOut], null, pods), pod('y', 'a'), pod('x', 'a'), 80, 'TCP').verdict, 'denied');
});

test('a pod changed since compiling is matched as it is now, not as it was', () => {
	const p = policy('x', 'from-b', {podSelector: sel({pod: 'a'}), ingress: [rule([peer({podSelector: sel({pod: 'b'})})])]});
	const model = compilePolicies([p], namespaces, pods);
	const relabelled: Endpoint = {kind: 'pod', pod: {...pods[2]!, labels: {pod: 'b'}}};
	assert.equal(evaluateConnection(model, pod('x', 'c'), pod('x', 'a'), 80, 'TCP').verdict, 'denied');
	assert.equal(evaluateConnection(model, relabelled, pod('x', 'a'), 80, 'TCP').verdict, 'allowed');
	// The subject side too: x/a relabelled is no longer selected.
	const freed: Endpoint = {kind: 'pod', pod: {...pods[0]!, labels: {pod: 'free'}}};
	assert.equal(evaluateConnection(model, pod('x', 'c'), freed, 80, 'TCP').ingress.basis, 'not-isolated');
});

test('truthTable takes any endpoints, nodes and IPs included', () => {
	const model = compilePolicies([denyAllX], namespaces, pods);
	const ends: Endpoint[] = [pod('x', 'a'), {kind: 'node', name: NODE, ips: [NODE_IP]}, {kind: 'ip', ip: '203.0.113.9'}];
	const t = truthTable(model, 80, 'TCP', ends);
	assert.deepEqual(t.cells.map(row => row.map(c => c.verdict)), [
		['allowed', 'allowed', 'denied'],
		['allowed', 'allowed', 'allowed'],
		['denied', 'allowed', 'allowed'],
	]);
	assert.deepEqual(t.cells[0]![2]!.decidedBy, [{namespace: 'x', name: 'deny-all', direction: 'egress', rule: null}]);
});
