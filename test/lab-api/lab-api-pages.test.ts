// Paged lists (limit + continue), as the real apiserver serves them: every page of one list comes
// from the resourceVersion of its first page, so changes made between pages do not show, and a
// token whose version the history no longer reaches gets 410 Expired with a Status.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {type Fixture, apiGet, labPod, plainLabState, startFixture} from './lab-api-fixture.js';

const skip = needs({tools: ['openssl']});

interface PodList {
	metadata: {resourceVersion: string; continue?: string; remainingItemCount?: number};
	items: Array<{metadata: {namespace: string; name: string; resourceVersion: string}; status: {podIP?: string}}>;
}

async function page(f: Fixture, query: string): Promise<PodList> {
	const r = await apiGet(f, `/api/v1/pods?${query}`);
	assert.equal(r.status, 200, r.body);
	return JSON.parse(r.body) as PodList;
}

const summary = (l: PodList) => l.items.map(p => `${p.metadata.namespace}/${p.metadata.name} ${p.status.podIP} rv${p.metadata.resourceVersion}`);

describe('lab API: paged lists', {skip}, () => {
	let f: Fixture;
	before(async () => {
		f = await startFixture(plainLabState(10), {historyLimit: 20});
	});
	after(async () => f?.close());

	test('later pages are served at the first page\'s resourceVersion, whatever changed in between', async () => {
		const whole = await page(f, '');
		const first = await page(f, 'limit=4');
		assert.equal(first.items.length, 4);
		assert.equal(first.metadata.remainingItemCount, 6);
		assert.ok(first.metadata.continue);

		// Between pages: a pod of a later page goes, one is added, one gets another IP.
		const later = f.state.pods.filter(p => !first.items.some(i => i.metadata.name === p.name));
		const [gone, changed] = later;
		f.state.pods = f.state.pods.filter(p => p !== gone);
		f.state.pods.push(labPod('default', 'pod-new', 50));
		changed!.ip = '10.244.9.9';
		changed!.ips = ['10.244.9.9'];
		f.writeState();
		f.server.reload();
		assert.ok(f.server.resourceVersion() > Number(first.metadata.resourceVersion), 'the changes made new resourceVersions');

		const second = await page(f, `limit=4&continue=${first.metadata.continue}`);
		const third = await page(f, `limit=4&continue=${second.metadata.continue}`);
		assert.equal(third.metadata.continue, undefined);
		for (const p of [second, third]) assert.equal(p.metadata.resourceVersion, first.metadata.resourceVersion);
		assert.deepEqual([...summary(first), ...summary(second), ...summary(third)], summary(whole));

		// A fresh list sees today's pods.
		const now = summary(await page(f, ''));
		assert.ok(now.some(s => s.startsWith('default/pod-new ')));
		assert.ok(!now.some(s => s.startsWith(`${gone!.namespace}/${gone!.name} `)));
	});

	test('a token older than the history gets 410 Expired; a forged one 400', async () => {
		const first = await page(f, 'limit=3');
		for (let i = 0; i < 25; i++) {
			f.state.pods.push(labPod('web', `churn-${i}`, 100 + i));
			f.writeState();
			f.server.reload();
		}

		const r = await apiGet(f, `/api/v1/pods?limit=3&continue=${first.metadata.continue}`);
		assert.equal(r.status, 410, r.body);
		const status = JSON.parse(r.body) as {kind: string; reason: string; code: number};
		assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'Expired', 410]);

		const forged = await apiGet(f, '/api/v1/pods?limit=3&continue=bm9wZQ');
		assert.equal(forged.status, 400, forged.body);
	});
});
