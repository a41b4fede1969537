// Pure parts of the Flows section: the capture filter of a flow at the pod's veth (which tuple is
// on the wire there, for the client, the endpoint and a hairpin), tcpdump compiling it, and the
// names a flow is told with (Services, endpoint pods of other nodes from their slices).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {flowCaptureExpression} from '../../source/app/flows-capture.js';
import {flowNames} from '../../source/app/flows-names.js';
import {describeFlow} from '../../source/core/flows.js';
import type {EndpointSlice, Service} from '../../source/core/service-rules/types.js';
import type {PodRef} from '../../source/core/types.js';
import {parseConntrackLine} from '../../source/node/conntrack/conntrack-text.js';
import {needs} from '../support/prerequisites.js';

// web-0 (10.244.0.2) → svc 10.96.0.10:8080, DNATed to cart-2 (10.244.1.7:80), masqueraded to 10.244.0.1.
const dnat = parseConntrackLine('ipv4 2 tcp 6 117 ESTABLISHED src=10.244.0.2 dst=10.96.0.10 sport=51058 dport=8080 src=10.244.1.7 dst=10.244.0.1 sport=80 dport=30458 [ASSURED] mark=0 zone=0 use=2')!;

test('the client pod\'s veth carries the original tuple, pre-DNAT, both ways', () => {
	const e = flowCaptureExpression(dnat, ['10.244.0.2']);
	assert.deepEqual(e, {ok: true, value: 'tcp and ((src host 10.244.0.2 and src port 51058 and dst host 10.96.0.10 and dst port 8080) or (src host 10.96.0.10 and src port 8080 and dst host 10.244.0.2 and dst port 51058))'});
});

test('the endpoint pod\'s veth carries the reply tuple: masquerade address → pod:targetPort', () => {
	const e = flowCaptureExpression(dnat, ['10.244.1.7']);
	assert.deepEqual(e, {ok: true, value: 'tcp and ((src host 10.244.1.7 and src port 80 and dst host 10.244.0.1 and dst port 30458) or (src host 10.244.0.1 and src port 30458 and dst host 10.244.1.7 and dst port 80))'});
});

test('a hairpin (the pod through its own Service) is both tuples; ICMP has no ports; strangers and odd protocols are refused', () => {
	const hairpin = parseConntrackLine('ipv4 2 tcp 6 117 ESTABLISHED src=10.244.0.2 dst=10.96.0.12 sport=40000 dport=80 src=10.244.0.2 dst=10.244.0.1 sport=80 dport=40000 [ASSURED] mark=0 use=1')!;
	const both = flowCaptureExpression(hairpin, ['10.244.0.2']);
	assert.ok(both.ok && both.value.includes('dst host 10.96.0.12') && both.value.includes('dst host 10.244.0.1'));
	const ping = parseConntrackLine('ipv4 2 icmp 1 29 src=10.244.0.2 dst=10.244.0.3 type=8 code=0 id=7 src=10.244.0.3 dst=10.244.0.2 type=0 code=0 id=7 mark=0 use=1')!;
	assert.deepEqual(flowCaptureExpression(ping, ['10.244.0.2']), {ok: true, value: 'icmp and ((host 10.244.0.2 and host 10.244.0.3))'});
	assert.equal(flowCaptureExpression(dnat, ['10.244.9.9']).ok, false);
	assert.equal(flowCaptureExpression({...dnat, protocol: 'gre'}, ['10.244.0.2']).ok, false);
	assert.equal(flowCaptureExpression({...dnat, orig: {...dnat.orig, dst: '10.96.0.10 or host 1.1.1.1'}}, ['10.244.0.2']).ok, false);
});

test('tcpdump compiles every filter built here', {skip: needs({tools: ['tcpdump']})}, () => {
	for (const ip of ['10.244.0.2', '10.244.1.7']) {
		const e = flowCaptureExpression(dnat, [ip]);
		assert.ok(e.ok);
		execFileSync('tcpdump', ['-d', '-y', 'EN10MB', `(host ${ip}) and (${e.value})`], {stdio: 'ignore'});
	}
});

test('names: Services by ClusterIP:port/proto, endpoint pods of other nodes from their slices, live pods over slices', () => {
	const pod = (name: string, ip: string, extra: Partial<PodRef> = {}): PodRef => ({namespace: 'shop', name, uid: name, nodeName: 'n1', hostNetwork: false, ips: [ip], phase: 'Running', ...extra});
	const service: Service = {namespace: 'shop', name: 'cart', type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{name: '', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: null}], externalIPs: [], loadBalancerIPs: [], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster'};
	const slice: EndpointSlice = {namespace: 'shop', name: 'cart-x', serviceName: 'cart', addressType: 'IPv4', ports: [], endpoints: [{addresses: ['10.244.1.7'], ready: true, serving: true, terminating: false, nodeName: 'n2', targetRef: {kind: 'Pod', namespace: 'shop', name: 'cart-2'}}]};
	const names = flowNames([pod('web-0', '10.244.0.2'), pod('old', '10.244.0.9', {phase: 'Succeeded'}), pod('hostnet', '198.51.100.2', {hostNetwork: true})], [service], [slice]);
	assert.deepEqual([...names.services], [['10.96.0.10:8080/tcp', 'shop/cart']]);
	assert.deepEqual([...names.pods].sort(), [['10.244.0.2', 'shop/web-0'], ['10.244.1.7', 'shop/cart-2']]);
	assert.equal(describeFlow(dnat, names).text, 'web-0 → svc/cart:8080 → served by cart-2 (10.244.1.7) [tcp ESTABLISHED]');
});
