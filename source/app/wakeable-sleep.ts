// A sleep that `r` can cut short and the session's end always ends: the poll loop and the start's
// retries wait in it, so neither a refresh nor a quit waits out a backoff.

export interface WakeableSleep {
	/** Resolves after `ms`, on wake(), or on abort, whichever is first; at once if already aborted. */
	sleep(ms: number): Promise<void>;
	/** Ends the sleep under way now; nothing if none is. */
	wake(): void;
}

export function createWakeableSleep(signal: AbortSignal): WakeableSleep {
	let wakeSleeper: (() => void) | null = null;

	function sleep(ms: number): Promise<void> {
		return new Promise(resolve => {
			if (signal.aborted) {
				resolve();
				return;
			}

			const timer = setTimeout(done, ms);
			function done() {
				clearTimeout(timer);
				wakeSleeper = null;
				signal.removeEventListener('abort', done);
				resolve();
			}

			wakeSleeper = done;
			signal.addEventListener('abort', done);
		});
	}

	return {sleep, wake: () => wakeSleeper?.()};
}
