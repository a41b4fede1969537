import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createFrameTimeline, gifDelays} from '../../scripts/demo/frame-timeline.js';

test('a sample equal to the last kept frame only lengthens it', () => {
	const timeline = createFrameTimeline<string>();
	assert.equal(timeline.offer('a', 'A', 1000), true);
	assert.equal(timeline.offer('a again', 'A', 1150), false);
	assert.equal(timeline.offer('b', 'B', 1300), true);
	assert.equal(timeline.offer('a', 'A', 1450), true);
	assert.equal(timeline.count(), 3);
	assert.deepEqual(timeline.finish(2000, 500), [
		{frame: 'a', atMs: 0, durationMs: 300},
		{frame: 'b', atMs: 300, durationMs: 150},
		{frame: 'a', atMs: 450, durationMs: 1050},
	]);
});

test('no frames offered: no frames', () => {
	assert.deepEqual(createFrameTimeline<string>().finish(100), []);
});

test('GIF delays follow the real end times, so rounding does not add up', () => {
	const durations = Array.from({length: 30}, () => 154);
	const delays = gifDelays(durations);
	const totalCs = delays.reduce((a, b) => a + b, 0);
	assert.equal(totalCs, Math.round((30 * 154) / 10));
	assert.ok(delays.every(d => d === 15 || d === 16), delays.join(','));
});

test('no GIF delay is under 2 cs (browsers would slow it to 10)', () => {
	// The short frames borrow from the long one, which still ends on time (506 ms → 51 cs).
	assert.deepEqual(gifDelays([3, 3, 500]), [2, 2, 47]);
});
