// The node poll's rhythm, as k9s refreshes: a first tick ~300 ms after the session began, then
// every ~2 s, backing off while polls fail; `r` wakes it at once.
import {backoffMs} from './backoff.js';

const FIRST_POLL_MS = 300;
const POLL_MS = 2000;

export interface PollLoopDeps {
	signal: AbortSignal;
	sleep(ms: number): Promise<void>;
	/** When the session began: the first tick counts from then, not from when the target resolved. */
	startedAt: number;
	pollOnce(): Promise<void>;
	/** A poll threw: the session counts a failure and says so. */
	pollThrew(error: Error): void;
	/** Polls failed in a row so far (the session's count: a poll and `r` reset it). */
	failures(): number;
}

/** Polls until the signal aborts. */
export async function runPollLoop(deps: PollLoopDeps): Promise<void> {
	await deps.sleep(Math.max(0, FIRST_POLL_MS - (Date.now() - deps.startedAt)));
	while (!deps.signal.aborted) {
		try {
			await deps.pollOnce();
		} catch (error) {
			deps.pollThrew(error as Error);
		}

		await deps.sleep(backoffMs(POLL_MS, deps.failures()));
	}
}
