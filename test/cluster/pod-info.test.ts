// toPodInfo keeps exactly what the UI needs from a v1 Pod: containers of all three kinds with
// their state, restarts and runtime ids, dual-stack IPs, readiness.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {toPodInfo} from '../../source/cluster/pod-info.js';
import {toNodeInfo} from '../../source/cluster/nodes.js';

const pod = {
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {
		name: 'web-7c9f',
		namespace: 'shop',
		uid: '4b1c6d0e-1111-4222-8333-444455556666',
		resourceVersion: '98121',
		labels: {app: 'web', 'pod-template-hash': '7c9f'},
		managedFields: [{manager: 'kubelet', operation: 'Update', fieldsV1: {}}],
	},
	spec: {
		nodeName: 'worker-1',
		initContainers: [{name: 'migrate', image: 'migrate:1', ports: [{name: 'admin', containerPort: 9000, protocol: 'TCP'}]}],
		containers: [
			{name: 'app', image: 'nginx:1.27', env: [{name: 'A', value: 'b'}], ports: [{name: 'http', containerPort: 8080}, {containerPort: 53, protocol: 'UDP'}]},
			{name: 'sidecar', image: 'envoy:1.31'},
		],
		ephemeralContainers: [{name: 'debugger-x2', image: 'busybox:1.36', targetContainerName: 'app'}],
	},
	status: {
		phase: 'Running',
		hostIP: '192.168.49.2',
		podIP: '10.244.0.7',
		podIPs: [{ip: '10.244.0.7'}, {ip: 'fd00:10:244::7'}],
		startTime: '2026-11-29T10:00:00Z',
		conditions: [
			{type: 'Initialized', status: 'True'},
			{type: 'Ready', status: 'False'},
		],
		initContainerStatuses: [
			{name: 'migrate', ready: true, restartCount: 1, image: 'docker.io/library/migrate:1', containerID: 'containerd://aaa', state: {terminated: {exitCode: 0, reason: 'Completed'}}},
		],
		containerStatuses: [
			{name: 'app', ready: true, restartCount: 0, image: 'docker.io/library/nginx:1.27', containerID: 'containerd://bbb', state: {running: {startedAt: '2026-11-29T10:00:05Z'}}},
			{name: 'sidecar', ready: false, restartCount: 4, image: 'envoy:1.31', state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off'}}},
		],
		ephemeralContainerStatuses: [
			{name: 'debugger-x2', ready: false, restartCount: 0, image: 'busybox:1.36', containerID: 'containerd://ccc', state: {running: {}}},
		],
	},
};

test('a pod with init, regular and ephemeral containers', () => {
	const p = toPodInfo(pod)!;
	assert.deepEqual(
		{...p, containers: undefined},
		{
			namespace: 'shop',
			name: 'web-7c9f',
			uid: '4b1c6d0e-1111-4222-8333-444455556666',
			nodeName: 'worker-1',
			hostNetwork: false,
			ips: ['10.244.0.7', 'fd00:10:244::7'],
			phase: 'Running',
			ready: false,
			restarts: 5,
			hostIP: '192.168.49.2',
			startTime: '2026-11-29T10:00:00Z',
			conditions: [
				{type: 'Initialized', status: 'True'},
				{type: 'Ready', status: 'False'},
			],
			labels: {app: 'web', 'pod-template-hash': '7c9f'},
			containers: undefined,
			resourceVersion: '98121',
		},
	);
	assert.deepEqual(p.containers, [
		{name: 'migrate', kind: 'init', image: 'migrate:1', state: 'terminated', reason: 'Completed', ready: true, restarts: 1, containerID: 'containerd://aaa', ports: [{name: 'admin', containerPort: 9000, protocol: 'TCP'}]},
		{name: 'app', kind: 'regular', image: 'nginx:1.27', state: 'running', reason: null, ready: true, restarts: 0, containerID: 'containerd://bbb', ports: [
			{name: 'http', containerPort: 8080, protocol: 'TCP'},
			{name: null, containerPort: 53, protocol: 'UDP'},
		]},
		{name: 'sidecar', kind: 'regular', image: 'envoy:1.31', state: 'waiting', reason: 'CrashLoopBackOff', ready: false, restarts: 4, containerID: null, ports: []},
		{name: 'debugger-x2', kind: 'ephemeral', image: 'busybox:1.36', state: 'running', reason: null, ready: false, restarts: 0, containerID: 'containerd://ccc', ports: []},
	]);
	// Nothing else survives: no managedFields, no env.
	assert.ok(!JSON.stringify(p).includes('managedFields') && !JSON.stringify(p).includes('"env"'));
});

test('container ports: TCP when the protocol is left out; entries without a valid number are dropped', () => {
	const p = toPodInfo({
		metadata: {uid: 'u3', name: 'ports'},
		spec: {containers: [{name: 'c', ports: [{name: 'sctp', containerPort: 3868, protocol: 'SCTP'}, {name: 'bad', containerPort: 0}, {name: 'text', containerPort: '80'}, {containerPort: 70_000}, {name: 'dns', containerPort: 53}]}]},
	})!;
	assert.deepEqual(p.containers[0]!.ports, [
		{name: 'sctp', containerPort: 3868, protocol: 'SCTP'},
		{name: 'dns', containerPort: 53, protocol: 'TCP'},
	]);
});

test('pending pod: no IP, no node, no statuses; podIP alone when there is no podIPs', () => {
	const pending = toPodInfo({metadata: {name: 'p', namespace: 'd', uid: 'u1'}, spec: {containers: [{name: 'c', image: 'i'}]}, status: {phase: 'Pending'}})!;
	assert.equal(pending.nodeName, null);
	assert.deepEqual(pending.ips, []);
	assert.deepEqual(pending.containers.map(c => [c.state, c.containerID]), [['unknown', null]]);
	const single = toPodInfo({metadata: {uid: 'u2', name: 'h'}, spec: {hostNetwork: true}, status: {podIP: '192.168.49.2'}})!;
	assert.deepEqual(single.ips, ['192.168.49.2']);
	assert.equal(single.hostNetwork, true);
	assert.equal(single.namespace, 'default');
	assert.equal(toPodInfo({kind: 'Status', code: 410}), null);
});

test('a node: internal IPs, hostname, readiness, pod CIDRs', () => {
	const n = toNodeInfo({
		metadata: {name: 'minikube'},
		spec: {podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24', 'fd00:10:244::/64']},
		status: {
			addresses: [{type: 'InternalIP', address: '192.168.49.2'}, {type: 'InternalIP', address: 'fd00::2'}, {type: 'Hostname', address: 'minikube'}],
			conditions: [{type: 'Ready', status: 'True'}],
		},
	});
	assert.deepEqual(n, {name: 'minikube', internalIPs: ['192.168.49.2', 'fd00::2'], hostname: 'minikube', ready: true, podCIDRs: ['10.244.0.0/24', 'fd00:10:244::/64']});
	assert.deepEqual(toNodeInfo({metadata: {name: 'old'}, spec: {podCIDR: '10.1.0.0/24'}, status: {}})?.podCIDRs, ['10.1.0.0/24']);
});

test('podScopeFor: the flags as kubectl reads them', async () => {
	const {podScopeFor} = await import('../../source/cluster/pods.js');
	const flags = {namespace: undefined, allNamespaces: false, selector: undefined, allNodes: false};
	assert.deepEqual(podScopeFor(flags, 'n1'), {nodeName: 'n1', namespace: undefined, labelSelector: undefined});
	assert.deepEqual(podScopeFor({...flags, namespace: 'web', selector: 'app=x'}, 'n1'), {nodeName: 'n1', namespace: 'web', labelSelector: 'app=x'});
	// -A wins over -n, as in kubectl; --all-nodes drops the node.
	assert.deepEqual(podScopeFor({...flags, namespace: 'web', allNamespaces: true, allNodes: true}, 'n1'), {nodeName: undefined, namespace: undefined, labelSelector: undefined});
});
