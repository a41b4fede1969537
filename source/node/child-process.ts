// Every process the tool starts goes through here: argv arrays only (never a local shell), and each
// child leads a process group of its own, so a timeout, an abort or a kill ends whatever it started
// too, not just the `sh` or client we spawned. A run resolves at its deadline even when a grandchild
// that left the group still holds a pipe: we destroy our ends instead of waiting for theirs.
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, openSync} from 'node:fs';
import type {Socket} from 'node:net';
import type {Readable, Writable} from 'node:stream';
import type {RunOptions, RunResult, StreamHandle, StreamOptions} from './node-shell.js';
import {RELAYED_SIGNALS} from './watchdog.js';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** How long a stream's pipes may stay open after its process exited: what it printed is read by then. */
const PIPE_GRACE_MS = 500;

export interface ProcessRunOptions extends RunOptions {
	/** Only for commands of this machine (the lab's CNI calls); a node shell never passes one. */
	env?: NodeJS.ProcessEnv;
	/** Stdin stays an open pipe until the process exits: the lifeline of a watchdog (source/node/watchdog.ts). */
	holdStdin?: boolean;
	/** Names the command in a failure ("docker exec -i minikube ip"); the command itself by default. */
	what?: string;
}

export interface ProcessStreamOptions extends StreamOptions {
	/**
	 * The process runs a watchdog that reads our stdin: the pipe stays open while it lives, and the
	 * signals it relays are written to it by name (a signal cannot cross ssh or docker exec, and
	 * the watchdog's own sh would die of SIGUSR1).
	 */
	watched?: boolean;
	/** Neither the child nor its pipes keep this process alive (an ssh master must not hold `dump`). */
	background?: boolean;
}

interface Launched {
	child: ChildProcess;
	/** Why it could not be started, once 'error' has fired. */
	failure(): string | null;
}

/** Children still running, ended when we exit: in a session of their own, no terminal signal reaches them. */
const live = new Set<ChildProcess>();
let endOnExit = false;

function launch(argv: readonly string[], o: {stdin: 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv}): Launched {
	const [command, ...args] = argv as [string, ...string[]];
	// detached: a new session and process group, so killGroup reaches the grandchildren. The child
	// then gets no SIGINT from the terminal; whoever started it ends it, and we do on exit. setpriv's
	// parent-death signal is set on the child itself, so it still fires.
	const child = spawn(command, args, {stdio: [o.stdin, 'pipe', 'pipe'], env: o.env ?? process.env, detached: true});
	if (!endOnExit) {
		endOnExit = true;
		process.once('exit', () => {
			for (const running of live) killGroup(running, 'SIGKILL');
		});
	}

	live.add(child);
	child.once('exit', () => live.delete(child));
	let failure: string | null = null;
	child.on('error', error => {
		failure ??= describeSpawnError(command, error);
		if (child.pid === undefined) live.delete(child);
	});
	// A child that exits before reading all its input, or a watchdog gone, must not crash us with EPIPE.
	child.stdin?.on('error', () => undefined);
	return {child, failure: () => failure};
}

function running(child: ChildProcess): boolean {
	return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The whole group is gone already.
	}
}

/** Ends it now: our ends of the pipes (a watchdog's end of input) and SIGKILL to its process group. */
function end(child: ChildProcess): void {
	child.stdin?.destroy();
	killGroup(child, 'SIGKILL');
}

/** Runs to completion, or until the timeout or the abort, and resolves then with what it printed. */
export function runProcess(argv: readonly string[], o: ProcessRunOptions = {}): Promise<RunResult> {
	const command = argv[0];
	if (command === undefined) return Promise.resolve({exitCode: null, stdout: '', stderr: '', failure: 'empty command'});
	const what = o.what ?? command;
	if (o.signal?.aborted) return Promise.resolve({exitCode: null, stdout: '', stderr: '', failure: `${what} was cancelled`});
	const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	return new Promise(resolve => {
		const {child, failure} = launch(argv, {stdin: o.input !== undefined || o.holdStdin ? 'pipe' : 'ignore', env: o.env});
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let settled = false;
		const settle = (exitCode: number | null, stopped: string | null) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			o.signal?.removeEventListener('abort', onAbort);
			resolve({exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), failure: failure() ?? stopped});
		};

		const stop = (why: string) => {
			end(child);
			child.stdout?.destroy();
			child.stderr?.destroy();
			settle(null, why);
		};

		// Our own timer, not spawn's `timeout`: Node leaves that one armed when the spawn fails.
		const timer = setTimeout(() => stop(`${what} did not finish within ${timeoutMs} ms`), timeoutMs);
		const onAbort = () => stop(`${what} was cancelled`);
		o.signal?.addEventListener('abort', onAbort, {once: true});
		child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
		if (o.input !== undefined) child.stdin?.end(o.input);
		// A spawn that failed has no process to wait for.
		child.on('error', () => {
			if (child.pid === undefined) settle(null, null);
		});
		child.on('close', exitCode => {
			child.stdin?.destroy();
			settle(exitCode, null);
		});
	});
}

