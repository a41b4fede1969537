// The local side of a node worker (node-worker-script.ts): requests go down one open channel, one
// at a time and in order, and each reply is read back out of the two streams by its token. The
// channel is whatever carries the worker's stdio (an ssh or docker exec client, an API exec
// websocket), so every way in gets the same worker. A request the worker does not answer in time
// (a hung node) ends the channel: the worker is then dead, and whoever holds it starts a new one.
import {randomBytes} from 'node:crypto';
import type {Readable, Writable} from 'node:stream';
import type {RunOptions, RunResult} from '../node-shell.js';
import {DEFAULT_TIMEOUT_MS} from '../child-process.js';
import {MarkerSearch, ReplyFrame} from './node-worker-frames.js';
import {createInternTable} from './node-worker-intern.js';
import {defineLine, requestLine, STOP_LINE} from './node-worker-script.js';

export interface ChannelEnd {
	exitCode: number | null;
	signal: string | null;
	/** Why the transport itself failed (could not start, timed out), when it knows. */
	failure: string | null;
}

/** The worker's stdio, however it is carried. `closed` settles once the far end is gone. */
export interface WorkerChannel {
	readonly stdin: Writable;
	readonly stdout: Readable;
	readonly stderr: Readable;
	readonly closed: Promise<ChannelEnd>;
	close(): void;
}

export interface WorkerEnd extends ChannelEnd {
	/** What the channel printed on stderr outside any reply (the last few KiB): ssh's, sudo's, the shell's. */
	stderr: string;
}

export interface NodeWorker {
	/** True once the worker has said it is ready; false when it ended first or never said so in time. */
	readonly ready: Promise<boolean>;
	readonly alive: boolean;
	readonly ended: Promise<WorkerEnd>;
	run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
	close(): void;
}

export interface NodeWorkerOptions {
	/** The token the worker was started with (workerArgv): its ready line starts with it. */
	token: string;
	/** Names commands in failures: `${what} ${argv[0]}`. */
	what: string;
	readyTimeoutMs?: number;
}

/** 128 random bits, as the worker script checks them (lower-case hex). */
export function workerToken(): string {
	return randomBytes(16).toString('hex');
}

const READY_TIMEOUT_MS = 20_000;
/** How long a stopped command's reply may take to come back before the worker counts as hung. */
const REPLY_GRACE_MS = 5000;
const NOISE_KEPT = 4096;
const CLOSE_WAIT_MS = 5000;

interface Request {
	/** Names it in failures. */
	what: string;
	line(token: string): string;
	options: RunOptions;
	resolve(result: RunResult): void;
	/** The caller has its answer already (cancelled); the reply is read and dropped. */
	answered: boolean;
	onAbort(): void;
}

interface InFlight {
	request: Request;
	token: string;
	stdout: ReplyFrame;
	stderr: ReplyFrame;
	timer: NodeJS.Timeout;
}

