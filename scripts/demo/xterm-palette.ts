// The colours a terminal paints: the 16 ANSI colours (xterm's defaults, so the GIF looks like the
// terminal most readers have), the 6×6×6 cube and the grey ramp of the 256-colour palette, and
// 24-bit colours packed as 0xRRGGBB the way xterm.js reports them.
export type Rgb = readonly [number, number, number];

export const DEFAULT_FOREGROUND: Rgb = [229, 229, 229];
export const DEFAULT_BACKGROUND: Rgb = [24, 24, 27];

const ANSI_16: readonly Rgb[] = [
	[0, 0, 0],
	[205, 49, 49],
	[13, 188, 121],
	[229, 229, 16],
	[36, 114, 200],
	[188, 63, 188],
	[17, 168, 205],
	[229, 229, 229],
	[102, 102, 102],
	[241, 76, 76],
	[35, 209, 139],
	[245, 245, 67],
	[59, 142, 234],
	[214, 112, 214],
	[41, 184, 219],
	[255, 255, 255],
];

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

/** The colour of palette entry `index` (0–255); out-of-range indices clamp into it. */
export function paletteColor(index: number): Rgb {
	const i = Math.min(255, Math.max(0, Math.trunc(index)));
	if (i < 16) return ANSI_16[i]!;
	if (i < 232) {
		const n = i - 16;
		return [CUBE_LEVELS[Math.floor(n / 36)]!, CUBE_LEVELS[Math.floor(n / 6) % 6]!, CUBE_LEVELS[n % 6]!];
	}

	const level = 8 + (i - 232) * 10;
	return [level, level, level];
}

export function packedColor(rgb: number): Rgb {
	return [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff];
}

/** Half-way towards the background: how terminals commonly show SGR 2 (dim, faint). */
export function dimmed(color: Rgb, background: Rgb): Rgb {
	return [0, 1, 2].map(i => Math.round((color[i]! + background[i]!) / 2)) as unknown as Rgb;
}

export function cssColor(color: Rgb): string {
	return `rgb(${color[0]},${color[1]},${color[2]})`;
}
