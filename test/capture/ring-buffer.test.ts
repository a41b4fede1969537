import assert from 'node:assert/strict';
import {test} from 'node:test';
import {DEFAULT_RING_CAPACITY, RingBuffer} from '../../source/core/ring-buffer.js';

test('holds the newest `capacity` entries, addressed by a seq that never repeats', () => {
	const ring = new RingBuffer<number>(3);
	assert.equal(ring.size, 0);
	assert.deepEqual(ring.slice(0, 10), []);
	for (let i = 0; i < 5; i++) ring.push(i * 10);
	assert.equal(ring.total, 5);
	assert.equal(ring.size, 3);
	assert.equal(ring.firstSeq, 2);
	assert.equal(ring.endSeq, 5);
	assert.deepEqual(ring.slice(0, 10).map(e => (e.kind === 'item' ? e.value : e.note)), [20, 30, 40]);
	assert.deepEqual(ring.slice(3, 4), [{seq: 3, kind: 'item', value: 30}]);
	assert.equal(ring.at(1), undefined);
	assert.deepEqual(ring.at(4), {seq: 4, kind: 'item', value: 40});
	assert.equal(ring.at(5), undefined);
});

test('gap markers take a seq like lines and expire like them', () => {
	const ring = new RingBuffer<string>(4);
	ring.push('a');
	ring.pushGap('restarted');
	ring.push('b');
	assert.deepEqual(ring.slice(0, 3), [
		{seq: 0, kind: 'item', value: 'a'},
		{seq: 1, kind: 'gap', note: 'restarted'},
		{seq: 2, kind: 'item', value: 'b'},
	]);
	for (const x of ['c', 'd', 'e']) ring.push(x);
	assert.deepEqual(ring.slice(0, 100).map(e => e.seq), [2, 3, 4, 5]);
});

test('default capacity is 10,000 and a push stays O(1) at a million entries', () => {
	const ring = new RingBuffer<number>();
	assert.equal(ring.capacity, DEFAULT_RING_CAPACITY);
	assert.equal(DEFAULT_RING_CAPACITY, 10_000);
	const started = process.hrtime.bigint();
	for (let i = 0; i < 1_000_000; i++) ring.push(i);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	assert.equal(ring.size, 10_000);
	assert.deepEqual(ring.slice(999_998, 2_000_000).map(e => e.seq), [999_998, 999_999]);
	assert.ok(ms < 2000, `1e6 pushes took ${ms} ms`);
	assert.throws(() => new RingBuffer(0), RangeError);
});
