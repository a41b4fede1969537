// The strip under the terminal in the GIF: the demo's whole key sequence, the key being pressed
// highlighted, so a viewer can follow what causes each change.
import {blankGrid, writeText, type ScreenGrid} from './screen-grid.js';
import {paletteColor} from './xterm-palette.js';

export interface CaptionKey {
	/** As printed: 'j', '⏎', 'esc'. */
	key: string;
	label: string;
}

const KEY_FG = paletteColor(16);
const KEY_BG = paletteColor(6);
const PRESSED_BG = paletteColor(11);
const LABEL_FG = paletteColor(250);
const PAST_FG = paletteColor(242);

/** One row: each key as a small keycap, then its label; `current` (an index, or -1) highlighted. */
export function keyCaption(columns: number, keys: readonly CaptionKey[], current: number): ScreenGrid {
	const grid = blankGrid(columns, 1);
	let x = 1;
	for (const [i, {key, label}] of keys.entries()) {
		const width = key.length + 2 + 1 + label.length + 2;
		if (x + width > columns) break;
		const done = current >= 0 && i < current;
		writeText(grid, x, 0, ` ${key} `, {fg: KEY_FG, bg: i === current ? PRESSED_BG : done ? PAST_FG : KEY_BG, bold: true});
		writeText(grid, x + key.length + 3, 0, label, {fg: i === current ? PRESSED_BG : done ? PAST_FG : LABEL_FG, bold: i === current});
		x += width;
	}

	return grid;
}
