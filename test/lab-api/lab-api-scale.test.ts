// 10,000 fake pods: the lab API must build them once and serve a full list well under a second,
// so scale tests of the cluster side measure the client, not the lab.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {CoreV1Api, KubeConfig} from '@kubernetes/client-node';
import {needs} from '../support/prerequisites.js';
import {type Fixture, apiGet as get, oddLabState, startFixture} from './lab-api-fixture.js';

const skip = needs({tools: ['openssl']});

async function timed<T>(fn: () => Promise<T>): Promise<{ms: number; value: T}> {
	const t0 = performance.now();
	const value = await fn();
	return {ms: performance.now() - t0, value};
}

describe('lab API at 10,000 fake pods', {skip}, () => {
	let f: Fixture;
	let startMs = 0;
	before(async () => {
		const t0 = performance.now();
		f = await startFixture(oddLabState({fakeNodes: 50, fakePods: 10_000}));
		startMs = performance.now() - t0;
	});
	after(async () => {
		await f?.close();
	});

	test('a full PodList is served in well under 1 s', async t => {
		t.diagnostic(`start with 10,008 pods (TLS material, build, serialise): ${startMs.toFixed(0)} ms`);
		const first = await timed(async () => get(f, '/api/v1/pods'));
		const runs: Array<{ms: number; ttfbMs: number}> = [];
		let last = first.value;
		for (let i = 0; i < 3; i++) {
			const r = await timed(async () => get(f, '/api/v1/pods'));
			runs.push({ms: r.ms, ttfbMs: r.value.ttfbMs});
			last = r.value;
		}

		const list = JSON.parse(last.body) as {kind: string; items: unknown[]};
		assert.equal(list.kind, 'PodList');
		assert.equal(list.items.length, 10_008);
		const best = Math.min(...runs.map(r => r.ms));
		t.diagnostic(
			`10,008-pod PodList (${(last.bytes / 1e6).toFixed(1)} MB) over HTTPS, client in the same process: ` +
				`first ${first.ms.toFixed(0)} ms (headers after ${first.value.ttfbMs.toFixed(0)} ms), ` +
				`then ${runs.map(r => `${r.ms.toFixed(0)} (${r.ttfbMs.toFixed(0)})`).join(', ')} ms`,
		);
		// Bounds with 2x slack over what a loaded 2-core machine needs; the goals are the benchmark's.
		assert.ok(first.ms < 2500, `the first list took ${first.ms} ms`);
		assert.ok(best < 1000, `a cached list took ${best} ms`);
	});

	test('node-scoped and Table lists, and client-node typed list', async t => {
		const scoped = await timed(async () => get(f, '/api/v1/pods?fieldSelector=spec.nodeName%3Dk8snet-lab'));
		assert.equal((JSON.parse(scoped.value.body) as {items: unknown[]}).items.length, 8);
		t.diagnostic(`fieldSelector=spec.nodeName over 10,008 pods: ${scoped.ms.toFixed(1)} ms`);
		assert.ok(scoped.ms < 250, `took ${scoped.ms} ms`);

		const table = await timed(async () => get(f, '/api/v1/pods?limit=500', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'));
		const tbl = JSON.parse(table.value.body) as {kind: string; rows: unknown[]; metadata: {continue?: string}};
		assert.equal(tbl.kind, 'Table');
		assert.equal(tbl.rows.length, 500);
		assert.ok(tbl.metadata.continue);
		t.diagnostic(`kubectl-style Table page of 500: ${table.ms.toFixed(1)} ms`);

		const kc = new KubeConfig();
		kc.loadFromFile(f.server.kubeconfigPath);
		const api = kc.makeApiClient(CoreV1Api);
		const typed = await timed(async () => api.listPodForAllNamespaces());
		assert.equal(typed.value.items.length, 10_008);
		t.diagnostic(`client-node typed listPodForAllNamespaces of 10,008 pods: ${typed.ms.toFixed(0)} ms (client side dominates)`);
	});
});
