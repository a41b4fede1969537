import assert from 'node:assert/strict';
import {test} from 'node:test';
import {dimmed, packedColor, paletteColor} from '../../scripts/demo/xterm-palette.js';

test('the 16 ANSI colours are xterm\'s defaults', () => {
	assert.deepEqual(paletteColor(0), [0, 0, 0]);
	assert.deepEqual(paletteColor(1), [205, 49, 49]);
	assert.deepEqual(paletteColor(15), [255, 255, 255]);
});

test('16–231 are the 6×6×6 cube, 232–255 the grey ramp', () => {
	assert.deepEqual(paletteColor(16), [0, 0, 0]);
	assert.deepEqual(paletteColor(21), [0, 0, 255]);
	assert.deepEqual(paletteColor(196), [255, 0, 0]);
	assert.deepEqual(paletteColor(208), [255, 135, 0]);
	assert.deepEqual(paletteColor(231), [255, 255, 255]);
	assert.deepEqual(paletteColor(232), [8, 8, 8]);
	assert.deepEqual(paletteColor(255), [238, 238, 238]);
});

test('indices outside 0–255 clamp instead of returning undefined', () => {
	assert.deepEqual(paletteColor(-3), paletteColor(0));
	assert.deepEqual(paletteColor(300), paletteColor(255));
});

test('24-bit colours unpack from 0xRRGGBB; dim is half-way to the background', () => {
	assert.deepEqual(packedColor(0x0ac8fa), [10, 200, 250]);
	assert.deepEqual(dimmed([200, 100, 0], [0, 0, 0]), [100, 50, 0]);
});
