// The policy on the path, pure: the verdict for one pair per port semantics (a port, every port,
// ICMP), pod → IP with ipBlocks, and what a deny does to the path's verdict when policy is
// enforced, not enforced, or nobody knows.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {pathPolicy, policyLine, unreadPolicy, withPolicy, type PathPolicyInput} from '../../source/core/path/path-policy.js';
import {pathTable} from '../../source/core/path/path-text.js';
import type {PathDocument, PathVerdict} from '../../source/core/path/types.js';
import type {Enforcement} from '../../source/core/policy-enforcement.js';
import type {Endpoint, NetworkPolicy} from '../../source/core/policy/types.js';
import {namespaces, NODE, NODE_IP, peer, policy, rule, sel, tcp, worldPod} from '../core/policy/netpol-world.js';

const ON: Enforcement = {enforced: true, enforcedReason: "the lab's policy agent enforces NetworkPolicy: DaemonSet kube-system/k8snet-lab-policy-agent runs"};
const OFF: Enforcement = {enforced: false, enforcedReason: 'the node\'s CNI is the bridge plugin, which does not enforce NetworkPolicy, and no known policy engine runs as a DaemonSet'};
const UNSURE: Enforcement = {enforced: null, enforcedReason: 'unsure: no known policy engine runs as a DaemonSet'};

const xa = worldPod('x', 'a');
const xb = worldPod('x', 'b');
const toPod = (pod = xb): Endpoint => ({kind: 'pod', pod});

function input(policies: NetworkPolicy[], o: Partial<PathPolicyInput> = {}): PathPolicyInput {
	return {policies, namespaces, from: xa, to: toPod(), flow: {proto: 'tcp', port: 80}, enforcement: ON, ...o};
}

function doc(verdict: PathVerdict = 'reachable'): PathDocument {
	return {
		from: {namespace: 'x', name: 'a', ip: xa.ips[0]!, node: NODE},
		to: {namespace: 'x', name: 'b', ip: xb.ips[0]!, node: NODE},
		verdict,
		hops: [],
		reverse: {hops: []},
	};
}

const denyIngress = policy('x', 'deny-all', {podSelector: sel(), policyTypes: ['Ingress']});

test('no policy: allowed both ways, no hop, the path as the kernel says', () => {
	const p = pathPolicy(input([]));
	assert.equal(p.verdict, 'allowed');
	assert.equal(p.egress?.basis, 'not-isolated');
	assert.equal(p.ingress?.basis, 'not-isolated');
	assert.equal(p.hop, null);
	assert.equal(p.evaluatedFor, '80/TCP');
	assert.equal(withPolicy(doc(), p).verdict, 'reachable');
});

test('deny-all ingress, enforced: denied, decided by the policy, the hop is x/b\'s ingress on its node, the path blocked', () => {
	const p = pathPolicy(input([denyIngress]));
	assert.equal(p.verdict, 'denied');
	assert.deepEqual(p.decidedBy, [{namespace: 'x', name: 'deny-all', direction: 'ingress', rule: null}]);
	assert.deepEqual(p.hop, {node: NODE, direction: 'ingress', pod: 'x/b'});
	assert.equal(p.egress?.verdict, 'allowed');
	assert.match(p.ingress?.reason ?? '', /x\/b is isolated for ingress by x\/deny-all/);
	const shown = withPolicy(doc(), p);
	assert.equal(shown.verdict, 'blocked');
	assert.equal(shown.policy?.note, null);
	assert.equal(shown.policy?.enforced, true);
});

test('a deny on a path the kernel already breaks: broken stays (the kernel fault comes first)', () => {
	assert.equal(withPolicy(doc('broken'), pathPolicy(input([denyIngress]))).verdict, 'broken');
});

