// Fixed-width cells for one-line rows: pad or cut to exactly `width` characters (with … when cut).
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text.padEnd(width);
	if (width === 1) return '…';
	return text.slice(0, width - 1) + '…';
}

/** Same, aligned right (numbers). */
export function fitRight(text: string, width: number): string {
	return text.length <= width ? text.padStart(width) : fit(text, width);
}
