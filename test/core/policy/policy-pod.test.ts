// A PodInfo from the API becomes what policies see, and its named ports work in a policy.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {toPodInfo} from '../../../source/cluster/pod-info.js';
import {compilePolicies} from '../../../source/core/policy/compile-policies.js';
import {evaluateConnection} from '../../../source/core/policy/evaluate-connection.js';
import {policyPod} from '../../../source/core/policy/policy-pod.js';
import {namespaces, policy, rule, tcp, worldPod} from './netpol-world.js';

const raw = {
	metadata: {uid: 'u1', name: 'web', namespace: 'x', labels: {app: 'web'}},
	spec: {
		nodeName: 'node-1',
		initContainers: [{name: 'setup', ports: [{name: 'admin', containerPort: 9000}]}],
		containers: [{name: 'app', ports: [{name: 'http', containerPort: 8080}]}, {name: 'side', ports: [{name: 'metrics', containerPort: 9090}]}],
	},
	status: {podIP: '10.244.0.50'},
};

test('policyPod: labels, IPs, node, and the regular containers\' ports', () => {
	assert.deepEqual(policyPod(toPodInfo(raw)!), {
		namespace: 'x',
		name: 'web',
		labels: {app: 'web'},
		nodeName: 'node-1',
		hostNetwork: false,
		ips: ['10.244.0.50'],
		ports: [{name: 'http', port: 8080, protocol: 'TCP'}, {name: 'metrics', port: 9090, protocol: 'TCP'}],
	});
});

test('a named port of an API pod resolves in a policy', () => {
	const web = policyPod(toPodInfo(raw)!);
	const client = worldPod('x', 'b');
	const model = compilePolicies([policy('x', 'http-only', {ingress: [rule([], [tcp('http')])]})], namespaces, [web, client]);
	const to = (port: number) => evaluateConnection(model, {kind: 'pod', pod: client}, {kind: 'pod', pod: web}, port, 'TCP').verdict;
	assert.deepEqual([to(8080), to(80), to(9000)], ['allowed', 'denied', 'denied']);
});
