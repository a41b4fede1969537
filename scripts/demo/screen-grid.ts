// What a terminal shows, as a plain grid of cells with their colours already resolved: the one
// format between the terminal emulator (xterm.js) and the rasterizer, so neither knows the other.
import type {IBufferCell, Terminal} from '@xterm/headless';
import {DEFAULT_BACKGROUND, DEFAULT_FOREGROUND, dimmed, packedColor, paletteColor, type Rgb} from './xterm-palette.js';

export interface Cell {
	/** One grapheme, or '' for the right half of a wide character and for blanks. */
	char: string;
	/** Columns the character covers: 1, or 2 for wide characters. */
	width: 1 | 2;
	fg: Rgb;
	bg: Rgb;
	bold: boolean;
}

export interface ScreenGrid {
	columns: number;
	rows: number;
	/** Row-major, columns × rows. */
	cells: Cell[];
}

export type ColorSpec = {mode: 'default'} | {mode: 'palette'; index: number} | {mode: 'rgb'; rgb: number};

export interface CellStyle {
	fg: ColorSpec;
	bg: ColorSpec;
	bold: boolean;
	dim: boolean;
	inverse: boolean;
}

/** The colours a cell is painted with, as xterm paints them (bold brightens the 8 basic colours). */
export function resolveColors(style: CellStyle): {fg: Rgb; bg: Rgb} {
	let fg = colorOf(style.fg, DEFAULT_FOREGROUND, style.bold);
	let bg = colorOf(style.bg, DEFAULT_BACKGROUND, false);
	if (style.inverse) [fg, bg] = [bg, fg];
	if (style.dim) fg = dimmed(fg, bg);
	return {fg, bg};
}

function colorOf(spec: ColorSpec, fallback: Rgb, bold: boolean): Rgb {
	switch (spec.mode) {
		case 'default':
			return fallback;
		case 'palette':
			return paletteColor(bold && spec.index < 8 ? spec.index + 8 : spec.index);
		case 'rgb':
			return packedColor(spec.rgb);
	}
}

export function blankGrid(columns: number, rows: number): ScreenGrid {
	const cell: Cell = {char: '', width: 1, fg: DEFAULT_FOREGROUND, bg: DEFAULT_BACKGROUND, bold: false};
	return {columns, rows, cells: Array.from({length: columns * rows}, () => ({...cell}))};
}

export function cellAt(grid: ScreenGrid, column: number, row: number): Cell {
	const cell = grid.cells[row * grid.columns + column];
	if (!cell) throw new RangeError(`no cell at ${column},${row} in a ${grid.columns}×${grid.rows} grid`);
	return cell;
}

/** Writes `text` into row `row` from column `column` (clipped), one cell per code point. */
export function writeText(grid: ScreenGrid, column: number, row: number, text: string, style: Partial<Omit<Cell, 'char' | 'width'>> = {}): void {
	let x = column;
	for (const char of text) {
		if (x >= grid.columns) break;
		const cell = cellAt(grid, x, row);
		Object.assign(cell, style, {char: char === ' ' ? '' : char, width: 1});
		x++;
	}
}

/** `bottom`'s rows appended under `top`'s (the key caption under the screen). */
export function stackGrids(top: ScreenGrid, bottom: ScreenGrid): ScreenGrid {
	if (top.columns !== bottom.columns) throw new RangeError('grids of different widths');
	return {columns: top.columns, rows: top.rows + bottom.rows, cells: [...top.cells, ...bottom.cells]};
}

/** A key that is equal for two grids exactly when they would render the same pixels. */
export function gridSignature(grid: ScreenGrid): string {
	const parts: string[] = [];
	for (const c of grid.cells) parts.push(`${c.char}\u0000${c.width}${c.bold ? 'b' : ''}${c.fg.join(',')}/${c.bg.join(',')}`);
	return parts.join('\u0001');
}

export function gridText(grid: ScreenGrid): string {
	const lines: string[] = [];
	for (let y = 0; y < grid.rows; y++) {
		let line = '';
		for (let x = 0; x < grid.columns; x++) {
			const cell = cellAt(grid, x, y);
			line += cell.char || ' ';
			// The right half of a wide character holds nothing of its own.
			if (cell.width === 2) x++;
		}

		lines.push(line.trimEnd());
	}

	return lines.join('\n');
}

function specOf(cell: IBufferCell, which: 'fg' | 'bg'): ColorSpec {
	if (which === 'fg') {
		if (cell.isFgRGB()) return {mode: 'rgb', rgb: cell.getFgColor()};
		if (cell.isFgPalette()) return {mode: 'palette', index: cell.getFgColor()};
		return {mode: 'default'};
	}

	if (cell.isBgRGB()) return {mode: 'rgb', rgb: cell.getBgColor()};
	if (cell.isBgPalette()) return {mode: 'palette', index: cell.getBgColor()};
	return {mode: 'default'};
}

/** The visible screen of an xterm.js terminal (the viewport of whichever buffer is active). */
export function readScreenGrid(term: Terminal): ScreenGrid {
	const buffer = term.buffer.active;
	const grid = blankGrid(term.cols, term.rows);
	let scratch: IBufferCell | undefined;
	for (let y = 0; y < term.rows; y++) {
		const line = buffer.getLine(buffer.viewportY + y);
		if (!line) continue;
		for (let x = 0; x < term.cols; x++) {
			scratch = line.getCell(x, scratch);
			if (!scratch) continue;
			const {fg, bg} = resolveColors({
				fg: specOf(scratch, 'fg'),
				bg: specOf(scratch, 'bg'),
				bold: scratch.isBold() !== 0,
				dim: scratch.isDim() !== 0,
				inverse: scratch.isInverse() !== 0,
			});
			const chars = scratch.getChars();
			grid.cells[y * term.cols + x] = {
				char: chars === ' ' ? '' : chars,
				width: scratch.getWidth() === 2 ? 2 : 1,
				fg,
				bg,
				bold: scratch.isBold() !== 0,
			};
		}
	}

	return grid;
}
