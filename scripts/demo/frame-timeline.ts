// Screen samples → the frames of an animation: a sample equal to the previous one only lengthens
// it, so every kept frame is a change and lasts exactly until the next change.
export interface TimedFrame<T> {
	frame: T;
	/** Milliseconds since the first frame. */
	atMs: number;
	durationMs: number;
}

export interface FrameTimeline<T> {
	/** Keeps `frame` if its key differs from the last kept frame's; returns whether it did. */
	offer(frame: T, key: string, atMs: number): boolean;
	count(): number;
	/** The frames, the last one lasting until `endMs` plus `holdLastMs`. */
	finish(endMs: number, holdLastMs?: number): TimedFrame<T>[];
}

export function createFrameTimeline<T>(): FrameTimeline<T> {
	const kept: {frame: T; atMs: number}[] = [];
	let lastKey: string | undefined;
	let startMs: number | undefined;
	return {
		offer(frame, key, atMs) {
			if (key === lastKey) return false;
			startMs ??= atMs;
			lastKey = key;
			kept.push({frame, atMs: atMs - startMs});
			return true;
		},
		count: () => kept.length,
		finish(endMs, holdLastMs = 0) {
			const end = endMs - (startMs ?? endMs);
			return kept.map((k, i) => {
				const next = kept[i + 1]?.atMs ?? Math.max(end, k.atMs) + holdLastMs;
				return {frame: k.frame, atMs: k.atMs, durationMs: next - k.atMs};
			});
		},
	};
}

/**
 * GIF delays are in hundredths of a second: round the frames' end times, not each duration, so
 * the rounding error never accumulates. Browsers slow delays under 2 cs down to 10 cs, so none is
 * shorter than 2.
 */
export function gifDelays(durationsMs: readonly number[]): number[] {
	const delays: number[] = [];
	let elapsedMs = 0;
	let elapsedCs = 0;
	for (const duration of durationsMs) {
		elapsedMs += duration;
		const delay = Math.max(2, Math.round(elapsedMs / 10) - elapsedCs);
		delays.push(delay);
		elapsedCs += delay;
	}

	return delays;
}
