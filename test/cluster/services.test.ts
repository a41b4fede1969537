// Services and EndpointSlices as the API serves them → core's types (with the API's defaults for
// absent conditions, names and protocols), and the list calls against a small API stand-in on
// loopback: a list, and the apiserver's 403 and 404 as one line each.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {listEndpointSlices, listServices, toEndpointSlice, toService} from '../../source/cluster/services.js';
import {notFound, startApiStandIn, type ApiStandIn} from './api-stand-in.js';

const kubeDns = {
	apiVersion: 'v1', kind: 'Service',
	metadata: {name: 'kube-dns', namespace: 'kube-system', labels: {'k8s-app': 'kube-dns'}, managedFields: [{manager: 'kubeadm'}]},
	spec: {
		type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], internalTrafficPolicy: 'Cluster', sessionAffinity: 'None',
		ports: [{name: 'dns', port: 53, protocol: 'UDP', targetPort: 53}, {name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53}, {name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 'metrics'}],
		selector: {'k8s-app': 'kube-dns'},
	},
	status: {loadBalancer: {}},
};

const web = {
	metadata: {name: 'web', namespace: 'shop'},
	spec: {type: 'LoadBalancer', clusterIP: '10.96.7.7', externalIPs: ['192.168.99.22'], externalTrafficPolicy: 'Local', ports: [{port: 80, nodePort: 31080}]},
	status: {loadBalancer: {ingress: [{ip: '1.2.3.4'}, {hostname: 'lb.example.com'}]}},
};

const dnsSlice = {
	apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
	metadata: {name: 'kube-dns-7xq2f', namespace: 'kube-system', labels: {'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io'}},
	addressType: 'IPv4',
	ports: [{name: 'dns', port: 53, protocol: 'UDP'}, {name: 'dns-tcp', port: 53, protocol: 'TCP'}, {name: 'metrics', port: 9153, protocol: 'TCP'}],
	endpoints: [
		{addresses: ['10.244.0.3'], conditions: {ready: true, serving: true, terminating: false}, nodeName: 'node-a', targetRef: {kind: 'Pod', namespace: 'kube-system', name: 'coredns-5d78c9869d-8xq4v', uid: 'u1'}},
		{addresses: ['10.244.1.4'], conditions: {ready: false, serving: true, terminating: true}, nodeName: 'node-b', targetRef: {kind: 'Pod', namespace: 'kube-system', name: 'coredns-5d78c9869d-vq2kd', uid: 'u2'}},
	],
};

test('a Service: cluster IPs, ports with protocol and target port, policies as the API has them', () => {
	assert.deepEqual(toService(kubeDns), {
		namespace: 'kube-system', name: 'kube-dns', type: 'ClusterIP', clusterIPs: ['10.96.0.10'],
		ports: [
			{name: 'dns', protocol: 'UDP', port: 53, targetPort: 53, nodePort: null},
			{name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53, nodePort: null},
			{name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 'metrics', nodePort: null},
		],
		externalIPs: [], loadBalancerIPs: [], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster',
	});
});

test('absent fields: an unnamed TCP port, clusterIP without clusterIPs, load-balancer IPs but not hostnames', () => {
	assert.deepEqual(toService(web), {
		namespace: 'shop', name: 'web', type: 'LoadBalancer', clusterIPs: ['10.96.7.7'],
		ports: [{name: '', protocol: 'TCP', port: 80, targetPort: null, nodePort: 31080}],
		externalIPs: ['192.168.99.22'], loadBalancerIPs: ['1.2.3.4'], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Local',
	});
	assert.deepEqual(toService({metadata: {name: 'ext', namespace: 'x'}, spec: {type: 'ExternalName', externalName: 'db.example.com'}})?.clusterIPs, []);
	assert.equal(toService({kind: 'Status', code: 410}), null);
});

test('an EndpointSlice: its Service from the label, conditions, node and pod', () => {
	const s = toEndpointSlice(dnsSlice)!;
	assert.equal(s.serviceName, 'kube-dns');
	assert.deepEqual(s.ports[0], {name: 'dns', port: 53, protocol: 'UDP'});
	assert.deepEqual(s.endpoints[1], {addresses: ['10.244.1.4'], ready: false, serving: true, terminating: true, nodeName: 'node-b', targetRef: {kind: 'Pod', namespace: 'kube-system', name: 'coredns-5d78c9869d-vq2kd'}});
});

test('absent conditions mean ready and serving, not terminating (as kube-proxy reads them)', () => {
	const s = toEndpointSlice({metadata: {name: 'x-1', namespace: 'x'}, ports: [{port: 8080}], endpoints: [{addresses: ['10.0.0.1']}]})!;
	assert.equal(s.serviceName, null);
	assert.deepEqual(s.ports, [{name: '', port: 8080, protocol: 'TCP'}]);
	assert.deepEqual(s.endpoints, [{addresses: ['10.0.0.1'], ready: true, serving: true, terminating: false, nodeName: null, targetRef: null}]);
});

// ---- the list calls -------------------------------------------------------------------------------

let api: ApiStandIn;

before(async () => {
	api = await startApiStandIn((path, reply) => {
		if (path === '/api/v1/services') {
			reply(200, JSON.stringify({kind: 'ServiceList', apiVersion: 'v1', metadata: {resourceVersion: '9'}, items: [kubeDns, web]}));
		} else if (path === '/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices') {
			reply(200, JSON.stringify({kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: {resourceVersion: '9'}, items: [dnsSlice]}));
		} else if (path === '/apis/discovery.k8s.io/v1/endpointslices') {
			reply(403, JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: 'endpointslices.discovery.k8s.io is forbidden: User "jane" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope'}));
		} else {
			reply(404, notFound);
		}
	});
});

after(() => api.close());

test('listServices and listEndpointSlices: listed and mapped', async () => {
	const services = await listServices(api.target);
	assert.ok(services.ok, JSON.stringify(services));
	assert.deepEqual(services.value, [toService(kubeDns), toService(web)]);
	const slices = await listEndpointSlices(api.target, 'kube-system');
	assert.ok(slices.ok, JSON.stringify(slices));
	assert.deepEqual(slices.value, [toEndpointSlice(dnsSlice)]);
});

test('403 and 404 as one line with a hint', async () => {
	const denied = await listEndpointSlices(api.target);
	assert.deepEqual(denied, {
		ok: false,
		reason: 'forbidden: User "jane" cannot list endpointslices at the cluster scope',
		hint: 'ask for RBAC that allows it; check with: kubectl auth can-i list endpointslices -A --as jane',
	});
	const missing = await listServices(api.target, 'gone');
	assert.ok(!missing.ok && missing.reason === 'not found: services in namespace "gone" (the server could not find the requested resource)', JSON.stringify(missing));
	assert.ok(api.requests.includes('/api/v1/namespaces/gone/services'));
});
