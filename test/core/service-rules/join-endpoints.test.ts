// The API against the node's rules, on kube-proxy's own test cluster (recorded through the
// kernel): in agreement first, then each kind of disagreement made by changing one side.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {joinServiceRules} from '../../../source/core/service-rules/join-endpoints.js';
import type {EndpointSlice, RulesModel, Service} from '../../../source/core/service-rules/types.js';
import {iptablesRulesModel} from '../../../source/node/rules/iptables-model.js';
import {parseIptablesSave} from '../../../source/node/rules/iptables-save.js';
import {ipvsRulesModel, parseIpvsadm} from '../../../source/node/rules/ipvsadm.js';
import {parseNftJson} from '../../../source/node/rules/nft-json.js';
import {nftRulesModel} from '../../../source/node/rules/nft-model.js';
import {endpoint, fixture, labIptablesSave, overallApi, slice} from '../../node/rules/kube-proxy-fixtures.js';

const iptables = (text = labIptablesSave()) => iptablesRulesModel(parseIptablesSave(text))!;
const nftables = () => nftRulesModel(parseNftJson(fixture('lab-overall.nft.json'))!)!;
const kinds = (j: ReturnType<typeof joinServiceRules>) => j.problems.map(p => `${p.kind} ${p.service}${p.endpoint === null ? '' : ` ${p.endpoint}`}`);

for (const [backend, model] of [['iptables', iptables], ['nftables', nftables]] as const) {
	test(`${backend}: the API and the rules agree: no problems, every endpoint in the rules`, () => {
		const {services, slices} = overallApi();
		const j = joinServiceRules(model(), services, slices, {nodeName: 'test-node'});
		assert.deepEqual(kinds(j), []);
		assert.equal(j.ports.length, 6);
		const svc4 = j.ports.find(p => p.name === 'svc4')!;
		assert.deepEqual(svc4.endpoints, [
			{ip: '10.180.0.4', port: 80, pod: null, node: null, ready: true, inRules: true},
			{ip: '10.180.0.5', port: 80, pod: null, node: 'test-node', ready: true, inRules: true},
		]);
		assert.equal(svc4.clusterIP, '172.30.0.44');
		// No endpoints: the REJECT is this Service's rule, so it is not "without rules".
		assert.equal(j.ports.find(p => p.name === 'svc6')!.rules.length, 1);
	});

	test(`${backend}: not ready, terminating, gone, missing; a Service without rules; rules without a Service`, () => {
		const {services, slices} = overallApi();
		const changed: EndpointSlice[] = slices.map(s => {
			if (s.serviceName === 'svc4') return slice(4, [endpoint('10.180.0.4', {ready: false, targetRef: {kind: 'Pod', namespace: 'ns4', name: 'web-0'}})]);
			if (s.serviceName === 'svc1') return slice(1, [endpoint('10.180.0.1', {ready: false, serving: true, terminating: true}), endpoint('10.180.0.9')]);
			return s;
		});
		const extra: Service = {...services[0]!, namespace: 'ns7', name: 'svc7', clusterIPs: ['172.30.0.47']};
		const j = joinServiceRules(model(), [...services.filter(s => s.name !== 'svc3'), extra], changed, {nodeName: 'test-node'});
		assert.deepEqual(kinds(j).sort(), [
			'gone-in-rules ns4/svc4:p80/TCP 10.180.0.5:80',
			'no-rules ns7/svc7:p80/TCP',
			'not-ready-in-rules ns1/svc1:p80/TCP 10.180.0.1:80',
			'not-ready-in-rules ns4/svc4:p80/TCP 10.180.0.4:80',
			'ready-missing-from-rules ns1/svc1:p80/TCP 10.180.0.9:80',
			`rules-without-service ns3/svc3:p80/TCP (172.30.0.43:80)`,
		]);
		const notReady = j.problems.find(p => p.endpoint === '10.180.0.4:80')!;
		assert.equal(notReady.reason, '10.180.0.4:80 (pod ns4/web-0) is in the rules but not ready in the API');
		assert.match(notReady.hint, /kubectl -n kube-system logs ds\/kube-proxy/);
		assert.equal(j.problems.find(p => p.endpoint === '10.180.0.1:80')!.reason, '10.180.0.1:80 is in the rules but terminating in the API');
		assert.equal(j.problems.find(p => p.kind === 'no-rules')!.reason, 'ns7/svc7:p80/TCP (172.30.0.47:80) has no rules on this node');
	});
}