/** A long-lived command, its output line by line, or as raw bytes with onStdoutData. */
export function streamProcess(argv: readonly string[], o: ProcessStreamOptions): StreamHandle {
	if (argv.length === 0) throw new Error('streamProcess: empty command');
	const {child, failure} = launch(argv, {stdin: o.watched ? 'pipe' : 'ignore'});
	const onData = o.onStdoutData;
	const onLine = o.onStdoutLine;
	if (onData) child.stdout!.on('data', (chunk: Buffer) => onData(chunk));
	else if (onLine) splitLines(child.stdout!, onLine);
	else child.stdout!.resume();
	const onStderr = o.onStderrLine;
	if (onStderr) splitLines(child.stderr!, onStderr);
	else child.stderr!.resume();
	if (o.background) {
		child.unref();
		for (const pipe of [child.stdout, child.stderr]) (pipe as Socket).unref();
	}

	const onAbort = () => end(child);
	o.signal?.addEventListener('abort', onAbort, {once: true});
	if (o.signal?.aborted) onAbort();
	const exited = new Promise<{exitCode: number | null; signal: string | null; failure: string | null}>(resolve => {
		let done = false;
		const finish = (exitCode: number | null, signal: string | null) => {
			if (done) return;
			done = true;
			o.signal?.removeEventListener('abort', onAbort);
			child.stdin?.destroy();
			resolve({exitCode, signal, failure: failure()});
		};

		child.on('error', () => {
			if (child.pid === undefined) finish(null, null);
		});
		// Once the child we started is gone, what is left of its group is ours to end, and a grandchild
		// that left the group gets a moment to let go of the pipes before we let go of them ourselves.
		child.on('exit', () => {
			killGroup(child, 'SIGKILL');
			child.stdin?.destroy();
			setTimeout(() => {
				child.stdout?.destroy();
				child.stderr?.destroy();
			}, PIPE_GRACE_MS).unref();
		});
		child.on('close', finish);
	});
	return {
		pid: child.pid,
		exited,
		kill(signal: NodeJS.Signals = 'SIGTERM') {
			if (!running(child)) return;
			if (!o.watched) killGroup(child, signal);
			else if (RELAYED_SIGNALS.has(signal) && child.stdin?.writable) child.stdin.write(`${signal.slice(3)}\n`);
			else end(child);
		},
	};
}

/** Calls onLine for each complete line, and for a last line without a newline at the end. */
export function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
	let rest = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		const parts = (rest + chunk).split('\n');
		rest = parts.pop() ?? '';
		for (const line of parts) onLine(line);
	});
	stream.on('end', () => {
		if (rest !== '') onLine(rest);
		rest = '';
	});
}

function describeSpawnError(command: string, error: Error & {code?: string}): string {
	if (error.code === 'ENOENT') return `'${command}' is not installed on this machine`;
	if (error.code === 'EACCES') return `'${command}' cannot be executed (permission denied)`;
	return `${command} could not be started: ${error.message}`;
}

/**
 * A daemon that outlives us (the lab's pause processes and API servers): a session of its own,
 * stdout and stderr appended to `log` or discarded, nothing of ours waiting on it. Its pid, or null
 * when it could not be started.
 */
export function startDaemon(argv: readonly string[], o: {cwd: string; log?: string}): number | null {
	const [command, ...args] = argv;
	if (command === undefined) return null;
	const out = o.log === undefined ? 'ignore' : openSync(o.log, 'a', 0o600);
	try {
		const child = spawn(command, args, {detached: true, stdio: ['ignore', out, out], cwd: o.cwd});
		child.on('error', () => undefined);
		child.unref();
		return child.pid ?? null;
	} finally {
		if (typeof out === 'number') closeSync(out);
	}
}

/**
 * A short-lived child with a Node IPC channel (fd 3), for handing sockets over (SCM_RIGHTS): the
 * lab's binder, which opens a pod's ports inside its netns and sends them to us. Killed with its
 * group at the deadline; its stderr is the caller's to read.
 */
export function startWithChannel(argv: readonly string[], timeoutMs: number): ChildProcess {
	const [command, ...args] = argv as [string, ...string[]];
	const child = spawn(command, args, {stdio: ['ignore', 'ignore', 'pipe', 'ipc'], detached: true});
	live.add(child);
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
	child.once('exit', () => {
		clearTimeout(timer);
		live.delete(child);
	});
	child.on('error', () => clearTimeout(timer));
	return child;
}

/** A process's three pipes as bytes, for whoever relays them (the lab API's exec, a node worker). */
export interface ByteChannel {
	readonly pid: number | undefined;
	readonly stdin: Writable;
	readonly stdout: Readable;
	readonly stderr: Readable;
	/** Resolves once the process has exited and its pipes are drained. */
	readonly closed: Promise<{exitCode: number | null; signal: string | null; failure: string | null}>;
	/** Ends it now: SIGKILL to its process group. */
	close(): void;
}

/**
 * A long-lived command whose stdin, stdout and stderr stay raw byte streams. `background`: like an
 * ssh master, neither it nor its pipes keep this process alive (a node worker's channel).
 */
export function spawnChannel(argv: readonly string[], o: {env?: NodeJS.ProcessEnv; background?: boolean} = {}): ByteChannel {
	if (argv.length === 0) throw new Error('spawnChannel: empty command');
	const {child, failure} = launch(argv, {stdin: 'pipe', env: o.env});
	if (o.background) {
		child.unref();
		for (const pipe of [child.stdin, child.stdout, child.stderr]) (pipe as unknown as Socket).unref();
	}

	const closed = new Promise<{exitCode: number | null; signal: string | null; failure: string | null}>(resolve => {
		child.on('error', () => {
			if (child.pid === undefined) resolve({exitCode: null, signal: null, failure: failure()});
		});
		// As for a stream: what is left of its group goes, and a grandchild gets a moment to let go of the pipes.
		child.on('exit', () => {
			killGroup(child, 'SIGKILL');
			setTimeout(() => {
				child.stdout?.destroy();
				child.stderr?.destroy();
			}, PIPE_GRACE_MS).unref();
		});
		child.on('close', (exitCode, signal) => resolve({exitCode, signal, failure: failure()}));
	});
	return {pid: child.pid, stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr!, closed, close: () => end(child)};
}