export function createNodeWorker(channel: WorkerChannel, o: NodeWorkerOptions): NodeWorker {
	const queue: Request[] = [];
	const intern = createInternTable();
	let current: InFlight | null = null;
	let alive = true;
	let isReady = false;
	let noise = '';
	let killedBecause: string | null = null;
	const readyLine = new MarkerSearch(`${o.token} ready\n`);
	let markReady: (ready: boolean) => void = () => undefined;
	const ready = new Promise<boolean>(resolve => (markReady = resolve));
	const readyTimer = setTimeout(() => kill(`the node worker did not start within ${o.readyTimeoutMs ?? READY_TIMEOUT_MS} ms`), o.readyTimeoutMs ?? READY_TIMEOUT_MS);

	const keepNoise = (bytes: Buffer) => {
		noise = (noise + bytes.toString('utf8')).slice(-NOISE_KEPT);
	};

	const answer = (request: Request, result: RunResult) => {
		if (request.answered) return;
		request.answered = true;
		request.options.signal?.removeEventListener('abort', request.onAbort);
		request.resolve(result);
	};

	const failed = (failure: string): RunResult => ({exitCode: null, stdout: '', stderr: '', failure});

	function kill(why: string): void {
		killedBecause ??= why;
		// Until the channel has closed, someone may be waiting on `ended`, and nothing else keeps the loop alive.
		const closing = setTimeout(() => undefined, CLOSE_WAIT_MS);
		void channel.closed.then(() => clearTimeout(closing));
		channel.close();
	}

	function next(): void {
		if (current !== null || !alive || !isReady) return;
		const request = queue.shift();
		if (request === undefined) return;
		const token = workerToken();
		const timeoutMs = request.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		let line: string;
		try {
			line = request.line(token);
		} catch (error) {
			answer(request, failed(`${request.what} cannot be sent to the node: ${(error as Error).message}`));
			return next();
		}

		// The deadline is kept here: at it the worker is told to kill the command, and its reply
		// (dropped) must follow soon, or the worker is hung and ended. These timers also keep the
		// event loop alive while a reply is due: the channel's pipes do not, so that an idle worker
		// never holds a `dump` open.
		const inFlight: InFlight = {
			request,
			token,
			stdout: new ReplyFrame(token, '1 '),
			stderr: new ReplyFrame(token, '2\n'),
			timer: setTimeout(() => {
				answer(request, failed(`${request.what} did not finish within ${timeoutMs} ms`));
				channel.stdin.write(STOP_LINE);
				inFlight.timer = setTimeout(() => kill(`the node worker did not stop a command within ${REPLY_GRACE_MS} ms`), REPLY_GRACE_MS);
			}, timeoutMs),
		};
		current = inFlight;
		channel.stdin.write(line);
	}

	function finishIfDone(): void {
		if (current === null || !current.stdout.done || !current.stderr.done) return;
		const {request, timer, stdout, stderr} = current;
		clearTimeout(timer);
		current = null;
		const out = stdout.result();
		const status = out.trailer.trim();
		answer(request, {
			exitCode: /^\d+$/.test(status) ? Number(status) : null,
			stdout: out.body.toString('utf8'),
			stderr: stderr.result().body.toString('utf8'),
			failure: /^\d+$/.test(status) ? null : `${request.what}: the node worker sent a garbled status ${JSON.stringify(status)}`,
		});
		next();
	}

	channel.stdout.on('data', (chunk: Buffer) => {
		if (!isReady) {
			const found = readyLine.push(chunk);
			if (found === null) return;
			isReady = true;
			clearTimeout(readyTimer);
			markReady(true);
			if (found.after.length > 0) keepNoise(found.after);
			next();
			return;
		}

		if (current === null) return;
		current.stdout.push(chunk);
		finishIfDone();
	});
	channel.stderr.on('data', (chunk: Buffer) => {
		if (current === null) return keepNoise(chunk);
		for (const outside of current.stderr.push(chunk)) keepNoise(outside);
		finishIfDone();
	});

	const ended = channel.closed.then(end => {
		alive = false;
		clearTimeout(readyTimer);
		markReady(false);
		const said = noise.trim().split('\n').at(-1)?.trim();
		const why = killedBecause ?? `the node worker ended${said ? `: ${said}` : end.failure ? `: ${end.failure}` : ''}`;
		if (current !== null) {
			clearTimeout(current.timer);
			answer(current.request, failed(why));
			current = null;
		}

		for (const request of queue.splice(0)) answer(request, failed(why));
		return {...end, failure: killedBecause ?? end.failure, stderr: noise};
	});

	return {
		ready,
		get alive() {
			return alive;
		},
		ended,
		run(argv, options = {}) {
			const what = `${o.what} ${argv[0] ?? ''}`.trim();
			if (!alive) return Promise.resolve(failed(killedBecause ?? 'the node worker has ended'));
			if (options.signal?.aborted) return Promise.resolve(failed(`${what} was cancelled`));
			const plan = intern.plan(argv);
			for (const {slot, value} of plan.defines) {
				queue.push({what: `${o.what} (a long argument)`, line: token => defineLine(token, slot, value), options: {}, resolve: () => undefined, answered: false, onAbort: () => undefined});
			}

			return new Promise(resolve => {
				const request: Request = {
					what,
					line: token => requestLine(token, argv, options.input, plan.slotOf),
					options,
					resolve,
					answered: false,
					onAbort() {
						const queued = queue.indexOf(request);
						if (queued >= 0) queue.splice(queued, 1);
						// The worker's watcher reads this line and kills the command; its reply still comes, and is dropped.
						else if (current?.request === request) channel.stdin.write(STOP_LINE);
						answer(request, failed(`${what} was cancelled`));
					},
				};
				options.signal?.addEventListener('abort', request.onAbort, {once: true});
				queue.push(request);
				next();
			});
		},
		close() {
			kill('the node worker was closed');
		},
	};
}
