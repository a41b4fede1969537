import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createGridRasterizer, type Raster} from '../../scripts/demo/grid-raster.js';
import {blankGrid, writeText} from '../../scripts/demo/screen-grid.js';
import {DEFAULT_BACKGROUND, DEFAULT_FOREGROUND, type Rgb} from '../../scripts/demo/xterm-palette.js';
import {needs} from '../support/prerequisites.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const PADDING = 4;
const RED: Rgb = [230, 20, 20];
const BLUE: Rgb = [0, 0, 200];

function pixel(r: Raster, x: number, y: number): Rgb {
	const i = (y * r.width + x) * 4;
	return [r.rgba[i]!, r.rgba[i + 1]!, r.rgba[i + 2]!];
}

/** The cell (column, row) each non-background pixel falls in, as "column,row" keys. */
function paintedCells(r: Raster, cellWidth: number, cellHeight: number): Set<string> {
	const cells = new Set<string>();
	for (let y = 0; y < r.height; y++) {
		for (let x = 0; x < r.width; x++) {
			if (pixel(r, x, y).join() === DEFAULT_BACKGROUND.join()) continue;
			cells.add(`${Math.floor((x - PADDING) / cellWidth)},${Math.floor((y - PADDING) / cellHeight)}`);
		}
	}

	return cells;
}

test('text paints only inside its own cells, in its colour, on a ~14 px grid', {skip: needs({files: [FONT]})}, () => {
	const rasterizer = createGridRasterizer({fontSize: 14, padding: PADDING});
	assert.ok(rasterizer.cellWidth >= 7 && rasterizer.cellWidth <= 10, `cell width ${rasterizer.cellWidth}`);
	assert.ok(rasterizer.cellHeight >= 16 && rasterizer.cellHeight <= 20, `cell height ${rasterizer.cellHeight}`);
	const grid = blankGrid(10, 3);
	writeText(grid, 3, 1, 'X', {fg: RED});
	writeText(grid, 6, 2, 'gy', {bold: true});
	const raster = rasterizer.render(grid);
	assert.equal(raster.width, 10 * rasterizer.cellWidth + 2 * PADDING);
	assert.equal(raster.height, 3 * rasterizer.cellHeight + 2 * PADDING);
	assert.deepEqual([...paintedCells(raster, rasterizer.cellWidth, rasterizer.cellHeight)].sort(), ['3,1', '6,2', '7,2']);

	let reddest = 0;
	for (let y = 0; y < rasterizer.cellHeight; y++) {
		for (let x = 0; x < rasterizer.cellWidth; x++) {
			const [r, g] = pixel(raster, PADDING + 3 * rasterizer.cellWidth + x, PADDING + rasterizer.cellHeight + y);
			reddest = Math.max(reddest, r - g);
		}
	}

	assert.ok(reddest > 150, `the X is red (max r-g ${reddest})`);
});

test('a background fills its whole cell, and box lines join across cells', {skip: needs({files: [FONT]})}, () => {
	const rasterizer = createGridRasterizer({fontSize: 14, padding: PADDING});
	const {cellWidth, cellHeight} = rasterizer;
	const grid = blankGrid(6, 3);
	writeText(grid, 0, 0, ' ', {bg: BLUE});
	for (let row = 0; row < 3; row++) writeText(grid, 4, row, '│');
	writeText(grid, 1, 2, '──', {fg: RED});
	const raster = rasterizer.render(grid);
	for (const [x, y] of [[0, 0], [cellWidth - 1, 0], [0, cellHeight - 1], [cellWidth - 1, cellHeight - 1]] as const) {
		assert.deepEqual(pixel(raster, PADDING + x, PADDING + y), BLUE);
	}

	assert.deepEqual(pixel(raster, PADDING + cellWidth, PADDING), DEFAULT_BACKGROUND);
	const lineX = PADDING + 4 * cellWidth + Math.floor(cellWidth / 2);
	for (let y = PADDING; y < PADDING + 3 * cellHeight; y++) assert.deepEqual(pixel(raster, lineX, y), DEFAULT_FOREGROUND, `gap in │ at y=${y}`);
	const lineY = PADDING + 2 * cellHeight + Math.floor(cellHeight / 2);
	for (let x = PADDING + cellWidth; x < PADDING + 3 * cellWidth; x++) assert.deepEqual(pixel(raster, x, lineY), RED, `gap in ─ at x=${x}`);
});

test('the PNG of a frame is a PNG of the same size', {skip: needs({files: [FONT]})}, () => {
	const rasterizer = createGridRasterizer({fontSize: 14, padding: PADDING});
	const png = rasterizer.renderPng(blankGrid(4, 2));
	assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
	assert.equal(png.readUInt32BE(16), 4 * rasterizer.cellWidth + 2 * PADDING);
});
