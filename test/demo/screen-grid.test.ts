import assert from 'node:assert/strict';
import {test} from 'node:test';
import xterm from '@xterm/headless';
import {blankGrid, cellAt, gridSignature, gridText, readScreenGrid, resolveColors, stackGrids, writeText} from '../../scripts/demo/screen-grid.js';
import {DEFAULT_BACKGROUND, DEFAULT_FOREGROUND, paletteColor} from '../../scripts/demo/xterm-palette.js';

const {Terminal} = xterm;

async function screenOf(data: string, columns = 20, rows = 4) {
	const term = new Terminal({cols: columns, rows, allowProposedApi: true});
	await new Promise<void>(resolve => term.write(data, resolve));
	return readScreenGrid(term);
}

test('default colours, palette colours, bold brightening, inverse and dim resolve as xterm paints them', () => {
	const plain = {bold: false, dim: false, inverse: false};
	assert.deepEqual(resolveColors({fg: {mode: 'default'}, bg: {mode: 'default'}, ...plain}), {fg: DEFAULT_FOREGROUND, bg: DEFAULT_BACKGROUND});
	assert.deepEqual(resolveColors({fg: {mode: 'palette', index: 2}, bg: {mode: 'default'}, ...plain, bold: true}).fg, paletteColor(10));
	assert.deepEqual(resolveColors({fg: {mode: 'palette', index: 100}, bg: {mode: 'default'}, ...plain, bold: true}).fg, paletteColor(100));
	assert.deepEqual(resolveColors({fg: {mode: 'default'}, bg: {mode: 'default'}, ...plain, inverse: true}), {fg: DEFAULT_BACKGROUND, bg: DEFAULT_FOREGROUND});
	assert.deepEqual(resolveColors({fg: {mode: 'rgb', rgb: 0xc8c8c8}, bg: {mode: 'rgb', rgb: 0}, ...plain, dim: true}).fg, [100, 100, 100]);
});

test('a real xterm.js screen reads back as cells with text and resolved colours', async () => {
	const grid = await screenOf('\x1b[31mred\x1b[0m \x1b[1;38;5;208mX\x1b[0m\r\n\x1b[38;2;10;200;250;48;5;21mrgb\x1b[0m \x1b[7minv\x1b[0m');
	assert.equal(gridText(grid), 'red X\nrgb inv\n\n');
	assert.deepEqual(cellAt(grid, 0, 0).fg, paletteColor(1));
	assert.deepEqual(cellAt(grid, 3, 0).bg, DEFAULT_BACKGROUND);
	assert.equal(cellAt(grid, 3, 0).char, '');
	assert.deepEqual(cellAt(grid, 4, 0).fg, [255, 135, 0]);
	assert.equal(cellAt(grid, 4, 0).bold, true);
	assert.deepEqual(cellAt(grid, 0, 1).fg, [10, 200, 250]);
	assert.deepEqual(cellAt(grid, 0, 1).bg, [0, 0, 255]);
	assert.deepEqual(cellAt(grid, 4, 1).bg, DEFAULT_FOREGROUND);
});

test('a wide character covers two cells and is read once', async () => {
	const grid = await screenOf('a你b');
	assert.equal(cellAt(grid, 1, 0).width, 2);
	assert.equal(cellAt(grid, 2, 0).char, '');
	assert.equal(gridText(grid).split('\n')[0], 'a你b');
});

test('the alternate screen is what is read while it is active', async () => {
	const grid = await screenOf('main\x1b[?1049h\x1b[Halt');
	assert.equal(gridText(grid).split('\n')[0], 'alt');
});

test('signatures differ exactly when the pixels would: text, colour or boldness', () => {
	const a = blankGrid(4, 1);
	const b = blankGrid(4, 1);
	assert.equal(gridSignature(a), gridSignature(b));
	writeText(b, 0, 0, 'x');
	assert.notEqual(gridSignature(a), gridSignature(b));
	writeText(a, 0, 0, 'x', {fg: paletteColor(1)});
	assert.notEqual(gridSignature(a), gridSignature(b));
	writeText(a, 0, 0, 'x', {fg: DEFAULT_FOREGROUND});
	assert.equal(gridSignature(a), gridSignature(b));
	writeText(a, 0, 0, 'x', {bold: true});
	assert.notEqual(gridSignature(a), gridSignature(b));
});

test('stacked grids keep their rows in order; writing text clips at the right edge', () => {
	const top = blankGrid(3, 1);
	writeText(top, 1, 0, 'abcdef');
	const bottom = blankGrid(3, 2);
	writeText(bottom, 0, 1, 'z');
	const both = stackGrids(top, bottom);
	assert.equal(both.rows, 3);
	assert.equal(gridText(both), ' ab\n\nz');
	assert.throws(() => stackGrids(top, blankGrid(4, 1)), RangeError);
});
