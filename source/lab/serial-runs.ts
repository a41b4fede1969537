// A full resync driven by change events: one run at a time, and any events during a run collapse
// into one more run after it (each run reads everything afresh, so no event is lost).
export function serialRuns(run: () => Promise<void>): () => void {
	let running = false;
	let again = false;
	return () => {
		if (running) {
			again = true;
			return;
		}

		running = true;
		void (async () => {
			do {
				again = false;
				await run();
			} while (again);
			running = false;
		})();
	};
}
