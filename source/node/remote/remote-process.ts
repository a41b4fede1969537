// The local client of a remote command (ssh, docker exec): spawned from an argv (no local shell),
// dying with us (setpriv --pdeathsig), and with its stdin pipe held open until it exits, because
// the end of that pipe is what tells the node-side watchdog to stop the command.
import {spawn, type ChildProcessByStdio} from 'node:child_process';
import type {Readable, Writable} from 'node:stream';
import {splitLines} from '../child-process.js';
import {DIE_WITH_US} from '../local-shell.js';
import type {RunResult, StreamHandle, StreamOptions} from '../node-shell.js';
import {RELAYED_SIGNALS} from './watchdog.js';

export const DEFAULT_REMOTE_TIMEOUT_MS = 15_000;

type Client = ChildProcessByStdio<Writable, Readable, Readable>;

function spawnClient(argv: readonly string[]): {child: Client; failure: () => string | null} {
	const [command, ...args] = [...DIE_WITH_US, ...argv];
	const child = spawn(command!, args, {stdio: ['pipe', 'pipe', 'pipe']});
	let failure: string | null = null;
	child.on('error', error => {
		const code = (error as NodeJS.ErrnoException).code;
		failure = code === 'ENOENT' ? `'${command}' is not installed here` : `${command} could not be started: ${error.message}`;
	});
	// The client may die before we close our end: a write to the pipe must not crash us.
	child.stdin.on('error', () => undefined);
	return {child, failure: () => failure};
}

/** Ends the stdin pipe (the remote watchdog stops the command) and SIGKILLs the local client. */
function abandon(child: Client): void {
	child.stdin.destroy();
	if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export function runClient(argv: readonly string[], o: {timeoutMs?: number; signal?: AbortSignal; what: string}): Promise<RunResult> {
	const timeoutMs = o.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
	return new Promise(resolve => {
		const {child, failure} = spawnClient(argv);
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let stopped: string | null = null;
		const stop = (why: string) => {
			stopped ??= why;
			abandon(child);
		};

		const timer = setTimeout(() => stop(`${o.what} did not answer within ${timeoutMs} ms`), timeoutMs);
		const onAbort = () => stop(`${o.what} was cancelled`);
		o.signal?.addEventListener('abort', onAbort, {once: true});
		if (o.signal?.aborted) onAbort();
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('close', exitCode => {
			clearTimeout(timer);
			o.signal?.removeEventListener('abort', onAbort);
			child.stdin.destroy();
			resolve({
				exitCode: stopped === null ? exitCode : null,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				failure: failure() ?? stopped,
			});
		});
	});
}

export function streamClient(argv: readonly string[], options: StreamOptions): StreamHandle {
	const {child, failure} = spawnClient(argv);
	splitLines(child.stdout, options.onStdoutLine);
	const onStderr = options.onStderrLine;
	if (onStderr) splitLines(child.stderr, onStderr);
	else child.stderr.resume();
	const onAbort = () => abandon(child);
	options.signal?.addEventListener('abort', onAbort, {once: true});
	if (options.signal?.aborted) onAbort();
	const exited = new Promise<{exitCode: number | null; signal: string | null; failure: string | null}>(resolve => {
		child.on('close', (exitCode, signal) => {
			options.signal?.removeEventListener('abort', onAbort);
			child.stdin.destroy();
			resolve({exitCode, signal, failure: failure()});
		});
	});
	return {
		pid: child.pid,
		exited,
		kill(signal: NodeJS.Signals = 'SIGTERM') {
			if (child.exitCode !== null || child.signalCode !== null) return;
			// Signals cannot cross ssh or docker exec: the watchdog reads their names from stdin.
			if (RELAYED_SIGNALS.has(signal) && child.stdin.writable) child.stdin.write(`${signal.slice(3)}\n`);
			else abandon(child);
		},
	};
}
