// Paints a ScreenGrid into RGBA pixels with @napi-rs/canvas: one fixed-size cell per column/row,
// background first, then each character at its cell (never a run of text: the font's advance is
// fractional, and a run would drift off the grid).
import {existsSync} from 'node:fs';
import {createCanvas, GlobalFonts, type SKRSContext2D} from '@napi-rs/canvas';
import {glyphRects} from './glyph-shapes.js';
import type {Cell, ScreenGrid} from './screen-grid.js';
import {cssColor, DEFAULT_BACKGROUND, type Rgb} from './xterm-palette.js';

const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu'];
const FONT_FAMILY = 'DemoMono';

export interface RasterOptions {
	fontSize?: number;
	/** Padding in pixels around the grid, painted with the terminal's default background. */
	padding?: number;
}

export interface Raster {
	width: number;
	height: number;
	/** RGBA, row-major, width × height × 4 bytes. */
	rgba: Uint8ClampedArray;
}

export interface GridRasterizer {
	cellWidth: number;
	cellHeight: number;
	render(grid: ScreenGrid): Raster;
	/** The same image as a PNG, to look at one frame. */
	renderPng(grid: ScreenGrid): Buffer;
}

let fontsRegistered = false;

/** Registers DejaVu Sans Mono (Debian: fonts-dejavu-core) under our own family name, once. */
function registerFonts(): void {
	if (fontsRegistered) return;
	for (const dir of FONT_DIRS) {
		const regular = `${dir}/DejaVuSansMono.ttf`;
		const bold = `${dir}/DejaVuSansMono-Bold.ttf`;
		if (!existsSync(regular)) continue;
		GlobalFonts.registerFromPath(regular, FONT_FAMILY);
		if (existsSync(bold)) GlobalFonts.registerFromPath(bold, FONT_FAMILY);
		fontsRegistered = true;
		return;
	}

	throw new Error(`no DejaVu Sans Mono under ${FONT_DIRS.join(', ')}: apt-get install fonts-dejavu-core`);
}

export function createGridRasterizer(o: RasterOptions = {}): GridRasterizer {
	registerFonts();
	const fontSize = o.fontSize ?? 14;
	const padding = o.padding ?? 6;
	const probe = createCanvas(8, 8).getContext('2d');
	probe.font = `${fontSize}px ${FONT_FAMILY}`;
	const metrics = probe.measureText('M');
	const cellWidth = Math.round(metrics.width);
	const cellHeight = Math.ceil(fontSize * 1.25);
	// Centre the glyphs' ascent+descent in the cell.
	const ascent = metrics.fontBoundingBoxAscent || fontSize * 0.76;
	const descent = metrics.fontBoundingBoxDescent || fontSize * 0.24;
	const baseline = Math.round((cellHeight - (ascent + descent)) / 2 + ascent);

	const paint = (grid: ScreenGrid) => {
		const width = grid.columns * cellWidth + padding * 2;
		const height = grid.rows * cellHeight + padding * 2;
		const canvas = createCanvas(width, height);
		const ctx = canvas.getContext('2d');
		ctx.fillStyle = cssColor(DEFAULT_BACKGROUND);
		ctx.fillRect(0, 0, width, height);
		for (let y = 0; y < grid.rows; y++) paintBackgrounds(ctx, grid, y, padding, cellWidth, cellHeight);
		ctx.textBaseline = 'alphabetic';
		let lastFont = '';
		for (let y = 0; y < grid.rows; y++) {
			for (let x = 0; x < grid.columns; x++) {
				const cell = grid.cells[y * grid.columns + x]!;
				if (cell.char === '') continue;
				const left = padding + x * cellWidth;
				const top = padding + y * cellHeight;
				const spanWidth = cellWidth * cell.width;
				ctx.fillStyle = cssColor(cell.fg);
				const rects = glyphRects(cell.char, spanWidth, cellHeight);
				if (rects) {
					for (const r of rects) ctx.fillRect(left + r.x, top + r.y, r.width, r.height);
					continue;
				}

				const font = `${cell.bold ? 'bold ' : ''}${fontSize}px ${FONT_FAMILY}`;
				if (font !== lastFont) {
					ctx.font = font;
					lastFont = font;
				}

				ctx.fillText(cell.char, left, top + baseline, spanWidth);
			}
		}

		return {canvas, ctx, width, height};
	};

	return {
		cellWidth,
		cellHeight,
		render(grid) {
			const {ctx, width, height} = paint(grid);
			return {width, height, rgba: ctx.getImageData(0, 0, width, height).data};
		},
		renderPng(grid) {
			return paint(grid).canvas.toBuffer('image/png');
		},
	};
}

/** Paints runs of equal background in one rectangle each. */
function paintBackgrounds(ctx: SKRSContext2D, grid: ScreenGrid, y: number, padding: number, cellWidth: number, cellHeight: number): void {
	let runStart = 0;
	let runCell: Cell | undefined;
	const flush = (end: number) => {
		if (!runCell || sameColor(runCell.bg, DEFAULT_BACKGROUND)) return;
		ctx.fillStyle = cssColor(runCell.bg);
		ctx.fillRect(padding + runStart * cellWidth, padding + y * cellHeight, (end - runStart) * cellWidth, cellHeight);
	};

	for (let x = 0; x < grid.columns; x++) {
		const cell = grid.cells[y * grid.columns + x]!;
		if (runCell && sameColor(runCell.bg, cell.bg)) continue;
		flush(x);
		runStart = x;
		runCell = cell;
	}

	flush(grid.columns);
}

function sameColor(a: Rgb, b: Rgb): boolean {
	return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}
