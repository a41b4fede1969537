import assert from 'node:assert/strict';
import {test} from 'node:test';
import {glyphRects, type Rect} from '../../scripts/demo/glyph-shapes.js';

const W = 8;
const H = 18;

/** The cell as rows of '#' and '.', to assert on shapes. */
function paint(rects: Rect[] | null): string[] {
	assert.ok(rects, 'expected rectangles');
	const rows = Array.from({length: H}, () => Array.from({length: W}, () => '.'));
	for (const r of rects) {
		for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) rows[y]![x] = '#';
	}

	return rows.map(row => row.join(''));
}

test('─ and │ run edge to edge, so neighbouring cells join into one line', () => {
	const horizontal = paint(glyphRects('─', W, H));
	assert.equal(horizontal[H / 2], '########');
	assert.equal(horizontal.filter(row => row.includes('#')).length, 1);
	const vertical = paint(glyphRects('│', W, H));
	assert.ok(vertical.every(row => row === '....#...'), vertical.join('\n'));
});

test('┌ reaches the right and bottom edges only, and its corner is closed', () => {
	const rows = paint(glyphRects('┌', W, H));
	assert.equal(rows[0], '........');
	assert.equal(rows[H - 1], '....#...');
	assert.equal(rows[H / 2], '....####');
	assert.ok(rows.every(row => row[0] === '.'));
});

test('═ is two lines; ╔ leaves the top-left open and its inner corner inside the outer one', () => {
	const double = paint(glyphRects('═', W, H));
	assert.equal(double.filter(row => row === '########').length, 2);
	const corner = paint(glyphRects('╔', W, H));
	assert.equal(corner[0], '........');
	assert.equal(corner[H / 2 - 1], '...#####');
	assert.equal(corner[H / 2 + 1], '...#.###');
	assert.equal(corner[H - 1], '...#.#..');
});

test('lower eighth blocks grow from the bottom; other characters come from the font', () => {
	const half = paint(glyphRects('▄', W, H));
	assert.equal(half.filter(row => row === '########').length, H / 2);
	assert.equal(half[H - 1], '########');
	assert.equal(half[0], '........');
	assert.equal(glyphRects('a', W, H), null);
	assert.equal(glyphRects('░', W, H), null);
});
