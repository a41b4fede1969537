// Spawning for the node shells: argv arrays only (never a local shell), a timeout on every
// one-shot run, and line-by-line streaming for long-lived commands such as tcpdump.
import {spawn} from 'node:child_process';
import type {RunOptions, RunResult, StreamHandle, StreamOptions} from './node-shell.js';

const DEFAULT_TIMEOUT_MS = 15_000;

/** `env`: only for commands of this machine (the lab's CNI calls); a node shell never passes one. */
export function runProcess(argv: readonly string[], options: RunOptions & {env?: NodeJS.ProcessEnv} = {}): Promise<RunResult> {
	const [command, ...args] = argv;
	if (command === undefined) return Promise.resolve({exitCode: null, stdout: '', stderr: '', failure: 'empty command'});
	return new Promise(resolve => {
		const child = spawn(command, args, {
			stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
			env: options.env ?? process.env,
			signal: options.signal,
		});
		// Our own timer, not spawn's `timeout`: Node leaves that one armed when the spawn fails
		// (ENOENT emits no 'exit'), which kept every process alive for 15 s after a missing crictl.
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		let failure: string | null = null;
		child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('error', error => {
			failure = describeSpawnError(command, error);
		});
		if (options.input !== undefined && child.stdin) {
			// A command that exits before reading all its input must not crash us with EPIPE.
			child.stdin.on('error', () => undefined);
			child.stdin.end(options.input);
		}

		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			if (failure === null && signal === 'SIGKILL' && exitCode === null) {
				failure = `${command} did not finish within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`;
			}

			resolve({
				exitCode,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
				failure,
			});
		});
	});
}

export function streamProcess(argv: readonly string[], options: StreamOptions): StreamHandle {
	const [command, ...args] = argv;
	if (command === undefined) throw new Error('streamProcess: empty command');
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal});
	let failure: string | null = null;
	child.on('error', error => {
		failure = describeSpawnError(command, error);
	});
	splitLines(child.stdout, options.onStdoutLine);
	const onStderr = options.onStderrLine;
	if (onStderr) splitLines(child.stderr, onStderr);
	else child.stderr.resume();
	const exited = new Promise<{exitCode: number | null; signal: string | null; failure: string | null}>(resolve => {
		child.on('close', (exitCode, signal) => resolve({exitCode, signal, failure}));
	});
	return {
		pid: child.pid,
		exited,
		kill(signal: NodeJS.Signals = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
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
	if (error.code === 'ENOENT') return `'${command}' is not installed on this node`;
	if (error.code === 'EACCES') return `'${command}' cannot be executed (permission denied)`;
	if (error.name === 'AbortError') return `${command} was cancelled`;
	return `${command} could not be started: ${error.message}`;
}
