// NetworkPolicy objects as the API serves them → core's NetworkPolicy (absent and empty fields
// keep their different meanings), and the list calls for policies and namespace labels against a
// small API stand-in on loopback: a list, and the apiserver's 403 and 404 as one line each.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {loadKubeTarget, type KubeTarget} from '../../source/cluster/kube-target.js';
import {listNamespaceLabels} from '../../source/cluster/namespaces.js';
import {listNetworkPolicies, toNetworkPolicy} from '../../source/cluster/network-policies.js';

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

let dir: string;
let server: Server;
let target: KubeTarget;
const requests: string[] = [];

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
	dir = mkdtempSync(join(tmpdir(), 'k8snet-netpol-'));
	server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://stand-in');
		requests.push(url.pathname);
		const json = (status: number, body: string) => {
			res.writeHead(status, {'Content-Type': 'application/json'});
			res.end(body);
		};
		if (url.pathname === '/apis/networking.k8s.io/v1/networkpolicies') {
			json(200, JSON.stringify({kind: 'NetworkPolicyList', apiVersion: 'networking.k8s.io/v1', metadata: {resourceVersion: '7'}, items: [webPolicy, {metadata: {name: 'deny', namespace: 'x'}, spec: {podSelector: {}}}]}));
		} else if (url.pathname === '/apis/networking.k8s.io/v1/namespaces/locked/networkpolicies') {
			json(403, forbidden('networkpolicies', 'networking.k8s.io').replace('at the cluster scope', 'in the namespace "locked"'));
		} else if (url.pathname === '/api/v1/namespaces') {
			json(200, JSON.stringify({kind: 'NamespaceList', apiVersion: 'v1', metadata: {resourceVersion: '3'}, items: [
				{metadata: {name: 'y', labels: {'kubernetes.io/metadata.name': 'y', team: 'red'}}},
				{metadata: {name: 'x', labels: {'kubernetes.io/metadata.name': 'x'}}},
				{metadata: {name: 'bare'}},
			]}));
		} else {
			json(404, JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404}));
		}
	});
	await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
	const file = join(dir, 'kubeconfig');
	writeFileSync(file, JSON.stringify({
		'current-context': 'stand-in',
		clusters: [{name: 'stand-in', cluster: {server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'insecure-skip-tls-verify': true}}],
		users: [{name: 'jane', user: {token: 'x'}}],
		contexts: [{name: 'stand-in', context: {cluster: 'stand-in', user: 'jane'}}],
	}));
	const t = loadKubeTarget({kubeconfig: file});
	assert.ok(t.ok, JSON.stringify(t));
	target = t.value;
});

after(async () => {
	await new Promise<void>(r => server.close(() => r()));
	rmSync(dir, {recursive: true, force: true});
});

test('listNetworkPolicies: every namespace\'s policies, mapped', async () => {
	const r = await listNetworkPolicies(target);
	assert.ok(r.ok, JSON.stringify(r));
	assert.deepEqual(r.value.map(p => `${p.namespace}/${p.name}`), ['shop/web', 'x/deny']);
	assert.deepEqual(r.value[0], toNetworkPolicy(webPolicy));
});

test('listNetworkPolicies: 403 in a namespace and 404 as one line with a hint', async () => {
	const locked = await listNetworkPolicies(target, 'locked');
	assert.deepEqual(locked, {
		ok: false,
		reason: 'forbidden: User "jane" cannot list networkpolicies in namespace "locked"',
		hint: 'ask for RBAC that allows it; check with: kubectl auth can-i list networkpolicies -n locked --as jane',
	});
	const missing = await listNetworkPolicies(target, 'gone');
	assert.equal(missing.ok, false);
	assert.ok(!missing.ok && missing.reason === 'not found: networkpolicies in namespace "gone" (the server could not find the requested resource)', JSON.stringify(missing));
	assert.ok(requests.includes('/apis/networking.k8s.io/v1/namespaces/gone/networkpolicies'));
});

test('listNamespaceLabels: each namespace with its labels, sorted; none is none', async () => {
	const r = await listNamespaceLabels(target);
	assert.ok(r.ok, JSON.stringify(r));
	assert.deepEqual(r.value, [
		{name: 'bare', labels: {}},
		{name: 'x', labels: {'kubernetes.io/metadata.name': 'x'}},
		{name: 'y', labels: {'kubernetes.io/metadata.name': 'y', team: 'red'}},
	]);
});
