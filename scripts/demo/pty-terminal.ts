// A program in a real pty, its output interpreted by a headless xterm.js of the same size: the
// screen exactly as a user's terminal would show it.
import {performance} from 'node:perf_hooks';
import {spawn, type IPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {readScreenGrid, type ScreenGrid} from './screen-grid.js';

const {Terminal} = xterm;

export interface PtyTerminal {
	/**
	 * The visible screen, once xterm.js has parsed everything the program wrote so far and the
	 * program is not in the middle of a synchronized update (Ink brackets each frame in one).
	 */
	screen(): Promise<ScreenGrid>;
	/** The visible screen as text (lines joined by \n), as parsed so far. */
	text(): string;
	/** Writes straight onto the emulated screen, as if printed before the program started. */
	print(data: string): Promise<void>;
	keys(data: string): void;
	waitForText(predicate: (text: string) => boolean, timeoutMs: number, what: string): Promise<void>;
	exited: Promise<{exitCode: number; signal?: number}>;
	hasExited(): boolean;
	kill(signal?: string): void;
}

export interface PtyOptions {
	command: string;
	args: string[];
	columns: number;
	rows: number;
	cwd: string;
	env?: Record<string, string>;
}

export function startPtyTerminal(o: PtyOptions): PtyTerminal {
	const term = new Terminal({cols: o.columns, rows: o.rows, allowProposedApi: true, scrollback: 0});
	let pending = 0;
	let idle: (() => void)[] = [];
	let exited = false;
	const listeners = new Set<() => void>();
	const written = () => {
		pending--;
		if (pending === 0) {
			const waiting = idle;
			idle = [];
			for (const resolve of waiting) resolve();
		}

		for (const listener of [...listeners]) listener();
	};

	const write = (data: string) => {
		pending++;
		term.write(data, written);
	};

	const settled = () => (pending === 0 ? Promise.resolve() : new Promise<void>(resolve => idle.push(resolve)));

	const pty: IPty = spawn(o.command, o.args, {
		name: 'xterm-256color',
		cols: o.columns,
		rows: o.rows,
		cwd: o.cwd,
		env: {...(process.env as Record<string, string>), TERM: 'xterm-256color', COLORTERM: 'truecolor', ...o.env},
	});
	pty.onData(write);
	const exitedPromise = new Promise<{exitCode: number; signal?: number}>(resolve => {
		pty.onExit(event => {
			// The exit can overtake the last output still being parsed: let the screen catch up first.
			void settled().then(() => {
				exited = true;
				for (const listener of [...listeners]) listener();
				resolve(event);
			});
		});
	});

	const text = () => {
		const buffer = term.buffer.active;
		const lines: string[] = [];
		for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
		return lines.join('\n');
	};

	return {
		async screen() {
			await settled();
			// A program that never ends its update must not stall the recording: give up after a while.
			const deadline = performance.now() + 500;
			while (term.modes.synchronizedOutputMode && !exited && performance.now() < deadline) {
				await new Promise<void>(resolve => {
					const next = () => {
						listeners.delete(next);
						resolve();
					};

					listeners.add(next);
					setTimeout(next, 50);
				});
				await settled();
			}

			return readScreenGrid(term);
		},
		text,
		async print(data) {
			write(data);
			await settled();
		},
		keys(data) {
			pty.write(data);
		},
		waitForText(predicate, timeoutMs, what) {
			return new Promise((resolve, reject) => {
				const done = (error?: Error) => {
					listeners.delete(check);
					clearTimeout(timer);
					if (error) reject(error);
					else resolve();
				};

				function check() {
					if (predicate(text())) done();
					else if (exited) done(new Error(`the program exited while waiting for ${what}; screen:\n${text()}`));
				}

				const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${text()}`)), timeoutMs);
				listeners.add(check);
				check();
			});
		},
		exited: exitedPromise,
		hasExited: () => exited,
		kill(signal) {
			if (exited) return;
			try {
				pty.kill(signal);
			} catch {
				// Gone between the check and the kill.
			}
		},
	};
}
