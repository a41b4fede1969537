// A tiny external store for useSyncExternalStore: immutable snapshots, and listeners notified at
// most once per `intervalMs` so a burst of watch events or a 10,000-pod relist costs one frame.

export interface Store<T> {
	getSnapshot(): T;
	subscribe(listener: () => void): () => void;
	/** Replace the snapshot with `update(previous)`; listeners hear about it within intervalMs. */
	update(update: (previous: T) => T): void;
	/** Notify now (tests, and the final frame before exit). */
	flush(): void;
}

export function createStore<T>(initial: T, intervalMs = 50): Store<T> {
	let snapshot = initial;
	const listeners = new Set<() => void>();
	let timer: NodeJS.Timeout | undefined;
	let lastNotify = 0;

	const notify = () => {
		timer = undefined;
		lastNotify = Date.now();
		for (const listener of listeners) listener();
	};

	return {
		getSnapshot: () => snapshot,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		update(update) {
			const next = update(snapshot);
			if (next === snapshot) return;
			snapshot = next;
			if (timer) return;
			const wait = Math.max(0, intervalMs - (Date.now() - lastNotify));
			timer = setTimeout(notify, wait);
			// A pending notification must not keep the process alive after the UI has gone.
			timer.unref();
		},
		flush() {
			if (timer) clearTimeout(timer);
			notify();
		},
	};
}
