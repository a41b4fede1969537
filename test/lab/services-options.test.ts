// `lab svc add` flags and `lab up --proxy`: each bad input is one line with a hint; the ClusterIP
// allocator and the endpoint choice are pure, so they are checked here without a lab.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resolveLabOptions, sameLabOptions} from '../../source/lab/lab-options.js';
import type {LabFault} from '../../source/lab/lab-state.js';
import {proxyPorts} from '../../source/lab/proxy/proxy-services.js';
import {allocateClusterIP, serviceEndpoints} from '../../source/lab/services/service-endpoints.js';
import {resolveSvcFlags} from '../../source/lab/services/svc-options.js';
import {labPod, labState} from '../lab-api/lab-api-fixture.js';

const base = {ipv6: false, oddPods: false, traffic: false};

test('lab up --proxy: iptables and nftables kept, none is today\'s lab (no field), anything else refused', () => {
	const r = resolveLabOptions({...base, proxy: 'nftables'});
	assert.ok(r.ok && r.value.proxy === 'nftables');
	const none = resolveLabOptions({...base, proxy: 'none'});
	assert.ok(none.ok && !('proxy' in none.value));
	const plain = resolveLabOptions(base);
	assert.ok(plain.ok && none.ok && sameLabOptions(plain.value, none.value));
	assert.ok(r.ok && plain.ok && !sameLabOptions(r.value, plain.value));
	assert.deepEqual(resolveLabOptions({...base, proxy: 'ipvs'}), {ok: false, reason: '--proxy must be iptables, nftables or none', hint: "got 'ipvs'"});
});

test('lab svc add: a port named as kubectl create service names it, NodePort with --nodeport', () => {
	assert.deepEqual(resolveSvcFlags({port: 8080, targetPort: 80, selector: 'app=nginx', nodeport: 30080}), {
		ok: true,
		value: {type: 'NodePort', port: {name: '8080-80', port: 8080, targetPort: 80, protocol: 'TCP', nodePort: 30080}, selector: {app: 'nginx'}},
	});
	const udp = resolveSvcFlags({port: 53, selector: 'app=dns,tier=x', proto: 'UDP'});
	assert.ok(udp.ok && udp.value.port.protocol === 'UDP' && udp.value.port.targetPort === 53 && udp.value.type === 'ClusterIP');
});

test('lab svc add: every bad input is one line and a hint', () => {
	const bad: Array<[Parameters<typeof resolveSvcFlags>[0], RegExp]> = [
		[{selector: 'app=x'}, /needs --port/],
		[{port: 0, selector: 'app=x'}, /--port must be a whole number from 1 to 65535/],
		[{port: 80.5, selector: 'app=x'}, /--port must be/],
		[{port: 80, targetPort: 70_000, selector: 'app=x'}, /--target-port must be/],
		[{port: 80, selector: 'app=x', nodeport: 8080}, /--nodeport must be a whole number from 30000 to 32767/],
		[{port: 80, selector: 'app=x', proto: 'sctp'}, /--proto must be tcp or udp/],
		[{port: 80}, /needs --selector/],
		[{port: 80, selector: 'app in (a,b)'}, /--selector: 'app in \(a' is not k=v/],
		[{port: 80, selector: 'app=$(touch x)'}, /is not k=v/],
	];
	for (const [flags, reason] of bad) {
		const r = resolveSvcFlags(flags);
		assert.ok(!r.ok, JSON.stringify(flags));
		assert.match(r.reason, reason);
		assert.ok(!r.reason.includes('\n') && r.hint.length > 0);
	}
});

test('ClusterIPs: from 10.96.0.10 up, the lowest free one', () => {
	assert.equal(allocateClusterIP([]), '10.96.0.10');
	assert.equal(allocateClusterIP(['10.96.0.10', '10.96.0.12']), '10.96.0.11');
	assert.equal(allocateClusterIP(Array.from({length: 246}, (_, i) => `10.96.0.${i + 10}`)), '10.96.1.0');
});

test('endpoints: the selector in the Service\'s namespace, valid IPs only, in kube-proxy\'s text order; the faults change what the rules get', () => {
	const pods = [labPod('default', 'web-0', 8), labPod('default', 'web-1', 0), labPod('default', 'web-2', 1, 'pending'), labPod('lab', 'web-3', 2), labPod('default', 'web-4', 3, 'invalid-ip')];
	const s = labState(pods, {proxy: 'iptables'});
	const svc = {namespace: 'default', name: 'web', uid: 'u', clusterIP: '10.96.0.10', type: 'ClusterIP' as const, ports: [{name: '80-80', port: 80, targetPort: 80, protocol: 'TCP' as const}], selector: {app: 'web'}, createdAt: ''};
	s.services = [svc];
	assert.deepEqual(serviceEndpoints(s, svc).map((e) => e.ip), ['10.244.0.10', '10.244.0.2']);
	const fault = (kind: LabFault['kind'], extra: Partial<LabFault> = {}): LabFault => ({id: `${kind} default/web`, kind, args: ['default/web'], node: 'k8snet-lab', change: '', apply: [], restore: [], ...extra});
	s.faults = [fault('no-endpoints')];
	assert.deepEqual(serviceEndpoints(s, svc).map((e) => e.ready), [false, false]);
	assert.deepEqual(proxyPorts(s)[0]?.endpoints, []);
	s.faults = [fault('stale-rules', {staleEndpoints: ['10.244.0.99']})];
	assert.deepEqual(proxyPorts(s)[0]?.endpoints, [{ip: '10.244.0.99', port: 80}]);
});
