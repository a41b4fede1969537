// The TUI's lifecycle root: the one place that owns the terminal and exit. It enters the alternate
// screen (Ink 6 has none), renders at once with a "connecting" state, loads the session (and with
// it the API client) behind the first frame, and restores screen, cursor and raw mode on quit and
// on every signal. When the terminal itself goes away (ssh drops, tmux kills the pane) it leaves
// quietly: see detachFromTerminal.
import {closeSync, openSync} from 'node:fs';
import type {TargetOptions} from '../app/options.js';
import type {TuiSession} from '../app/session.js';
import {displayText} from '../core/display-text.js';
import {createStore} from '../store/store.js';
import {initialTuiState, type Dispatch, type SessionCommand, type TuiState} from '../store/tui-state.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

const SIGNALS: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = {SIGINT: 2, SIGTERM: 15, SIGHUP: 1};
/** The exit code of a TUI whose terminal hung up, whether a signal or a failed write told us first. */
const HANGUP_CODE = 128 + SIGNALS.SIGHUP;

/**
 * Points fds 0-2 at /dev/null once the terminal has hung up. At exit Node restores the terminal
 * modes it saw at start on each stdio fd that still is that terminal, and a hung-up tty answers
 * EIO, which Node treats as a fatal assertion (a native stack trace, then SIGABRT). A stdio fd that
 * now is another file is left alone. open() takes the lowest free fd, so close-then-open keeps
 * each number; anything still written after this goes nowhere, as it would have anyway.
 */
function detachFromTerminal(): void {
	for (const fd of [0, 1, 2]) {
		try {
			closeSync(fd);
			const reopened = openSync('/dev/null', fd === 0 ? 'r' : 'w');
			// Another thread won the free slot: that fd is not ours to keep.
			if (reopened !== fd) closeSync(reopened);
		} catch {
			// Already closed: nothing of the terminal is left on this fd.
		}
	}
}

export async function runTui(o: TargetOptions): Promise<number> {
	const {stdin, stdout} = process;
	if (!stdin.isTTY || !stdout.isTTY) {
		console.error('k8snet-tui: the TUI needs a terminal. Without one, use `k8snet-tui dump` (add --json for a machine-readable view).');
		return 2;
	}

	// React's development build records every render's props for its performance track: with
	// 10,000 pods that is tens of MB per keystroke. React and Ink load below, after this is set.
	// (Object.assign: the bundle defines process.env.NODE_ENV as a constant, and a plain
	// assignment to it would not compile to anything that runs.)
	if (!o.debug) Object.assign(process.env, {NODE_ENV: 'production'});
	// Ink reads CI / CONTINUOUS_INTEGRATION when it loads and then paints only the last frame, on
	// exit. We have a real terminal here (checked above), so a user whose shell exports CI=true
	// (and our own CI's pty tests) must still see every frame.
	delete process.env['CI'];
	delete process.env['CONTINUOUS_INTEGRATION'];
	const [{render}, {rootElement}] = await Promise.all([import('ink'), import('./tui-root.js')]);

	const store = createStore<TuiState>({...initialTuiState(), root: process.geteuid?.() === 0, allNodes: o.allNodes});
	let session: TuiSession | null = null;
	const pending: SessionCommand[] = [];
	const dispatch: Dispatch = command => {
		if (session) session.dispatch(command);
		else pending.push(command);
	};

	let resolveQuit!: (code: number) => void;
	const quit = new Promise<number>(resolve => {
		resolveQuit = resolve;
	});

	// A terminal that hung up fails every read and write with EIO (or EBADF, ENXIO): that is a
	// hangup too, never a crash. The listeners stay: Ink may still write while it unmounts.
	let terminalLost = false;
	let hangup = false;
	const onTerminalError = () => {
		terminalLost = true;
		hangup = true;
		resolveQuit(HANGUP_CODE);
	};
	for (const stream of [stdin, stdout, process.stderr]) stream.on('error', onTerminalError);

	let restored = false;
	let failure: unknown;
	const restore = () => {
		if (restored) return;
		restored = true;
		try {
			instance?.unmount();
		} catch {
			// Already unmounted: the terminal still needs restoring below.
		}

		if (terminalLost) return;
		if (stdin.isTTY) stdin.setRawMode(false);
		stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
	};

	const onSignal = (signal: keyof typeof SIGNALS) => {
		// The terminal may still be there (a plain `kill -HUP`): it is restored as on any quit.
		if (signal === 'SIGHUP') hangup = true;
		resolveQuit(128 + SIGNALS[signal]);
	};
	const onExit = () => restore();

	stdout.write(ENTER_ALT_SCREEN);
	let instance: ReturnType<typeof render> | null = null;
	for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>) process.on(signal, onSignal);
	process.on('exit', onExit);

	try {
		// `q` on the failure screen ends a run that never started: the shell must hear that.
		const onQuit = () => resolveQuit(store.getSnapshot().phase === 'failed' ? 1 : 0);
		instance = render(rootElement({store, dispatch, session: () => session, onQuit, theme: o.theme}), {
			patchConsole: false,
			exitOnCtrlC: false,
			maxFps: 60,
		});
		// Ink unmounts itself when a component throws: that is a quit too, with the error shown after.
		instance.waitUntilExit().then(() => resolveQuit(0), (error: unknown) => {
			failure = error;
			resolveQuit(1);
		});
		// The API client loads behind the first frame.
		const {createSession} = await import('../app/session.js');
		session = createSession(o, store);
		for (const command of pending.splice(0)) session.dispatch(command);
		void session.start().catch((error: unknown) => {
			store.update(state => ({
				...state,
				phase: 'failed',
				failure: {reason: `could not start: ${(error as Error).message}`, hint: o.debug ? String((error as Error).stack) : 'run with --debug for details'},
			}));
		});
		const code = await quit;
		restore();
		// Children (tcpdump) must not outlive us; a stuck stop must not keep the terminal hostage.
		// (The timer is not unref'd: a stop stuck on nothing would otherwise end the process here,
		// before the terminal is detached below.) The caller exits the process after this.
		await Promise.race([session.stop(), new Promise(resolve => setTimeout(resolve, 2000))]);
		return code;
	} finally {
		restore();
		for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>) process.off(signal, onSignal);
		process.off('exit', onExit);
		if (failure !== undefined && !terminalLost) console.error(o.debug ? failure : displayText(`k8snet-tui: ${(failure as Error).message ?? String(failure)}`));
		if (hangup) {
			detachFromTerminal();
			// The pane's killer may hang up the whole group again (node-pty, tmux): we are leaving already.
			process.on('SIGHUP', () => undefined);
		}
	}
}
