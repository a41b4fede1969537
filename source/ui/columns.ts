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

export interface Column<Id extends string> {
	id: Id;
	header: string;
	width: number;
	right?: boolean;
	/** Takes what is left of the width, at least `width`. */
	grow?: boolean;
}

/**
 * The columns that fit in `width` (one space between cells), taken in the order given, which is
 * their priority (an id given twice: the first that fits); they are shown in `order`. A column that does not fit is dropped whole
 * rather than cut to nothing: its value is still in the Details pane.
 */
export function fitColumns<Id extends string>(columns: ReadonlyArray<Column<Id>>, width: number, order: readonly Id[]): Array<Column<Id>> {
	const chosen: Array<Column<Id>> = [];
	let used = 0;
	for (const column of columns) {
		// Later entries of a chosen id are its narrower alternatives.
		if (chosen.some(c => c.id === column.id)) continue;
		const cost = column.width + (chosen.length > 0 ? 1 : 0);
		if (used + cost > width) continue;
		chosen.push({...column});
		used += cost;
	}
	const growing = chosen.find(column => column.grow);
	if (growing) growing.width += width - used;
	return order.flatMap(id => chosen.filter(column => column.id === id));
}
