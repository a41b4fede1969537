// The one capture the Capture pane owns. `t`, Esc and the session's end arrive as commands that
// run strictly one after another, and a command that a newer one has overtaken does nothing (or
// stops what it started): two quick `t` presses can never leave a tcpdump that no pane shows.
import type {CapturePointKind} from '../capture/capture-points.js';
import type {CaptureSession} from '../capture/capture-session.js';
import type {Result} from '../core/types.js';
import {createStore, type Store} from '../store/store.js';
import type {Failure} from '../store/tui-state.js';

export interface CaptureState {
	session: CaptureSession | null;
	/** Why the last `t` did not start a capture. */
	error: Failure | null;
	uid: string | null;
}

/** Where and what a capture starts with, when not the pod's defaults (a flow's tuple at its veth). */
export interface CaptureStart {
	point?: CapturePointKind;
	expression?: string;
}

export interface CaptureControl {
	captures: Store<CaptureState>;
	/** Stop the pane's capture, if any, then start one on this pod. */
	start(uid: string, how?: CaptureStart): Promise<void>;
	stop(): Promise<void>;
	/** The session ends: stop, and start nothing after this. */
	close(): Promise<void>;
}

/** `open` starts tcpdump for the pod (or says why not); the control decides whether it is kept. */
export function createCaptureControl(open: (uid: string, how?: CaptureStart) => Promise<Result<CaptureSession>>): CaptureControl {
	const captures = createStore<CaptureState>({session: null, error: null, uid: null}, 0);
	let queue: Promise<void> = Promise.resolve();
	let latest = 0;
	let closed = false;

	const enqueue = (work: (superseded: () => boolean) => Promise<void>): Promise<void> => {
		const ticket = ++latest;
		const superseded = () => closed || ticket !== latest;
		const run = queue.then(() => work(superseded));
		// One failed command must not wedge the ones queued behind it.
		queue = run.catch(() => undefined);
		return run;
	};

	const stopCurrent = async () => {
		const {session} = captures.getSnapshot();
		captures.update(() => ({session: null, uid: null, error: null}));
		if (session) await session.stop();
	};

	return {
		captures,
		start: (uid, how) => enqueue(async superseded => {
			await stopCurrent();
			if (superseded()) return;
			const started = await open(uid, how);
			if (superseded()) {
				if (started.ok) await started.value.stop();
				return;
			}

			captures.update(() => started.ok
				? {session: started.value, uid, error: null}
				: {session: null, uid, error: {reason: started.reason, hint: started.hint}});
		}),
		stop: () => enqueue(stopCurrent),
		close() {
			closed = true;
			return enqueue(stopCurrent);
		},
	};
}
