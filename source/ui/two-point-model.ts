// What the two-point pane says and how it splits its room. Pure.
import type {TwoPointSnapshot} from '../capture/two-point-capture.js';
import {hopName} from '../capture/two-point-points.js';

/** Below this many columns the two streams are stacked; at or above it they sit side by side. */
export const SIDE_BY_SIDE_COLUMNS = 120;

function seconds(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	return s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
}

/** The point a stream listens at, by its number. */
export function streamName(snapshot: TwoPointSnapshot, n: 1 | 2): string {
	const hop = snapshot.hops[snapshot.streams[n - 1]!.hop];
	return hop ? hopName(hop) : '?';
}

/** "sent at 1 (A host veth … on node1), not seen at 2 (B host veth … on node2): N in the last 60 s". */
export function counterLine(snapshot: TwoPointSnapshot, now: number): string {
	const {counts} = snapshot;
	const span = Math.min(counts.recentMs, now - snapshot.since);
	return `sent at 1 (${streamName(snapshot, 1)}), not seen at 2 (${streamName(snapshot, 2)}): ${counts.lostRecent} in the last ${seconds(span)}`;
}

/** The counter in `width` columns: one line, or broken after point 1 when it does not fit. */
export function counterLines(snapshot: TwoPointSnapshot, now: number, width: number): string[] {
	const line = counterLine(snapshot, now);
	if (line.length <= width) return [line];
	const at = line.indexOf(', not seen at 2');
	return [line.slice(0, at + 1), line.slice(at + 2)];
}

/** The counter's totals since the points were set. */
export function totalsLine(snapshot: TwoPointSnapshot): string {
	const {counts} = snapshot;
	return `${counts.sent} requests ${snapshot.from} → ${snapshot.to} at 1 · ${counts.matched} seen at 2 · ${counts.lost} lost · ${counts.pending} within the ${seconds(counts.windowMs)} window`;
}

export interface TwoPointGeometry {
	stacked: boolean;
	/** Each stream's box. */
	streamWidth: number;
	streamHeight: number;
}

/** `height` and `width` are inside the pane's border and its counter lines. */
export function twoPointGeometry(width: number, height: number): TwoPointGeometry {
	const stacked = width + 2 < SIDE_BY_SIDE_COLUMNS;
	return stacked
		? {stacked, streamWidth: width, streamHeight: Math.floor(height / 2)}
		: {stacked, streamWidth: Math.floor(width / 2), streamHeight: height};
}
