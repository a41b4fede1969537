// watchPods against the lab API server: events within 1 s without relisting, 410 → exactly one
// relist and no doubled rows, dropped streams resume, an unreachable server is retried with
// backoff until it comes (back) up.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import type {PodInfo} from '../../source/core/types.js';
import {loadKubeTarget, type KubeTarget} from '../../source/cluster/kube-target.js';
import {watchPods, type WatchStatus} from '../../source/cluster/pod-watch.js';
import type {PodScope} from '../../source/cluster/pods.js';
import {startLabApiServer} from '../../source/lab/api/server.js';
import {watchNodes} from '../../source/cluster/nodes.js';
import {watchNamespaces} from '../../source/cluster/namespaces.js';
import {type Fixture, labPod, plainLabState, startFixture} from '../lab-api/lab-api-fixture.js';

let lab: Fixture;
let target: KubeTarget;

before(async () => {
	lab = await startFixture(plainLabState(4));
	const t = loadKubeTarget({kubeconfig: lab.server.kubeconfigPath});
	assert.ok(t.ok, JSON.stringify(t));
	target = t.value;
});

after(async () => lab?.close());

/** A consumer as the store would be: a map by uid, plus a record of what happened. */
function consumer(t: KubeTarget, scope: PodScope) {
	const pods = new Map<string, PodInfo>();
	const log: string[] = [];
	const statuses: WatchStatus[] = [];
	let lists = 0;
	const waiters: Array<() => void> = [];
	const poke = () => {
		for (const w of waiters.splice(0)) w();
	};

	const w = watchPods(
		t,
		scope,
		{
			onReplace(list) {
				assert.equal(new Set(list.map(p => p.uid)).size, list.length, 'onReplace has no duplicate uid');
				pods.clear();
				for (const p of list) pods.set(p.uid, p);
				log.push(`replace ${list.length}`);
				poke();
			},
			onUpsert(p) {
				pods.set(p.uid, p);
				log.push(`upsert ${p.name}`);
				poke();
			},
			onDelete(uid) {
				pods.delete(uid);
				log.push(`delete ${uid}`);
				poke();
			},
			onStatus(s) {
				statuses.push(s);
				poke();
			},
		},
		{
			onList: () => lists++,
			firstBackoffMs: 300,
		},
	);
	const until = async (what: string, ok: () => boolean, ms = 5000): Promise<number> => {
		const start = Date.now();
		while (!ok()) {
			if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}; log: ${log.join(' | ')}; statuses: ${JSON.stringify(statuses)}`);
			await new Promise<void>(r => {
				waiters.push(r);
				setTimeout(r, 50);
			});
		}

		return Date.now() - start;
	};

	return {pods, log, statuses, lists: () => lists, until, stop: () => w.stop()};
}

const names = (m: Map<string, PodInfo>) => [...m.values()].map(p => p.name).sort();

test('a pod added or removed in the state file reaches the handlers within 1 s, with no relist', async () => {
	const c = consumer(target, {nodeName: 'k8snet-lab'});
	try {
		await c.until('first list', () => c.pods.size === 4);
		assert.deepEqual(c.statuses, [{connected: true}]);
		const watchesBefore = lab.server.requestStats().byVerb.list ?? 0;

		lab.state.pods.push(labPod('web', 'added-pod', 40));
		lab.writeState();
		const addMs = await c.until('the added pod', () => names(c.pods).includes('added-pod'));
		assert.ok(addMs < 1000, `add took ${addMs} ms`);

		const gone = lab.state.pods.shift()!;
		lab.writeState();
		const delMs = await c.until('the deleted pod', () => !c.pods.has(gone.uid));
		assert.ok(delMs < 1000, `delete took ${delMs} ms`);
		console.log(`watch latency: add ${addMs} ms, delete ${delMs} ms`);

		assert.equal(c.lists(), 1, 'listed once');
		assert.equal(lab.server.requestStats().byVerb.list ?? 0, watchesBefore, 'the server saw no new list');
		assert.equal(c.pods.size, 4);
		const added = [...c.pods.values()].find(p => p.name === 'added-pod')!;
		assert.equal(added.namespace, 'web');
		assert.deepEqual(added.ips, ['10.244.0.42']);
		assert.equal(added.nodeName, 'k8snet-lab');
		assert.deepEqual(added.containers.map(x => [x.name, x.kind, x.image]), [['app', 'regular', 'busybox:1.36']]);
	} finally {
		c.stop();
	}
});

test('410 Gone on the watch: exactly one relist, no duplicate rows', async () => {
	const c = consumer(target, {});
	try {
		await c.until('first list', () => c.log.length > 0);
		const before = c.pods.size;
		lab.server.setFaults({goneOnWatch: true});
		// The open watch is not affected; a new one is. Cut the stream so the client opens one.
		lab.server.cutWatches();
		await c.until('the relist', () => c.lists() === 2);
		lab.server.setFaults({});
		// Give it time to do anything more it might wrongly do.
		await new Promise(r => setTimeout(r, 700));
		assert.equal(c.lists(), 2, `one relist; log: ${c.log.join(' | ')}`);
		assert.equal(c.pods.size, before);
		assert.deepEqual(c.log.filter(l => l.startsWith('replace')), [`replace ${before}`, `replace ${before}`]);
		// And it watches again afterwards.
		lab.state.pods.push(labPod('default', 'after-gone', 41));
		lab.writeState();
		await c.until('an event after the relist', () => names(c.pods).includes('after-gone'), 1000);
	} finally {
		c.stop();
	}
});

test('a watch cut mid-stream resumes from the last resourceVersion, without relisting', async () => {
	const c = consumer(target, {namespace: 'default'});
	try {
		await c.until('first list', () => c.log.length > 0);
		await c.until('the watch to open', () => lab.server.requestStats().openWatches > 0);
		const watchesBefore = lab.server.requestStats().byVerb.watch ?? 0;
		assert.equal(lab.server.cutWatches(), 1);
		// A change made while the client is between streams must still arrive.
		lab.state.pods.push(labPod('default', 'during-cut', 42));
		lab.writeState();
		await c.until('the pod made during the cut', () => names(c.pods).includes('during-cut'), 2000);
		assert.equal(c.lists(), 1, 'no relist');
		assert.ok((lab.server.requestStats().byVerb.watch ?? 0) > watchesBefore, 'a new watch was opened');
		assert.ok(c.statuses.every(s => s.connected), 'a quick resume is not reported as an outage');
	} finally {
		c.stop();
	}
});

test('a server that drops every request: disconnected with a reason, then back by itself', async () => {
	const c = consumer(target, {});
	try {
		await c.until('first list', () => c.log.length > 0);
		lab.server.setFaults({dropAfter: 0});
		await c.until('disconnected', () => c.statuses.some(s => !s.connected));
		const down = c.statuses.find(s => !s.connected)!;
		assert.equal(down.reason, `cannot reach the API server ${lab.server.url}: connection reset`);
		assert.ok(down.hint && down.retryInMs !== undefined && down.retryInMs < 500, JSON.stringify(down));
		lab.state.pods.push(labPod('web', 'while-down', 43));
		lab.writeState();
		await new Promise(r => setTimeout(r, 400));
		lab.server.setFaults({});
		await c.until('reconnected', () => c.statuses.at(-1)?.connected === true, 12_000);
		await c.until('the pod made while down', () => names(c.pods).includes('while-down'), 2000);
		assert.equal(new Set(c.pods.keys()).size, c.pods.size);
	} finally {
		c.stop();
	}
});

test('unreachable at start: retried with backoff, connects when the server comes up', async () => {
	// Learn a port and the TLS material by running a server once, then stop it: that port is closed.
	const first = await startLabApiServer({getState: () => lab.state, dir: `${lab.dir}/late`});
	const {port, kubeconfigPath} = first;
	await first.close();
	const t = loadKubeTarget({kubeconfig: kubeconfigPath});
	assert.ok(t.ok);
	const c = consumer(t.value, {});
	let late: Awaited<ReturnType<typeof startLabApiServer>> | undefined;
	try {
		await c.until('three failed attempts', () => c.statuses.filter(s => !s.connected).length >= 3, 5000);
		const delays = c.statuses.filter(s => !s.connected).map(s => s.retryInMs!);
		console.log(`backoff delays (ms): ${delays.join(', ')}`);
		assert.ok(delays[0]! >= 240 && delays[0]! <= 360, `first retry ~300 ms: ${delays[0]}`);
		assert.ok(delays[1]! > delays[0]! && delays[2]! > delays[1]!, 'it backs off');
		assert.equal(c.statuses[0]!.reason, `cannot reach the API server https://127.0.0.1:${port}: connection refused`);
		assert.equal(c.lists(), 3);
		late = await startLabApiServer({getState: () => lab.state, dir: `${lab.dir}/late`, port});
		await c.until('connected', () => c.statuses.at(-1)?.connected === true, 10_000);
		await c.until('the pods', () => c.pods.size === lab.state.pods.length);
	} finally {
		c.stop();
		await late?.close();
	}
});

