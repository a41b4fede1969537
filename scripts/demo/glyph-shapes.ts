// Box-drawing and block characters drawn as rectangles instead of font glyphs: a font's glyph is
// shorter than our cell is tall, so pane borders drawn from it would be dashed, not continuous.
export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** 0 none, 1 light, 2 heavy, 3 double — for the arms up, right, down, left. */
type Arm = 0 | 1 | 2 | 3;
type Arms = readonly [up: Arm, right: Arm, down: Arm, left: Arm];

const BOX_ARMS: Record<string, Arms> = {
	'─': [0, 1, 0, 1],
	'│': [1, 0, 1, 0],
	'┌': [0, 1, 1, 0],
	'┐': [0, 0, 1, 1],
	'└': [1, 1, 0, 0],
	'┘': [1, 0, 0, 1],
	'╭': [0, 1, 1, 0],
	'╮': [0, 0, 1, 1],
	'╰': [1, 1, 0, 0],
	'╯': [1, 0, 0, 1],
	'├': [1, 1, 1, 0],
	'┤': [1, 0, 1, 1],
	'┬': [0, 1, 1, 1],
	'┴': [1, 1, 0, 1],
	'┼': [1, 1, 1, 1],
	'╴': [0, 0, 0, 1],
	'╶': [0, 1, 0, 0],
	'━': [0, 2, 0, 2],
	'┃': [2, 0, 2, 0],
	'┏': [0, 2, 2, 0],
	'┓': [0, 0, 2, 2],
	'┗': [2, 2, 0, 0],
	'┛': [2, 0, 0, 2],
	'═': [0, 3, 0, 3],
	'║': [3, 0, 3, 0],
	'╔': [0, 3, 3, 0],
	'╗': [0, 0, 3, 3],
	'╚': [3, 3, 0, 0],
	'╝': [3, 0, 0, 3],
	'╠': [3, 3, 3, 0],
	'╣': [3, 0, 3, 3],
	'╦': [0, 3, 3, 3],
	'╩': [3, 3, 0, 3],
	'╬': [3, 3, 3, 3],
};

/** Rectangles (in pixels, relative to the cell) that draw `char`, or null to draw it from the font. */
export function glyphRects(char: string, width: number, height: number): Rect[] | null {
	const arms = BOX_ARMS[char];
	if (arms) return boxRects(arms, width, height);
	return blockRects(char, width, height);
}

function boxRects([up, right, down, left]: Arms, width: number, height: number): Rect[] {
	const cx = Math.floor(width / 2);
	const cy = Math.floor(height / 2);
	// Double lines sit `gap` pixels either side of the centre line.
	const gap = 1;
	const rects: Rect[] = [];
	const thick = (arm: Arm) => (arm === 2 ? 2 : 1);
	const horizontal = (x0: number, x1: number, y: number, h: number) => {
		if (x1 > x0) rects.push({x: x0, y, width: x1 - x0, height: h});
	};
	const vertical = (y0: number, y1: number, x: number, w: number) => {
		if (y1 > y0) rects.push({x, y: y0, width: w, height: y1 - y0});
	};

	// Single and heavy arms run from the far side of the crossing line to the edge, so corners close.
	const vHalf = Math.max(thick(up), thick(down));
	const hHalf = Math.max(thick(left), thick(right));
	if (up === 1 || up === 2) vertical(0, cy + hHalf, cx, thick(up));
	if (down === 1 || down === 2) vertical(cy, height, cx, thick(down));
	if (left === 1 || left === 2) horizontal(0, cx + vHalf, cy, thick(left));
	if (right === 1 || right === 2) horizontal(cx, width, cy, thick(right));

	// Each double arm's two lines stop where a perpendicular arm crosses them, so joints stay open.
	if (right === 3) {
		horizontal(up ? cx + gap : cx - gap, width, cy - gap, 1);
		horizontal(down ? cx + gap : cx - gap, width, cy + gap, 1);
	}

	if (left === 3) {
		horizontal(0, (up ? cx - gap : cx + gap) + 1, cy - gap, 1);
		horizontal(0, (down ? cx - gap : cx + gap) + 1, cy + gap, 1);
	}

	if (down === 3) {
		vertical(left ? cy + gap : cy - gap, height, cx - gap, 1);
		vertical(right ? cy + gap : cy - gap, height, cx + gap, 1);
	}

	if (up === 3) {
		vertical(0, (left ? cy - gap : cy + gap) + 1, cx - gap, 1);
		vertical(0, (right ? cy - gap : cy + gap) + 1, cx + gap, 1);
	}

	return rects;
}

function blockRects(char: string, width: number, height: number): Rect[] | null {
	const code = char.codePointAt(0);
	if (code === undefined || char.length > 2) return null;
	// ▁ … █: lower eighths, as in sparklines.
	if (code >= 0x2581 && code <= 0x2588) {
		const h = Math.round((height * (code - 0x2580)) / 8);
		return [{x: 0, y: height - h, width, height: h}];
	}

	switch (char) {
		case '▀':
			return [{x: 0, y: 0, width, height: Math.round(height / 2)}];
		case '▌':
			return [{x: 0, y: 0, width: Math.round(width / 2), height}];
		case '▐': {
			const half = Math.round(width / 2);
			return [{x: half, y: 0, width: width - half, height}];
		}

		default:
			return null;
	}
}
