import assert from 'node:assert/strict';
import {test} from 'node:test';
import {GifReader} from 'omggif';
import {encodeGif} from '../../scripts/demo/gif-writer.js';

const W = 16;
const H = 8;
type Rgb = [number, number, number];

function solid(color: Rgb, patch?: {x: number; y: number; color: Rgb}): Uint8Array {
	const rgba = new Uint8Array(W * H * 4);
	for (let p = 0; p < W * H; p++) {
		const inPatch = patch && p % W >= patch.x && p % W < patch.x + 4 && Math.floor(p / W) === patch.y;
		rgba.set([...(inPatch ? patch.color : color), 255], p * 4);
	}

	return rgba;
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
	for (let i = 0; i < expected.length; i += 4) {
		for (let c = 0; c < 3; c++) {
			assert.ok(Math.abs(actual[i + c]! - expected[i + c]!) <= 8, `${what}: pixel ${i / 4} channel ${c} is ${actual[i + c]}, expected ${expected[i + c]}`);
		}
	}
}

test('frames decode back to the images given, with their delays, one global palette', () => {
	const frames = [
		{rgba: solid([24, 24, 27]), delayCs: 15},
		{rgba: solid([24, 24, 27], {x: 2, y: 3, color: [205, 49, 49]}), delayCs: 30},
		{rgba: solid([24, 24, 27], {x: 8, y: 5, color: [13, 188, 121]}), delayCs: 250},
	];
	const gif = encodeGif(frames, {width: W, height: H});
	const reader = new GifReader(Buffer.from(gif));
	assert.equal(reader.width, W);
	assert.equal(reader.numFrames(), 3);
	assert.equal(reader.loopCount(), 0);
	// omggif blits a frame over the pixels it is given, skipping transparent ones: as a viewer does.
	const screen = new Uint8Array(W * H * 4);
	for (const [i, frame] of frames.entries()) {
		assert.equal(reader.frameInfo(i).delay, frame.delayCs);
		assert.equal(reader.frameInfo(i).palette_offset, reader.frameInfo(0).palette_offset, 'no local palette');
		reader.decodeAndBlitFrameRGBA(i, screen);
		close(screen, frame.rgba, `frame ${i}`);
	}
});

test('unchanged pixels cost almost nothing: an identical frame is far smaller than the first', () => {
	const busy = new Uint8Array(W * 50 * H * 4);
	for (let p = 0; p < busy.length / 4; p++) busy.set([(p * 37) % 256, (p * 91) % 256, (p * 13) % 256, 255], p * 4);
	const one = encodeGif([{rgba: busy, delayCs: 10}], {width: W * 50, height: H});
	const two = encodeGif([{rgba: busy, delayCs: 10}, {rgba: busy, delayCs: 10}], {width: W * 50, height: H});
	assert.ok(two.length - one.length < one.length / 10, `second frame took ${two.length - one.length} bytes, first ${one.length}`);
});

test('frames of the wrong size are refused', () => {
	assert.throws(() => encodeGif([{rgba: new Uint8Array(10), delayCs: 10}], {width: W, height: H}), RangeError);
	assert.throws(() => encodeGif([], {width: W, height: H}), RangeError);
});
