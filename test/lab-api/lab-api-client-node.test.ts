// The lab API through the real @kubernetes/client-node 1.x: lists, selectors, watch events from
// state file changes, the 410 relist path, every fault mode, and auth.
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {type ApiException, CoreV1Api, KubeConfig, ListWatch, type V1Pod, Watch} from '@kubernetes/client-node';
import {cutLabApiWatches, getLabApiRequests, setLabApiFaults} from '../../source/lab/api/admin-client.js';
import {needs} from '../support/prerequisites.js';
import {type Fixture, labPod, labState, oddLabState, startFixture, waitFor} from './lab-api-fixture.js';

const skip = needs({tools: ['openssl']});

function client(kubeconfigPath: string): {kc: KubeConfig; api: CoreV1Api} {
	const kc = new KubeConfig();
	kc.loadFromFile(kubeconfigPath);
	return {kc, api: kc.makeApiClient(CoreV1Api)};
}

/** The Status the server sent with a failed call. */
async function statusOf(p: Promise<unknown>): Promise<{code: number; reason?: string; message?: string}> {
	try {
		await p;
	} catch (error) {
		const e = error as ApiException<unknown>;
		const body = typeof e.body === 'string' ? (JSON.parse(e.body) as Record<string, unknown>) : ((e.body ?? {}) as Record<string, unknown>);
		return {code: e.code, reason: body['reason'] as string | undefined, message: body['message'] as string | undefined};
	}

	throw new Error('expected the call to fail');
}