test('stop(): nothing is called afterwards', async () => {
	const c = consumer(target, {});
	await c.until('first list', () => c.log.length > 0);
	c.stop();
	const n = c.log.length;
	lab.state.pods.push(labPod('web', 'after-stop', 44));
	lab.writeState();
	lab.server.cutWatches();
	await new Promise(r => setTimeout(r, 600));
	assert.equal(c.log.length, n);
});

test('nodes and namespaces: listed, then watched', async () => {
	const nodes: string[][] = [];
	const spaces = new Set<string>();
	let spaceAdded = '';
	const wn = watchNodes(target, {onReplace: l => nodes.push(l.map(n => n.name)), onUpsert() {}, onDelete() {}, onStatus() {}});
	const ws = watchNamespaces(target, {
		onReplace(l) {
			for (const n of l) spaces.add(n);
		},
		onUpsert(n) {
			spaces.add(n);
			spaceAdded = n;
		},
		onDelete: n => spaces.delete(n),
		onStatus() {},
	});
	try {
		const start = Date.now();
		while ((nodes.length === 0 || spaces.size === 0) && Date.now() - start < 3000) await new Promise(r => setTimeout(r, 20));
		assert.deepEqual(nodes, [['k8snet-lab']]);
		assert.ok(spaces.has('web') && spaces.has('default'), [...spaces].join());
		await new Promise(r => setTimeout(r, 200));
		lab.state.pods.push(labPod('brand-new-ns', 'ns-pod', 45));
		lab.writeState();
		const t0 = Date.now();
		while (spaceAdded !== 'brand-new-ns' && Date.now() - t0 < 1000) await new Promise(r => setTimeout(r, 20));
		assert.equal(spaceAdded, 'brand-new-ns');
	} finally {
		wn.stop();
		ws.stop();
	}
});

