// Runs the real CLI in a real pty and reads the screen as a user sees it: @lydell/node-pty for the
// terminal, @xterm/headless to interpret what the app writes. Used by the e2e test and bench/tui.ts.
import {spawn, type IPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';

const {Terminal} = xterm;
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PtyScreen {
	pty: IPty;
	/** Everything the app wrote, raw (escape sequences included). */
	raw(): string;
	text(): string;
	lines(): string[];
	write(data: string): void;
	resize(columns: number, rows: number): void;
	/** Resolves with the time (performance.now) of the output that made `predicate` true. */
	waitFor(predicate: (text: string) => boolean, timeoutMs?: number, what?: string): Promise<number>;
	exited: Promise<{exitCode: number; signal?: number}>;
	/** performance.now() of the first output that painted something other than blanks. */
	firstPaintAt(): number | null;
	kill(signal?: string): void;
	/** Close the terminal under the app, as `tmux kill-pane` or a dropped ssh does: SIGHUP, then EIO. */
	hangUp(): void;
}

export interface StartOptions {
	columns?: number;
	rows?: number;
	env?: NodeJS.ProcessEnv;
	/** source: source/cli.ts through tsx (default); bundle: the shipped bin (dist/, `npm run build`); or a path to a bundled cli.js. */
	entry?: string;
	/** A command that runs node, e.g. to run it in another netns as another user: `ip netns exec N setpriv …`. */
	prefix?: string[];
	/** Send the app's stderr to this file instead of the terminal (to read it after the terminal is gone). */
	stderrFile?: string;
}

export function startCli(args: string[], o: StartOptions = {}): PtyScreen {
	const columns = o.columns ?? 100;
	const rows = o.rows ?? 30;
	const term = new Terminal({cols: columns, rows, allowProposedApi: true, scrollback: 0});
	const entry = o.entry === undefined || o.entry === 'source' ? ['--import', 'tsx', 'source/cli.ts'] : [o.entry === 'bundle' ? 'bin/k8snet-tui.js' : o.entry];
	const command = [...(o.prefix ?? []), process.execPath, ...entry, ...args];
	// sh execs the app, so it is still the pty's session leader, as when a shell runs it.
	const [file, argv] = o.stderrFile === undefined
		? [command[0]!, command.slice(1)]
		: ['/bin/sh', ['-c', 'f=$1; shift; exec "$@" 2>"$f"', 'sh', o.stderrFile, ...command]];
	const pty = spawn(file, argv, {
		name: 'xterm-256color',
		cols: columns,
		rows,
		cwd: ROOT,
		env: {...process.env, TERM: 'xterm-256color', ...o.env} as Record<string, string>,
	});
	let raw = '';
	let firstPaint: number | null = null;
	const waiters = new Set<() => void>();
	pty.onData(data => {
		raw += data;
		const at = performance.now();
		term.write(data, () => {
			if (firstPaint === null && screenText(term).trim() !== '') firstPaint = at;
			for (const waiter of [...waiters]) waiter();
		});
	});
	const exited = new Promise<{exitCode: number; signal?: number}>(resolve => {
		pty.onExit(event => {
			for (const waiter of [...waiters]) waiter();
			resolve(event);
		});
	});

	const screen: PtyScreen = {
		pty,
		raw: () => raw,
		text: () => screenText(term),
		lines: () => screenLines(term),
		write: data => pty.write(data),
		resize(c, r) {
			term.resize(c, r);
			pty.resize(c, r);
		},
		waitFor(predicate, timeoutMs = 10_000, what = 'the expected screen') {
			return new Promise((resolve, reject) => {
				const check = () => {
					if (!predicate(screenText(term))) return false;
					waiters.delete(waiter);
					clearTimeout(timer);
					resolve(performance.now());
					return true;
				};

				const waiter = () => {
					check();
				};

				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screenText(term)}`));
				}, timeoutMs);
				waiters.add(waiter);
				check();
			});
		},
		exited,
		firstPaintAt: () => firstPaint,
		kill(signal) {
			try {
				pty.kill(signal);
			} catch {
				// Already gone.
			}
		},
		hangUp() {
			// node-pty's destroy() closes the master (the kernel then hangs up the session), then SIGHUPs.
			(pty as IPty & {destroy(): void}).destroy();
		},
	};
	return screen;
}

function screenLines(term: InstanceType<typeof Terminal>): string[] {
	const buffer = term.buffer.active;
	const lines: string[] = [];
	for (let i = 0; i < term.rows; i++) lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
	return lines;
}

function screenText(term: InstanceType<typeof Terminal>): string {
	return screenLines(term).join('\n');
}

export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