test('deny, not enforced: the kernel\'s verdict stays, and the note says policy would deny but is not enforced', () => {
	const shown = withPolicy(doc(), pathPolicy(input([denyIngress], {enforcement: OFF})));
	assert.equal(shown.verdict, 'reachable');
	assert.equal(shown.policy?.verdict, 'denied');
	assert.equal(shown.policy?.enforced, false);
	assert.match(shown.policy?.note ?? '', /^policy would deny, but this CNI does not enforce NetworkPolicy \(the node's CNI is the bridge plugin/);
});

test('deny, enforcement unsure: both said, and a reachable walk becomes unknown', () => {
	const shown = withPolicy(doc(), pathPolicy(input([denyIngress], {enforcement: UNSURE})));
	assert.equal(shown.verdict, 'unknown');
	assert.equal(shown.policy?.enforced, null);
	assert.match(shown.policy?.note ?? '', /policy denies, and whether this cluster enforces NetworkPolicy is unknown \(unsure/);
});

test('egress denied: the hop is the source\'s egress', () => {
	const p = pathPolicy(input([policy('x', 'no-egress', {podSelector: sel({pod: 'a'}), policyTypes: ['Egress']})]));
	assert.equal(p.verdict, 'denied');
	assert.deepEqual(p.hop, {node: NODE, direction: 'egress', pod: 'x/a'});
	assert.deepEqual(p.decidedBy, [{namespace: 'x', name: 'no-egress', direction: 'egress', rule: null}]);
});

test('an allow names the policy and its rule', () => {
	const allow = policy('x', 'from-a', {podSelector: sel({pod: 'b'}), ingress: [rule([peer({podSelector: sel({pod: 'a'})})], [tcp(80)])]});
	const p = pathPolicy(input([denyIngress, allow]));
	assert.equal(p.verdict, 'allowed');
	assert.deepEqual(p.decidedBy, [{namespace: 'x', name: 'from-a', direction: 'ingress', rule: 0}]);
	assert.match(policyLine(p), /^policy: allowed for 80\/TCP: .*allowed by x\/from-a ingress rule 0/);
	// On another port the same rule does not take it.
	assert.equal(pathPolicy(input([denyIngress, allow], {flow: {proto: 'tcp', port: 81}})).verdict, 'denied');
});

test('no --port: evaluated for every TCP port; a rule on port 80 only does not count, and is named with a hint', () => {
	const allow = policy('x', 'web', {podSelector: sel({pod: 'b'}), ingress: [rule([], [tcp(80)])]});
	const p = pathPolicy(input([allow], {flow: {proto: null, port: null}}));
	assert.equal(p.port, null);
	assert.equal(p.protocol, 'TCP');
	assert.equal(p.evaluatedFor, 'every TCP port');
	assert.equal(p.verdict, 'denied');
	assert.deepEqual(p.portLimited, ['x/web ingress rule 0: 80/TCP']);
	assert.match(p.ingress?.reason ?? '', /no rule of it allows x\/a on every TCP port$/);
	assert.doesNotMatch(JSON.stringify(p), /\b0\/TCP/, 'the port 0 asked of the evaluator never shows');
	assert.match(p.ingress?.isolatedBy[0]?.rules[0]?.port ?? '', /it takes only 80\/TCP, and every TCP port was asked/);
	assert.match(policyLine(p), /on some ports only: x\/web ingress rule 0: 80\/TCP \(give --port\)/);
});

test('no --port: a rule that takes every TCP port (protocol, no port) allows every TCP port, not UDP', () => {
	const allow = policy('x', 'all-tcp', {podSelector: sel({pod: 'b'}), ingress: [rule([], [tcp(null)])]});
	assert.equal(pathPolicy(input([allow], {flow: {proto: 'tcp', port: null}})).verdict, 'allowed');
	assert.equal(pathPolicy(input([allow], {flow: {proto: 'udp', port: null}})).verdict, 'denied');
});

test('ICMP: only rules without ports take it; isolation from default policyTypes is kept', () => {
	const tcpOnly = policy('x', 'tcp-only', {podSelector: sel({pod: 'b'}), ingress: [rule([], [tcp(null)])]});
	const any = policy('x', 'any', {podSelector: sel({pod: 'b'}), ingress: [rule([peer({podSelector: sel({pod: 'a'})})])]});
	const icmp = {flow: {proto: 'icmp' as const, port: null}};
	assert.equal(pathPolicy(input([tcpOnly], icmp)).verdict, 'denied');
	assert.equal(pathPolicy(input([tcpOnly, any], icmp)).verdict, 'allowed');
	assert.match(pathPolicy(input([tcpOnly], icmp)).evaluatedFor, /^ICMP/);
	// Egress isolation by default (egress rules, no policyTypes) survives the rewrite: port-limited egress denies ICMP.
	const egressWeb = policy('x', 'egress-web', {podSelector: sel({pod: 'a'}), egress: [rule([], [tcp(80)])]});
	const p = pathPolicy(input([egressWeb], icmp));
	assert.equal(p.verdict, 'denied');
	assert.equal(p.hop?.direction, 'egress');
});

test('pod → IP: egress decided by ipBlock with except; no ingress side for a non-pod', () => {
	const out = policy('x', 'egress-net', {podSelector: sel({pod: 'a'}), policyTypes: ['Egress'], egress: [rule([peer({ipBlock: {cidr: '203.0.113.0/24', except: ['203.0.113.128/25']}})])]});
	const inside = pathPolicy(input([out], {to: {kind: 'ip', ip: '203.0.113.5'}}));
	assert.equal(inside.verdict, 'allowed');
	assert.equal(inside.ingress, null);
	assert.deepEqual(inside.decidedBy, [{namespace: 'x', name: 'egress-net', direction: 'egress', rule: 0}]);
	const excepted = pathPolicy(input([out], {to: {kind: 'ip', ip: '203.0.113.200'}}));
	assert.equal(excepted.verdict, 'denied');
	assert.match(JSON.stringify(excepted.egress?.isolatedBy), /also in its except list/);
	assert.equal(excepted.hop?.pod, 'x/a');
	// The pod's own node is always reachable, whatever egress says.
	assert.equal(pathPolicy(input([out], {to: {kind: 'node', name: NODE, ips: [NODE_IP]}})).egress?.basis, 'own-node');
});

test('unknown namespace labels: the verdict is unknown and a reachable path with it', () => {
	const fromY = policy('x', 'from-team', {podSelector: sel({pod: 'b'}), ingress: [rule([peer({namespaceSelector: sel({team: 'blue'})})])]});
	const p = pathPolicy(input([fromY], {from: worldPod('y', 'a'), namespaces: null}));
	assert.equal(p.verdict, 'unknown');
	assert.equal(withPolicy(doc(), p).verdict, 'unknown');
	assert.equal(withPolicy(doc(), {...p, enforced: false}).verdict, 'reachable');
});

test('policies that could not be read: unknown, and why', () => {
	const shown = withPolicy(doc(), unreadPolicy('networkpolicies is forbidden (ask for list on networkpolicies)', ON));
	assert.equal(shown.verdict, 'unknown');
	assert.match(policyLine(shown.policy!), /^policy: unknown: NetworkPolicies could not be read: networkpolicies is forbidden/);
});

test('the text output carries the policy line and its note', () => {
	const text = pathTable(withPolicy(doc(), pathPolicy(input([denyIngress], {enforcement: OFF}))));
	const lines = text.trimEnd().split('\n');
	assert.match(lines[0]!, /: reachable$/);
	assert.match(lines.at(-2)!, /^policy: denied for 80\/TCP, at ingress of x\/b on node-1: x\/b is isolated for ingress by x\/deny-all.*; enforced: false \(/);
	assert.match(lines.at(-1)!, /^ {2}policy would deny, but this CNI does not enforce NetworkPolicy/);
});
