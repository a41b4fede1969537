// The policy agent's ruleset, pure: the evaluator's answers as nft set elements for one node.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {NetworkPolicy, PolicyPod} from '../../source/core/policy/types.js';
import {cutIntervals, renderNodeRules} from '../../source/lab/policy/agent-rules.js';

const all = {matchLabels: {}, matchExpressions: []};
const pod = (ns: string, name: string, ip: string, node: string): PolicyPod => ({namespace: ns, name, labels: {pod: name}, nodeName: node, hostNetwork: false, ips: [ip], ports: [{name: 'alt', port: 81, protocol: 'TCP'}]});
const namespaces = ['x', 'y'].map(name => ({name, labels: {'kubernetes.io/metadata.name': name}}));
const pods = [pod('x', 'a', '10.244.0.2', 'n1'), pod('x', 'b', '10.244.1.2', 'n2'), pod('y', 'a', '10.244.0.3', 'n1')];
const fromY: NetworkPolicy = {
	namespace: 'x',
	name: 'from-y',
	podSelector: all,
	policyTypes: null,
	ingress: [
		{peers: [{podSelector: null, namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': 'y'}, matchExpressions: []}, ipBlock: null}], ports: [{protocol: 'TCP', port: 'alt', endPort: null}]},
		{peers: [{podSelector: null, namespaceSelector: null, ipBlock: {cidr: '192.168.0.0/16', except: ['192.168.1.0/24']}}], ports: [{protocol: 'UDP', port: 80, endPort: 90}]},
	],
	egress: [],
};

test('intervals are cut at every breakpoint and cover min..max', () => {
	assert.deepEqual(cutIntervals([81, 80, 82, 70_000], 1, 65_535), [{lo: 1, hi: 79}, {lo: 80, hi: 80}, {lo: 81, hi: 81}, {lo: 82, hi: 65_535}]);
	assert.deepEqual(cutIntervals([], 0, 9), [{lo: 0, hi: 9}]);
});

test('one node guards only its own isolated pods: named port resolved, ipBlock except cut out, nothing from the cluster but IPs', () => {
	const r = renderNodeRules({policies: [fromY], namespaces, pods, node: 'n1'});
	assert.equal(r.isolated, 1, 'x/a is isolated for ingress on n1; x/b is on n2, y/a is not selected');
	assert.match(r.text, /ip daddr 10\.244\.0\.2 jump in-0\n/);
	assert.doesNotMatch(r.text, /10\.244\.1\.2 jump/);
	assert.match(r.text, /set in-0-pods \{\n\t\ttype [^\n]+\n\t\telements = \{ 10\.244\.0\.3 \. tcp \. 81 \}\n/);
	assert.match(r.text, /elements = \{ 192\.168\.0\.0-192\.168\.0\.255 \. udp \. 80, 192\.168\.0\.0-192\.168\.0\.255 \. udp \. 81, 192\.168\.0\.0-192\.168\.0\.255 \. udp \. 82-90, 192\.168\.2\.0-192\.168\.255\.255 \. udp \. 80, 192\.168\.2\.0-192\.168\.255\.255 \. udp \. 81, 192\.168\.2\.0-192\.168\.255\.255 \. udp \. 82-90 \}/);
	assert.doesNotMatch(r.text, /from-y|\bx\/a\b/);
	const none = renderNodeRules({policies: [], namespaces, pods, node: 'n1'});
	assert.equal(none.isolated, 0);
	assert.doesNotMatch(none.text, /jump/);
});
