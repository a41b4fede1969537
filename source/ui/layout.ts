// Pure pane geometry for a terminal size. The root is rows - 1 high: a frame that reaches the
// terminal's full height makes Ink clear and repaint everything on every frame.

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;
/** Rows the capture pane itself uses around its lines: border (2), title (1), counters, command, status (3). */
export const CAPTURE_PANE_CHROME = 6;
/** Packet lines an open capture keeps, at 80×24 too. */
export const MIN_CAPTURE_LINES = 8;
/** Below this the Path, Containers and Details band would show nothing useful: it is left out. */
const MIN_LOWER = 7;

export interface Layout {
	tooSmall: boolean;
	width: number;
	height: number;
	/** Between the 2-line header and the 1-line hint row. */
	body: number;
	pods: number;
	/** Path, Containers and Details share this band; 0 (left out, not blank) beside a capture on a short terminal. */
	lower: number;
	pathWidth: number;
	sideWidth: number;
	containers: number;
	details: number;
	capture: number;
}

export function computeLayout(
	columns: number,
	rows: number,
	options: {captureOpen: boolean; captureZoomed: boolean; containerRows: number},
): Layout {
	const width = columns;
	const height = rows - 1;
	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	const body = Math.max(0, height - 3);
	let capture = 0;
	if (options.captureOpen) capture = options.captureZoomed ? body : Math.max(CAPTURE_PANE_CHROME + MIN_CAPTURE_LINES, Math.floor(body * 0.4));
	const panes = body - capture;
	const split = Math.max(5, Math.floor(panes * 0.35));
	const roomBelow = panes - split >= MIN_LOWER;
	const pods = panes <= 0 ? 0 : roomBelow ? split : panes;
	const lower = panes <= 0 || !roomBelow ? 0 : panes - pods;
	const pathWidth = Math.floor(width * 0.55);
	const sideWidth = width - pathWidth;
	// Containers: a header, its rows, two lines of fact, the title and borders; Details keeps 5 rows.
	const containers = Math.max(0, Math.min(Math.max(options.containerRows + 6, 7), lower - 5));
	return {
		tooSmall,
		width,
		height,
		body,
		pods,
		lower,
		pathWidth,
		sideWidth,
		containers,
		details: lower - containers,
		capture,
	};
}
