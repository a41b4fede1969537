import assert from 'node:assert/strict';
import {test} from 'node:test';
import {keyCaption} from '../../scripts/demo/key-caption.js';
import {cellAt, gridText} from '../../scripts/demo/screen-grid.js';

const KEYS = [{key: 'j', label: 'down'}, {key: 'enter', label: 'select'}, {key: 'q', label: 'quit'}];

test('every key shows as a keycap and its label, in order, on one row', () => {
	const grid = keyCaption(60, KEYS, -1);
	assert.equal(grid.rows, 1);
	assert.equal(gridText(grid), '  j  down   enter  select   q  quit');
});

test('the key being pressed stands out from the ones before and after it', () => {
	const grid = keyCaption(60, KEYS, 1);
	const before = cellAt(grid, 2, 0);
	const pressed = cellAt(grid, 12, 0);
	const after = cellAt(grid, 28, 0);
	assert.equal(pressed.char, 'e');
	assert.equal(after.char, 'q');
	assert.notDeepEqual(pressed.bg, before.bg);
	assert.notDeepEqual(pressed.bg, after.bg);
	assert.notDeepEqual(before.bg, after.bg);
});

test('keys that do not fit are left out whole, never cut', () => {
	assert.equal(gridText(keyCaption(27, KEYS, -1)), '  j  down   enter  select');
	assert.equal(gridText(keyCaption(26, KEYS, -1)), '  j  down');
});
