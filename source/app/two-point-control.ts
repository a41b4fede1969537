// The one two-point capture the path view owns. Start and stop run one after another, and a start
// that a newer command has overtaken stops what it started: quick `t`, esc, `t` never leave a
// tcpdump behind that no pane shows.
import type {TwoPointCapture} from '../capture/two-point-capture.js';
import type {Result} from '../core/types.js';
import {createStore, type Store} from '../store/store.js';
import type {Failure} from '../store/tui-state.js';

export interface TwoPointState {
	capture: TwoPointCapture | null;
	/** Why the last `t` in the path view started nothing. */
	error: Failure | null;
	/** A start is under way. */
	starting: boolean;
}

export interface TwoPointControl {
	twoPoint: Store<TwoPointState>;
	start(open: () => Promise<Result<TwoPointCapture>>): Promise<void>;
	stop(): Promise<void>;
	/** The session ends: stop, and start nothing after this. */
	close(): Promise<void>;
}

export function createTwoPointControl(): TwoPointControl {
	const twoPoint = createStore<TwoPointState>({capture: null, error: null, starting: false}, 0);
	let queue: Promise<void> = Promise.resolve();
	let latest = 0;
	let closed = false;

	const enqueue = (work: (superseded: () => boolean) => Promise<void>): Promise<void> => {
		const ticket = ++latest;
		const run = queue.then(() => work(() => closed || ticket !== latest));
		queue = run.catch(() => undefined);
		return run;
	};

	const stopCurrent = async () => {
		const {capture} = twoPoint.getSnapshot();
		twoPoint.update(() => ({capture: null, error: null, starting: false}));
		await capture?.stop();
	};

	return {
		twoPoint,
		start: open => enqueue(async superseded => {
			await stopCurrent();
			if (superseded()) return;
			twoPoint.update(state => ({...state, starting: true}));
			const started = await open();
			if (superseded()) {
				if (started.ok) await started.value.stop();
				return;
			}

			twoPoint.update(() => started.ok
				? {capture: started.value, error: null, starting: false}
				: {capture: null, error: {reason: started.reason, hint: started.hint}, starting: false});
		}),
		stop: () => enqueue(stopCurrent),
		close() {
			closed = true;
			return enqueue(stopCurrent);
		},
	};
}
