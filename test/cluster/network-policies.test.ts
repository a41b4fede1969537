// NetworkPolicy objects as the API serves them → core's NetworkPolicy (absent and empty fields
// keep their different meanings), and the list calls for policies and namespace labels against a
// small API stand-in on loopback: a list, and the apiserver's 403 and 404 as one line each.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {listNamespaceLabels} from '../../source/cluster/namespaces.js';
import {listNetworkPolicies, toNetworkPolicy} from '../../source/cluster/network-policies.js';
import {notFound, startApiStandIn, type ApiStandIn} from './api-stand-in.js';

const webPolicy = {
	apiVersion: 'networking.k8s.io/v1',
	kind: 'NetworkPolicy',
	metadata: {name: 'web', namespace: 'shop', uid: 'p1', managedFields: [{manager: 'kubectl'}]},
	spec: {
		podSelector: {matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['db']}]},
		policyTypes: ['Ingress', 'Egress'],
		ingress: [
			{
				from: [
					{namespaceSelector: {matchLabels: {team: 'blue'}}, podSelector: {}},
					{ipBlock: {cidr: '10.0.0.0/8', except: ['10.1.0.0/16']}},
				],
				ports: [{port: 80}, {protocol: 'UDP', port: 'dns'}, {protocol: 'TCP', port: 8000, endPort: 8100}],
			},
			{},
		],
		egress: [{to: [], ports: [{protocol: 'SCTP'}]}],
	},
};

test('a policy: selectors, peers, ports and policyTypes as the API has them', () => {
	assert.deepEqual(toNetworkPolicy(webPolicy), {
		namespace: 'shop',
		name: 'web',
		podSelector: {matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['db']}]},
		policyTypes: ['Ingress', 'Egress'],
		ingress: [
			{
				peers: [
					{podSelector: {matchLabels: {}, matchExpressions: []}, namespaceSelector: {matchLabels: {team: 'blue'}, matchExpressions: []}, ipBlock: null},
					{podSelector: null, namespaceSelector: null, ipBlock: {cidr: '10.0.0.0/8', except: ['10.1.0.0/16']}},
				],
				ports: [
					{protocol: 'TCP', port: 80, endPort: null},
					{protocol: 'UDP', port: 'dns', endPort: null},
					{protocol: 'TCP', port: 8000, endPort: 8100},
				],
			},
			{peers: [], ports: []},
		],
		egress: [{peers: [], ports: [{protocol: 'SCTP', port: null, endPort: null}]}],
	});
});

test('absent fields: podSelector is {}, policyTypes stay absent (the evaluator applies the default), no rules', () => {
	const p = toNetworkPolicy({metadata: {name: 'deny', namespace: 'x'}, spec: {podSelector: {}}})!;
	assert.deepEqual(p, {namespace: 'x', name: 'deny', podSelector: {matchLabels: {}, matchExpressions: []}, policyTypes: null, ingress: [], egress: []});
	assert.deepEqual(toNetworkPolicy({metadata: {name: 'bare', namespace: 'x'}})?.podSelector, {matchLabels: {}, matchExpressions: []});
	assert.equal(toNetworkPolicy({kind: 'Status', code: 410}), null);
	assert.equal(toNetworkPolicy({metadata: {name: 'no-namespace'}}), null);
});

test('an operator the apiserver would reject selects nothing rather than everything', () => {
	const p = toNetworkPolicy({metadata: {name: 'odd', namespace: 'x'}, spec: {podSelector: {matchExpressions: [{key: 'app', operator: 'Gt', values: ['1']}]}}})!;
	assert.deepEqual(p.podSelector.matchExpressions, [{key: 'app', operator: 'In', values: []}]);
});

// ---- the list calls -------------------------------------------------------------------------------

let api: ApiStandIn;

function forbidden(resource: string, group: string): string {
	return JSON.stringify({
		kind: 'Status',
		apiVersion: 'v1',
		status: 'Failure',
		message: `${resource} is forbidden: User "jane" cannot list resource "${resource}" in API group "${group}" at the cluster scope`,
		reason: 'Forbidden',
		code: 403,
	});
}

before(async () => {
	api = await startApiStandIn((path, json) => {
		if (path === '/apis/networking.k8s.io/v1/networkpolicies') {
			json(200, JSON.stringify({kind: 'NetworkPolicyList', apiVersion: 'networking.k8s.io/v1', metadata: {resourceVersion: '7'}, items: [webPolicy, {metadata: {name: 'deny', namespace: 'x'}, spec: {podSelector: {}}}]}));
		} else if (path === '/apis/networking.k8s.io/v1/namespaces/locked/networkpolicies') {
			json(403, forbidden('networkpolicies', 'networking.k8s.io').replace('at the cluster scope', 'in the namespace "locked"'));
		} else if (path === '/api/v1/namespaces') {
			json(200, JSON.stringify({kind: 'NamespaceList', apiVersion: 'v1', metadata: {resourceVersion: '3'}, items: [
				{metadata: {name: 'y', labels: {'kubernetes.io/metadata.name': 'y', team: 'red'}}},
				{metadata: {name: 'x', labels: {'kubernetes.io/metadata.name': 'x'}}},
				{metadata: {name: 'bare'}},
			]}));
		} else {
			json(404, notFound);
		}
	});
});

after(() => api.close());

test('listNetworkPolicies: every namespace\'s policies, mapped', async () => {
	const r = await listNetworkPolicies(api.target);
	assert.ok(r.ok, JSON.stringify(r));
	assert.deepEqual(r.value.map(p => `${p.namespace}/${p.name}`), ['shop/web', 'x/deny']);
	assert.deepEqual(r.value[0], toNetworkPolicy(webPolicy));
});

test('listNetworkPolicies: 403 in a namespace and 404 as one line with a hint', async () => {
	const locked = await listNetworkPolicies(api.target, 'locked');
	assert.deepEqual(locked, {
		ok: false,
		reason: 'forbidden: User "jane" cannot list networkpolicies in namespace "locked"',
		hint: 'ask for RBAC that allows it; check with: kubectl auth can-i list networkpolicies -n locked --as jane',
	});
	const missing = await listNetworkPolicies(api.target, 'gone');
	assert.equal(missing.ok, false);
	assert.ok(!missing.ok && missing.reason === 'not found: networkpolicies in namespace "gone" (the server could not find the requested resource)', JSON.stringify(missing));
	assert.ok(api.requests.includes('/apis/networking.k8s.io/v1/namespaces/gone/networkpolicies'));
});

test('listNamespaceLabels: each namespace with its labels, sorted; none is none', async () => {
	const r = await listNamespaceLabels(api.target);
	assert.ok(r.ok, JSON.stringify(r));
	assert.deepEqual(r.value, [
		{name: 'bare', labels: {}},
		{name: 'x', labels: {'kubernetes.io/metadata.name': 'x'}},
		{name: 'y', labels: {'kubernetes.io/metadata.name': 'y', team: 'red'}},
	]);
});
