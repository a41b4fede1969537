// The store's diff by uid and its bounded history, without a server.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {desiredObjects, fakeCluster} from '../../source/lab/api/kube-objects.js';
import {ObjectStore} from '../../source/lab/api/object-store.js';
import {labPod, labState} from './lab-api-fixture.js';

const epoch = '2026-11-29T10:00:00Z';
const noFake = fakeCluster(0, 0, [], epoch);
const desired = (pods: ReturnType<typeof labPod>[]) => desiredObjects(labState(pods), noFake, epoch);

test('first apply is the initial state; an equal state changes nothing', () => {
	const store = new ObjectStore();
	assert.deepEqual(store.apply(desired([labPod('default', 'a-0', 0)])), []);
	const rv = store.rv;
	assert.equal(store.floorRV, rv);
	assert.deepEqual(store.apply(desired([labPod('default', 'a-0', 0)])), []);
	assert.equal(store.rv, rv);
	assert.equal(store.list('pods').length, 1);
});

test('a pod re-created under its name is DELETED before it is ADDED again', () => {
	const store = new ObjectStore();
	store.apply(desired([labPod('default', 'a-0', 0)]));
	const again = {...labPod('default', 'a-0', 9)};
	const events = store.apply(desired([again]));
	assert.deepEqual(events.map(e => `${e.type} ${e.entry.uid}`), [`DELETED ${labPod('default', 'a-0', 0).uid}`, `ADDED ${again.uid}`]);
	assert.ok(events[0]!.rv < events[1]!.rv);
	assert.equal(store.get('pods', 'default/a-0')?.uid, again.uid);
});

test('MODIFIED carries the previous entry; the history is bounded and then answers null', () => {
	const store = new ObjectStore(3);
	const pod = labPod('default', 'a-0', 0);
	store.apply(desired([pod]));
	const start = store.rv;
	for (let i = 0; i < 5; i++) {
		const events = store.apply(desired([{...pod, ips: [`10.244.9.${i}`]}]));
		assert.equal(events.length, 1);
		assert.equal(events[0]!.type, 'MODIFIED');
		assert.ok(events[0]!.previous);
	}

	assert.equal(store.history.length, 3);
	assert.equal(store.since(start), null);
	assert.equal(store.since(store.rv - 1)?.length, 1);
	assert.equal(store.since(store.rv)?.length, 0);
});