test('a handler that throws does not kill the process, and later events still come', async () => {
	const seen: string[] = [];
	let replaced = false;
	let thrown = 0;
	const w = watchPods(target, {namespace: 'web'}, {
		onReplace: () => (replaced = true),
		onUpsert(p) {
			if (p.name === 'poison') {
				thrown++;
				throw new Error('consumer bug');
			}

			seen.push(p.name);
		},
		onDelete() {},
		onStatus() {},
	});
	try {
		const start = Date.now();
		while (!replaced && Date.now() - start < 3000) await new Promise(r => setTimeout(r, 20));
		await new Promise(r => setTimeout(r, 200));
		lab.state.pods.push(labPod('web', 'poison', 46));
		lab.writeState();
		await new Promise(r => setTimeout(r, 300));
		lab.state.pods.push(labPod('web', 'antidote', 47));
		lab.writeState();
		const t0 = Date.now();
		while (!seen.includes('antidote') && Date.now() - t0 < 2000) await new Promise(r => setTimeout(r, 20));
		assert.deepEqual(seen, ['antidote']);
		assert.equal(thrown, 1, 'the event that made it throw is not delivered again');
	} finally {
		w.stop();
	}
});

test('a silent watch (a half-open connection) is reopened from its resourceVersion, not relisted', async () => {
	const quiet = await startLabApiServer({getState: () => lab.state, dir: `${lab.dir}/quiet`, bookmarkMs: 60_000});
	const t = loadKubeTarget({kubeconfig: quiet.kubeconfigPath});
	assert.ok(t.ok);
	let lists = 0;
	const w = watchPods(t.value, {}, {onReplace() {}, onUpsert() {}, onDelete() {}, onStatus() {}}, {idleTimeoutMs: 300, onList: () => lists++});
	try {
		await new Promise(r => setTimeout(r, 1500));
		const watches = quiet.requestStats().byVerb.watch ?? 0;
		assert.ok(watches >= 3, `reopened: ${watches} watches`);
		assert.equal(lists, 1);
	} finally {
		w.stop();
		await quiet.close();
	}
});
