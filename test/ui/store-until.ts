// Resolves with the first store snapshot that satisfies `predicate`; rejects after timeoutMs with
// what was awaited and what the store held then.
import type {Store} from '../../source/store/store.js';
import type {TuiState} from '../../source/store/tui-state.js';

export function untilState(store: Store<TuiState>, predicate: (s: TuiState) => boolean, what: string, timeoutMs: number, describe: (s: TuiState) => string): Promise<TuiState> {
	return new Promise((resolve, reject) => {
		const check = () => {
			const snapshot = store.getSnapshot();
			if (!predicate(snapshot)) return;
			clearTimeout(timer);
			unsubscribe();
			resolve(snapshot);
		};

		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`timed out waiting for ${what}: ${describe(store.getSnapshot())}`));
		}, timeoutMs);
		const unsubscribe = store.subscribe(check);
		check();
	});
}