test('no ready endpoint left: kube-proxy keeps the serving, terminating ones, and that is no problem', () => {
	const {services, slices} = overallApi();
	const draining = slices.map(s => (s.serviceName === 'svc1' ? slice(1, [endpoint('10.180.0.1', {ready: false, serving: true, terminating: true})]) : s));
	assert.deepEqual(kinds(joinServiceRules(iptables(), services, draining, {nodeName: 'test-node'})), []);
});

test('a Local internal policy: only this node\'s endpoints are expected in the rules', () => {
	const {services, slices} = overallApi();
	const local = services.map(s => (s.name === 'svc1' ? {...s, internalTrafficPolicy: 'Local' as const} : s));
	const elsewhere = slices.map(s => (s.serviceName === 'svc1' ? slice(1, [endpoint('10.180.0.1', {nodeName: 'test-node'}), endpoint('10.180.0.8', {nodeName: 'node-2'})]) : s));
	assert.deepEqual(kinds(joinServiceRules(iptables(), local, elsewhere, {nodeName: 'test-node'})), []);
	const cluster = services;
	assert.deepEqual(kinds(joinServiceRules(iptables(), cluster, elsewhere, {nodeName: 'test-node'})), ['ready-missing-from-rules ns1/svc1:p80/TCP 10.180.0.8:80']);
});

test('iptables in large-cluster mode (no comments): found by kube-proxy\'s hash of the API\'s names', () => {
	const bare = labIptablesSave().replace(/ -m comment --comment ("[^"]*"|\S+)/g, '');
	const model = iptables(bare);
	assert.ok(model.services.every(s => s.id === null));
	const {services, slices} = overallApi();
	const j = joinServiceRules(model, services.filter(s => s.name !== 'svc6'), slices, {nodeName: 'test-node'});
	assert.deepEqual(kinds(j), []);
	assert.deepEqual(j.ports.find(p => p.name === 'svc1')!.rules.map(r => r.hash), ['XPGD46QRK7WJZT7O']);
});

test('IPVS: virtual servers found by ClusterIP and NodePort; one the API lacks is flagged', () => {
	const model: RulesModel = ipvsRulesModel(parseIpvsadm(fixture('opsnull-251.ipvsadm-Ln.txt')));
	const api: Service = {namespace: 'default', name: 'kubernetes', type: 'ClusterIP', clusterIPs: ['10.254.0.1'], ports: [{name: 'https', protocol: 'TCP', port: 443, targetPort: 6443, nodePort: null}], externalIPs: [], loadBalancerIPs: [], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster'};
	const web: Service = {...api, namespace: 'web', name: 'nginx', type: 'NodePort', clusterIPs: ['10.254.20.99'], ports: [{name: '', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 32429}]};
	const slices: EndpointSlice[] = [
		{namespace: 'default', name: 'kubernetes', serviceName: 'kubernetes', addressType: 'IPv4', ports: [{name: 'https', port: 6443, protocol: 'TCP'}], endpoints: [endpoint('172.16.16.81'), endpoint('172.16.16.82')]},
		{namespace: 'web', name: 'nginx-x', serviceName: 'nginx', addressType: 'IPv4', ports: [{name: '', port: 80, protocol: 'TCP'}], endpoints: ['10.253.7.7', '10.253.35.7', '10.253.56.7', '10.253.102.4'].map(ip => endpoint(ip))},
	];
	const j = joinServiceRules(model, [api, web], slices, {nodeName: null});
	// nginx's ClusterIP has no virtual server in this paste; its NodePort's is found, by port.
	assert.deepEqual(j.ports.map(p => `${p.name} ${p.rules.map(r => `${r.frontends[0]!.ip}:${r.frontends[0]!.port}`).join()} ${p.problems.length}`), ['kubernetes 10.254.0.1:443 0', 'nginx 10.253.102.0:32429 0']);
	assert.deepEqual(kinds(j).filter(k => !k.startsWith('rules-without-service')), []);
	assert.ok(kinds(j).includes('rules-without-service 10.254.0.2:53'));
});
