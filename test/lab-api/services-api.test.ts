// The lab API's Services and EndpointSlices (discovery.k8s.io/v1): kubectl's get svc,endpointslices
// with its columns, get by name, label and field selectors, a watch that sees a pod joining a
// Service's slice, and discovery. In-process server on a synthetic state: no kernel needed.
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {toEndpointSlice, toService} from '../../source/cluster/services.js';
import type {LabService, LabState} from '../../source/lab/lab-state.js';
import {needs} from '../support/prerequisites.js';
import {type Fixture, apiGet, labPod, labState, startFixture, waitFor} from './lab-api-fixture.js';

const run = promisify(execFile);
const skip = needs({tools: ['kubectl', 'openssl']});

const web: LabService = {
	namespace: 'default',
	name: 'web',
	uid: '11111111-0000-4000-a000-000000000001',
	clusterIP: '10.96.0.10',
	type: 'NodePort',
	ports: [{name: '8080-80', port: 8080, targetPort: 80, protocol: 'TCP', nodePort: 30080}],
	selector: {app: 'web'},
	createdAt: '2026-12-01T00:00:00.000Z',
};

function state(): LabState {
	const s = labState([labPod('default', 'web-0', 0), labPod('default', 'web-1', 1), labPod('default', 'db-0', 2), labPod('lab', 'web-7', 3)]);
	s.services = [web, {...web, name: 'db', uid: '11111111-0000-4000-a000-000000000002', clusterIP: '10.96.0.11', type: 'ClusterIP', ports: [{name: '5432-81', port: 5432, targetPort: 81, protocol: 'UDP'}], selector: {app: 'db'}}];
	return s;
}

describe('lab API: Services and EndpointSlices', {skip}, () => {
	let f: Fixture;
	const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', f.server.kubeconfigPath, '--cache-dir', join(f.dir, 'kube-cache'), ...args])).stdout;

	before(async () => {
		f = await startFixture(state());
	});
	after(async () => {
		await f?.close();
	});

	test('kubectl get svc,endpointslices -A shows the ClusterIP, ports, and the selected pods\' addresses', async () => {
		const out = await kubectl('get', 'svc,endpointslices', '-A', '-o', 'wide');
		assert.match(out, /default\s+service\/web\s+NodePort\s+10\.96\.0\.10\s+<none>\s+8080:30080\/TCP\s+\S+\s+app=web/);
		assert.match(out, /default\s+service\/db\s+ClusterIP\s+10\.96\.0\.11\s+<none>\s+5432\/UDP/);
		assert.match(out, /default\s+endpointslice\.discovery\.k8s\.io\/web-\w{5}\s+IPv4\s+80\s+10\.244\.0\.2,10\.244\.0\.3\s/);
		assert.doesNotMatch(out, /10\.244\.0\.5/, 'web-7 is in another namespace');
	});

	test('the objects map to what kube-proxy reads: slice labelled with its Service, ready endpoints with node and pod', async () => {
		const svc = toService(JSON.parse((await apiGet(f, '/api/v1/namespaces/default/services/web')).body));
		assert.deepEqual({ips: svc?.clusterIPs, ports: svc?.ports}, {ips: ['10.96.0.10'], ports: [{name: '8080-80', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: 30080}]});
		const list = JSON.parse((await apiGet(f, '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb')).body) as {kind: string; apiVersion: string; items: unknown[]};
		assert.deepEqual([list.kind, list.apiVersion, list.items.length], ['EndpointSliceList', 'discovery.k8s.io/v1', 1]);
		const slice = toEndpointSlice(list.items[0]);
		assert.equal(slice?.serviceName, 'web');
		assert.deepEqual(slice?.endpoints.map((e) => [e.addresses[0], e.ready, e.nodeName, e.targetRef?.name]), [['10.244.0.2', true, 'k8snet-lab', 'web-0'], ['10.244.0.3', true, 'k8snet-lab', 'web-1']]);
		const byField = JSON.parse((await apiGet(f, '/api/v1/services?fieldSelector=metadata.name%3Ddb')).body) as {items: Array<{metadata: {name: string}}>};
		assert.deepEqual(byField.items.map((i) => i.metadata.name), ['db']);
		assert.equal((await apiGet(f, '/apis/discovery.k8s.io/v1/endpointslices?fieldSelector=spec.nodeName%3Dx')).status, 400);
	});

	test('a pod added to the state joins its Service\'s slice, seen by a kubectl watch', async () => {
		const watch = spawn('kubectl', ['--kubeconfig', f.server.kubeconfigPath, '--cache-dir', join(f.dir, 'kube-cache'), 'get', 'endpointslices', '-n', 'default', '-l', 'kubernetes.io/service-name=web', '--watch', '-o', 'jsonpath={.endpoints[*].addresses[0]}{"\\n"}']);
		let out = '';
		watch.stdout.on('data', (b: Buffer) => (out += b.toString()));
		try {
			await waitFor('the first watch line', () => out.includes('10.244.0.3'), 10_000);
			f.writeState({...f.state, pods: [...f.state.pods, labPod('default', 'web-2', 9)]});
			await waitFor('the slice with web-2', () => out.includes('10.244.0.11'), 10_000);
		} finally {
			watch.kill();
		}
	});

	test('discovery: services in /api/v1, the discovery.k8s.io group in /apis', async () => {
		const groups = JSON.parse((await apiGet(f, '/apis')).body) as {groups: Array<{name: string}>};
		assert.ok(groups.groups.some((g) => g.name === 'discovery.k8s.io'));
		const v1 = JSON.parse((await apiGet(f, '/apis/discovery.k8s.io/v1')).body) as {resources: Array<{name: string}>};
		assert.deepEqual(v1.resources.map((r) => r.name), ['endpointslices']);
		assert.ok((await kubectl('api-resources')).match(/endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice/));
	});
});