/** client-node returns class instances; compare their data. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

type Event = {type: string; object: Record<string, any>; at: number};

async function startWatch(kc: KubeConfig, path: string, query: Record<string, string>) {
	const events: Event[] = [];
	let done: {err: unknown} | null = null;
	const controller = await new Watch(kc).watch(
		path,
		query,
		(type, object) => events.push({type, object, at: performance.now()}),
		err => {
			done = {err};
		},
	);
	return {events, done: () => done, stop: () => controller.abort()};
}

describe('lab API with client-node', {skip}, () => {
	let f: Fixture;
	let api: CoreV1Api;
	let kc: KubeConfig;
	before(async () => {
		f = await startFixture(oddLabState({fakeNodes: 2, fakePods: 10}), {historyLimit: 50, bookmarkMs: 100});
		({kc, api} = client(f.server.kubeconfigPath));
	});
	after(async () => {
		await f?.close();
	});
	/** Puts the starting state back and applies it now, so the next test does not race the file watch. */
	const restore = () => {
		f.writeState(oddLabState({fakeNodes: 2, fakePods: 10}));
		f.server.reload();
	};

	test('lists every pod with the fields a real cluster has', async () => {
		const list = await api.listPodForAllNamespaces();
		assert.equal(list.items.length, 18);
		assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
		const byName = new Map(list.items.map(p => [p.metadata!.name!, p]));
		const web = byName.get('web-0')!;
		assert.equal(web.spec?.nodeName, 'k8snet-lab');
		assert.equal(web.status?.phase, 'Running');
		assert.equal(web.status?.podIP, '10.244.0.2');
		assert.deepEqual(plain(web.status?.podIPs), [{ip: '10.244.0.2'}]);
		assert.equal(web.status?.hostIP, '198.51.100.2');
		assert.ok(web.status?.startTime instanceof Date);
		assert.equal(web.metadata?.labels?.['app'], 'web');
		assert.equal(web.metadata?.labels?.['run'], 'web-0');
		assert.match(web.status?.containerStatuses?.[0]?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
		assert.deepEqual(web.status?.conditions?.find(c => c.type === 'Ready')?.status, 'True');
		assert.match(byName.get('web-1')!.status?.containerStatuses?.[0]?.containerID ?? '', /^docker:\/\/[0-9a-f]{64}$/);

		const pending = byName.get('pending-0')!;
		assert.equal(pending.status?.phase, 'Pending');
		assert.equal(pending.status?.podIP, undefined);
		assert.equal(pending.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
		assert.equal(pending.status?.containerStatuses?.[0]?.containerID, undefined);

		const hostnet = byName.get('hostnet-0')!;
		assert.equal(hostnet.spec?.hostNetwork, true);
		assert.equal(hostnet.status?.podIP, '198.51.100.2');
		assert.equal(byName.get('badip-0')!.status?.podIP, '10.244.0.999');
		assert.equal(byName.get('gone-0')!.status?.phase, 'Running');
		assert.equal(byName.get('gone-0')!.status?.podIP, '10.244.0.8');
	});

	test('namespaced list, get, and a 404 Status for a missing pod', async () => {
		const lab = await api.listNamespacedPod({namespace: 'lab'});
		assert.deepEqual(lab.items.filter(p => !p.metadata!.name!.startsWith('fake-')).map(p => p.metadata!.name), ['badip-0', 'db-0', 'db-1', 'gone-0']);
		const pod = await api.readNamespacedPod({namespace: 'lab', name: 'db-0'});
		assert.equal(pod.status?.podIP, '10.244.0.4');
		const missing = await statusOf(api.readNamespacedPod({namespace: 'lab', name: 'nope'}));
		assert.deepEqual(missing, {code: 404, reason: 'NotFound', message: 'pods "nope" not found'});
	});

	test('fieldSelector and labelSelector', async () => {
		const names = async (o: {fieldSelector?: string; labelSelector?: string}) =>
			(await api.listPodForAllNamespaces(o)).items.map(p => p.metadata!.name!).sort();
		assert.equal((await names({fieldSelector: 'spec.nodeName=k8snet-lab'})).length, 8);
		assert.equal((await names({fieldSelector: 'spec.nodeName=k8snet-lab-fake-1'})).length, 5);
		assert.deepEqual(await names({fieldSelector: 'status.phase=Pending'}), ['pending-0']);
		assert.deepEqual(await names({fieldSelector: 'metadata.namespace=lab,spec.nodeName=k8snet-lab,metadata.name!=db-0'}), ['badip-0', 'db-1', 'gone-0']);
		assert.deepEqual(await names({labelSelector: 'app=web'}), ['web-0', 'web-1']);
		assert.deepEqual(await names({labelSelector: 'app in (web,db),run!=web-0'}), ['db-0', 'db-1', 'web-1']);
		assert.deepEqual(await names({labelSelector: 'app notin (fake-app0,fake-app1,fake-app2,fake-app3,fake-app4,fake-app5,fake-app6,fake-app7,fake-app8,fake-app9),app==db'}), ['db-0', 'db-1']);
		assert.equal((await names({labelSelector: '!app'})).length, 0);
		assert.equal((await names({labelSelector: 'run'})).length, 18);
		const bad = await statusOf(api.listPodForAllNamespaces({fieldSelector: 'spec.color=red'}));
		assert.deepEqual(bad, {code: 400, reason: 'BadRequest', message: 'field label not supported: spec.color'});
	});

	test('limit and continue page through a list', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		do {
			const page = await api.listPodForAllNamespaces({limit: 7, _continue: token});
			seen.push(...page.items.map(p => `${p.metadata!.namespace}/${p.metadata!.name}`));
			token = page.metadata?._continue;
		} while (token);
		assert.equal(seen.length, 18);
		assert.equal(new Set(seen).size, 18);
	});

	test('nodes and namespaces', async () => {
		const nodes = await api.listNode();
		assert.deepEqual(nodes.items.map(n => n.metadata!.name), ['k8snet-lab', 'k8snet-lab-fake-1', 'k8snet-lab-fake-2']);
		const lab = await api.readNode({name: 'k8snet-lab'});
		assert.deepEqual(plain(lab.status?.addresses), [{type: 'InternalIP', address: '198.51.100.2'}, {type: 'Hostname', address: 'k8snet-lab'}]);
		assert.equal(lab.spec?.podCIDR, '10.244.0.0/24');
		assert.equal(lab.status?.conditions?.find(c => c.type === 'Ready')?.status, 'True');
		const ns = await api.listNamespace();
		assert.deepEqual(ns.items.map(n => n.metadata!.name), ['default', 'kube-system', 'lab']);
		assert.equal((await statusOf(api.readNode({name: 'nope'}))).code, 404);
	});

	test('a state file change reaches a watch within 1 s as ADDED, MODIFIED and DELETED', async t => {
		const list = await api.listPodForAllNamespaces({fieldSelector: 'spec.nodeName=k8snet-lab'});
		const w = await startWatch(kc, '/api/v1/pods', {resourceVersion: list.metadata!.resourceVersion!, fieldSelector: 'spec.nodeName=k8snet-lab'});
		try {
			const next = oddLabState({fakeNodes: 2, fakePods: 10});
			next.pods = next.pods.filter(p => p.name !== 'db-1');
			next.pods.find(p => p.name === 'web-0')!.ips = ['10.244.0.42'];
			next.pods.push(labPod('default', 'new-0', 20));
			const written = performance.now();
			f.writeState(next);
			await waitFor('three events', () => w.events.length >= 3, 1500);
			const latency = Math.max(...w.events.map(e => e.at - written));
			t.diagnostic(`state file change → watch events: ${latency.toFixed(0)} ms`);
			assert.ok(latency <= 1000, `events took ${latency} ms`);
			const got = w.events.map(e => `${e.type} ${e.object['metadata'].name}`).sort();
			assert.deepEqual(got, ['ADDED new-0', 'DELETED db-1', 'MODIFIED web-0']);
			const modified = w.events.find(e => e.type === 'MODIFIED')!;
			assert.equal(modified.object['status'].podIP, '10.244.0.42');
			assert.ok(Number(modified.object['metadata'].resourceVersion) > Number(list.metadata!.resourceVersion));
			// Nothing else on the node changed, so nothing else came.
			await new Promise(r => setTimeout(r, 200));
			assert.equal(w.events.length, 3);
		} finally {
			w.stop();
			restore();
		}
	});

	test('a filtered watch sees a pod leave and enter its selector', async () => {
		const rv = (await api.listPodForAllNamespaces()).metadata!.resourceVersion!;
		const w = await startWatch(kc, '/api/v1/namespaces/default/pods', {resourceVersion: rv, labelSelector: 'app=web'});
		try {
			const next = oddLabState({fakeNodes: 2, fakePods: 10});
			next.pods = next.pods.filter(p => p.name !== 'web-1');
			next.pods.push({...labPod('default', 'web-9', 30)});
			f.writeState(next);
			await waitFor('web-9 ADDED', () => w.events.some(e => e.type === 'ADDED' && e.object['metadata'].name === 'web-9'), 1500);
			await waitFor('web-1 DELETED', () => w.events.some(e => e.type === 'DELETED' && e.object['metadata'].name === 'web-1'), 1500);
		} finally {
			w.stop();
			restore();
		}
	});

	test('watch with resourceVersion 0 starts with ADDED for every pod, then bookmarks', async () => {
		const w = await startWatch(kc, '/api/v1/pods', {resourceVersion: '0', fieldSelector: 'spec.nodeName=k8snet-lab', allowWatchBookmarks: 'true'});
		try {
			await waitFor('a bookmark', () => w.events.some(e => e.type === 'BOOKMARK'), 1500);
			const added = w.events.filter(e => e.type === 'ADDED');
			assert.equal(added.length, 8);
			const bookmark = w.events.find(e => e.type === 'BOOKMARK')!;
			assert.match(bookmark.object['metadata'].resourceVersion, /^\d+$/);
		} finally {
			w.stop();
		}
	});

	test('a watch from a resourceVersion older than the history gets a 410 ERROR event', async () => {
		// historyLimit is 50: churn past it.
		const base = oddLabState({fakeNodes: 2, fakePods: 10});
		const rv = (await api.listPodForAllNamespaces()).metadata!.resourceVersion!;
		for (let i = 0; i < 30; i++) {
			const s = structuredClone(base);
			s.pods[0]!.ips = [`10.244.1.${i}`];
			s.pods[1]!.ips = [`10.244.2.${i}`];
			writeFileSync(f.stateFile, JSON.stringify(s));
			f.server.reload();
		}

		restore();
		const w = await startWatch(kc, '/api/v1/pods', {resourceVersion: rv});
		await waitFor('the watch to end', () => w.done() !== null, 1500);
		assert.equal(w.events.length, 1);
		assert.equal(w.events[0]!.type, 'ERROR');
		assert.equal(w.events[0]!.object['code'], 410);
		assert.equal(w.events[0]!.object['reason'], 'Expired');
		assert.match(w.events[0]!.object['message'], /^too old resource version: \d+ \(\d+\)$/);
	});

	test('goneOnWatch: an informer relists on 410 and ends with no duplicate pods', async () => {
		const before = f.server.requestStats();
		await setLabApiFaults(f.server.socket, {goneOnWatch: true});
		const listFn = () => api.listPodForAllNamespaces({fieldSelector: 'spec.nodeName=k8snet-lab'});
		const informer = new ListWatch<V1Pod>('/api/v1/pods', new Watch(kc), listFn, false, undefined, 'spec.nodeName=k8snet-lab');
		const adds: string[] = [];
		informer.on('add', p => adds.push(p.metadata!.name!));
		await informer.start();
		try {
			await waitFor('the second watch', () => (f.server.requestStats().byVerb.watch ?? 0) - (before.byVerb.watch ?? 0) >= 2, 3000);
			const after = f.server.requestStats();
			assert.equal((after.byVerb.list ?? 0) - (before.byVerb.list ?? 0), 2, 'listed, got 410, listed again');
			assert.equal(informer.list().length, 8);
			assert.equal(new Set(informer.list().map(p => p.metadata!.uid)).size, 8);
			const next = oddLabState({fakeNodes: 2, fakePods: 10});
			next.pods.push(labPod('lab', 'late-0', 40));
			f.writeState(next);
			await waitFor('late-0 added', () => adds.includes('late-0'), 1500);
			assert.equal(informer.list().length, 9);
		} finally {
			await informer.stop();
			restore();
			await setLabApiFaults(f.server.socket, {});
		}
	});

	test('forbidPods: 403 with the apiserver RBAC message, per scope', async () => {
		await setLabApiFaults(f.server.socket, {forbidPods: true});
		try {
			assert.deepEqual(await statusOf(api.listPodForAllNamespaces()), {
				code: 403,
				reason: 'Forbidden',
				message: 'pods is forbidden: User "k8snet-lab-admin" cannot list resource "pods" in API group "" at the cluster scope',
			});
			assert.equal(
				(await statusOf(api.listNamespacedPod({namespace: 'lab'}))).message,
				'pods is forbidden: User "k8snet-lab-admin" cannot list resource "pods" in API group "" in the namespace "lab"',
			);
			assert.equal(
				(await statusOf(api.readNamespacedPod({namespace: 'lab', name: 'db-0'}))).message,
				'pods "db-0" is forbidden: User "k8snet-lab-admin" cannot get resource "pods" in API group "" in the namespace "lab"',
			);
			assert.equal((await api.listNode()).items.length, 3, 'nodes stay readable');
		} finally {
			await setLabApiFaults(f.server.socket, {});
		}
	});

	test('error500, unauthorized and slowMs', async () => {
		try {
			await setLabApiFaults(f.server.socket, {error500: true});
			const s500 = await statusOf(api.listPodForAllNamespaces());
			assert.equal(s500.code, 500);
			assert.equal(s500.reason, 'InternalError');
			await setLabApiFaults(f.server.socket, {unauthorized: true});
			assert.equal((await statusOf(api.listNode())).code, 401);
			await setLabApiFaults(f.server.socket, {slowMs: 300});
			const t0 = performance.now();
			await api.listNode();
			const ms = performance.now() - t0;
			assert.ok(ms >= 290, `slowMs 300 answered in ${ms} ms`);
		} finally {
			await setLabApiFaults(f.server.socket, {});
		}

		const t0 = performance.now();
		await api.listNode();
		assert.ok(performance.now() - t0 < 200);
	});

	test('dropAfter: N requests served, then connections are destroyed and watches cut', async () => {
		const w = await startWatch(kc, '/api/v1/pods', {resourceVersion: String(f.server.resourceVersion())});
		try {
			await waitFor('the watch to be open', () => f.server.requestStats().openWatches === 1);
			await setLabApiFaults(f.server.socket, {dropAfter: 1});
			await api.listNode();
			assert.equal(w.done(), null, 'the watch survives the budget');
			await assert.rejects(api.listNode());
			await waitFor('the watch to be cut', () => w.done() !== null, 1000);
			assert.notEqual((w.done() as {err: unknown}).err, null, 'a cut watch ends with an error');
			assert.equal(f.server.requestStats().recent.at(-1)?.outcome, 'dropped');
		} finally {
			w.stop();
			await setLabApiFaults(f.server.socket, {});
		}

		assert.equal((await api.listNode()).items.length, 3);
	});

	test('cut watches now (admin route), destroyed or ended gracefully', async () => {
		const a = await startWatch(kc, '/api/v1/pods', {resourceVersion: String(f.server.resourceVersion())});
		await waitFor('a watch', () => f.server.requestStats().openWatches >= 1);
		assert.equal(await cutLabApiWatches(f.server.socket), 1);
		await waitFor('a cut', () => a.done() !== null, 1000);
		assert.notEqual((a.done() as {err: unknown}).err, null);
		const b = await startWatch(kc, '/api/v1/pods', {resourceVersion: String(f.server.resourceVersion())});
		await waitFor('a watch', () => f.server.requestStats().openWatches >= 1);
		assert.equal(await cutLabApiWatches(f.server.socket, {graceful: true}), 1);
		await waitFor('an end', () => b.done() !== null, 1000);
		assert.equal((b.done() as {err: unknown}).err, null);
	});

	test('badCert: new connections get a certificate the kubeconfig CA did not sign', async () => {
		try {
			await setLabApiFaults(f.server.socket, {badCert: true});
			await assert.rejects(client(f.server.kubeconfigPath).api.listNode(), (error: Error) => {
				const text = `${error.message} ${String((error as {cause?: unknown}).cause ?? '')}`;
				assert.match(text, /self[- ]signed certificate|unable to verify|certificate/i);
				return true;
			});
		} finally {
			await setLabApiFaults(f.server.socket, {});
		}

		assert.equal((await client(f.server.kubeconfigPath).api.listNode()).items.length, 3);
	});

	test('a wrong or missing token gets 401; admin routes are not served on TCP', async () => {
		const bad = join(f.dir, 'bad-kubeconfig');
		writeFileSync(bad, readFileSync(f.server.kubeconfigPath, 'utf8').replace(/token: .*/, 'token: wrong'));
		const s = await statusOf(client(bad).api.listPodForAllNamespaces());
		assert.equal(s.code, 401);
		const res = await fetchTls(f, '/api/v1/pods', {});
		assert.equal(res.status, 401);
		assert.deepEqual(JSON.parse(res.body), {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401});
		const admin = await fetchTls(f, '/lab/faults', {authorization: `Bearer ${f.server.token}`});
		assert.equal(admin.status, 404);
		const stats = await getLabApiRequests(f.server.socket);
		assert.ok(stats.total > 10);
	});

	test('watch=1, the old /watch/ paths, and timeoutSeconds ending a watch cleanly', async () => {
		const auth = {authorization: `Bearer ${f.server.token}`};
		for (const path of ['/api/v1/namespaces/lab/pods?watch=1&timeoutSeconds=1', '/api/v1/watch/namespaces/lab/pods?timeoutSeconds=1']) {
			const t0 = performance.now();
			const r = await fetchTls(f, `${path}&fieldSelector=spec.nodeName%3Dk8snet-lab`, auth);
			const ms = performance.now() - t0;
			assert.equal(r.status, 200);
			const events = r.body.trim().split('\n').map(l => JSON.parse(l) as {type: string; object: {metadata: {namespace: string}}});
			assert.equal(events.length, 4, path);
			assert.ok(events.every(e => e.type === 'ADDED' && e.object.metadata.namespace === 'lab'));
			// The server ends it at 1 s: not before, and (with slack for a loaded 2-core machine) not long after.
			assert.ok(ms >= 950 && ms < 3000, `${path} ended after ${ms} ms`);
		}
	});

	test('discovery', async () => {
		const auth = {authorization: `Bearer ${f.server.token}`};
		const v1 = JSON.parse((await fetchTls(f, '/api/v1', auth)).body) as {resources: Array<{name: string; verbs: string[]}>};
		assert.deepEqual(v1.resources.map(r => r.name).sort(), ['namespaces', 'nodes', 'pods', 'services']);
		assert.deepEqual(v1.resources.find(r => r.name === 'pods')?.verbs, ['get', 'list', 'watch']);
		assert.deepEqual(JSON.parse((await fetchTls(f, '/api', auth)).body).versions, ['v1']);
		assert.equal(JSON.parse((await fetchTls(f, '/apis', auth)).body).kind, 'APIGroupList');
		assert.equal(JSON.parse((await fetchTls(f, '/version', auth)).body).major, '1');
		assert.equal((await fetchTls(f, '/healthz', {})).body, 'ok');
	});
});

describe('lab API started with getState', {skip}, () => {
	test('reload() applies a new state at once', async () => {
		let state = labState([labPod('default', 'a-0', 0)]);
		const f = await startFixture(state, {});
		await f.server.close();
		const {startLabApiServer} = await import('../../source/lab/api/server.js');
		const server = await startLabApiServer({getState: () => state, dir: f.dir});
		try {
			const {api} = client(server.kubeconfigPath);
			assert.equal((await api.listPodForAllNamespaces()).items.length, 1);
			state = labState([labPod('default', 'a-0', 0), labPod('default', 'a-1', 1)]);
			server.reload();
			assert.equal((await api.listPodForAllNamespaces()).items.length, 2);
		} finally {
			await server.close();
			await f.close();
		}
	});
});

async function fetchTls(f: Fixture, path: string, headers: Record<string, string>): Promise<{status: number; body: string}> {
	const {request} = await import('node:https');
	return new Promise((resolve, reject) => {
		const req = request(`${f.server.url}${path}`, {ca: f.server.caCertPem, headers}, res => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString()}));
		});
		req.on('error', reject);
		req.end();
	});
}
