// A node reached through a transport: a client process (docker exec, ssh) or the API's exec into an
// agent pod. The transport opens channels whose far end runs a node-side argv; this file adds what
// every way in needs: one node worker per node for every run (node-worker.ts: one channel for the
// session, not one per command), started at prepare() and again after it dies, `sudo -n` when the
// login is not root, and the once-per-connection check of what the node has. Streams (captures)
// stay channels of their own, each under the watchdog. sharesProcfs is false: discovery and probes
// go through run(), never our /proc.
import type {Duplex} from 'node:stream';
import type {NodeAccess, Result} from '../../core/types.js';
import type {NodeShell, RunOptions, RunResult, StreamHandle, StreamOptions} from '../node-shell.js';
import {NEEDS_SCRIPT, parseNeeds, type NodeNeeds} from './node-needs.js';
import {createNodeWorker, workerToken, type NodeWorker, type WorkerChannel, type WorkerEnd} from './node-worker.js';
import {workerArgv} from './node-worker-script.js';
import {FORWARD_SCRIPT, forwardOver} from './socket-forward.js';
import {watchdogArgv} from '../watchdog.js';

export interface TransportFailure {
	reason: string;
	hint: string;
}

export interface RemoteTransport {
	readonly access: NodeAccess;
	/** How a person runs a command on the node by hand (`docker exec minikube`, `ssh root@10.0.0.5`). */
	readonly via: string;
	/** Opens what later commands reuse (the ssh master); resolves at once when there is nothing to open. */
	connect(): Promise<Result<void>>;
	/** A channel whose far end runs `remote` on the node; its stdin stays open until close() (the watchdog's lifeline). */
	open(remote: readonly string[]): WorkerChannel;
	/** `remote` (already under the watchdog) as a stream of its own: a capture. */
	stream(remote: readonly string[], options: StreamOptions): StreamHandle;
	/** When a finished channel failed itself (ssh exit 255, docker daemon errors, an exec refused), why; null when the exit is the command's. */
	transportFailure(result: RunResult): TransportFailure | null;
	close(): void;
}

export interface RemoteRunResult extends RunResult {
	/** What to do about `failure`, when the transport knows. */
	hint: string | null;
}

export interface RemoteShell extends NodeShell {
	readonly via: string;
	/** Connects, starts the node worker and checks the node once (cached; retried after a failure). run/stream call it themselves. */
	prepare(): Promise<Result<NodeNeeds>>;
	run(argv: readonly string[], options?: RunOptions): Promise<RemoteRunResult>;
	/** Channels opened so far (each a remote session: a client process, an API exec): node workers and streams. */
	sessions(): number;
	/** The node's unix socket, carried by a channel of its own (socat or nc -U on the node). */
	openUnixSocket(path: string): Promise<Result<Duplex>>;
	close(): void;
}

const PREPARE_TIMEOUT_MS = 20_000;

export interface RemoteShellOptions {
	/** Names a node-side file the worker touches with every request (the agent pod's heartbeat). */
	heartbeat?: string;
}

export function createRemoteShell(transport: RemoteTransport, o: RemoteShellOptions = {}): RemoteShell {
	let preparing: Promise<Result<NodeNeeds>> | null = null;
	let needs: NodeNeeds | null = null;
	let worker: NodeWorker | null = null;
	let restarting: Promise<Result<NodeWorker>> | null = null;
	let sessions = 0;

	/** Why a channel ended, as the transport puts it; null when it does not know. */
	const describeEnd = (end: WorkerEnd): TransportFailure | null => transport.transportFailure({exitCode: end.exitCode, stdout: '', stderr: end.stderr, failure: end.failure});

	const startWorker = async (sudo: boolean): Promise<Result<NodeWorker>> => {
		const token = workerToken();
		sessions++;
		const started = createNodeWorker(transport.open(workerArgv(token, {sudo, heartbeat: o.heartbeat})), {token, what: transport.via, readyTimeoutMs: PREPARE_TIMEOUT_MS});
		if (await started.ready) return {ok: true, value: started};
		const end = await started.ended;
		const known = describeEnd(end);
		if (known) return {ok: false, ...known};
		const said = end.stderr.trim().split('\n').at(-1) ?? '';
		return {ok: false, reason: `the node did not run a shell through ${transport.via}${said ? `: ${said}` : ''}`, hint: `the node needs a POSIX sh; try by hand: ${transport.via} sh -c true`};
	};

	/** The session's worker; a dead one is replaced (reopening a lost ssh master first). */
	const liveWorker = (sudo: boolean): Promise<Result<NodeWorker>> => {
		if (worker?.alive) return Promise.resolve({ok: true, value: worker});
		restarting ??= (async () => {
			const connected = await transport.connect();
			if (!connected.ok) return connected;
			const started = await startWorker(sudo);
			if (started.ok) worker = started.value;
			return started;
		})().finally(() => {
			restarting = null;
		});
		return restarting;
	};

	const prepareOnce = async (): Promise<Result<NodeNeeds>> => {
		const connected = await transport.connect();
		if (!connected.ok) return connected;
		// The check runs as the login, through a worker that is kept when the login is root.
		const first = await startWorker(false);
		if (!first.ok) return first;
		const checked = await first.value.run(['sh', '-c', NEEDS_SCRIPT], {timeoutMs: PREPARE_TIMEOUT_MS});
		const parsed = parseNeeds(checked.stdout);
		if (checked.failure !== null || parsed.uid === null) {
			first.value.close();
			const said = checked.failure ?? checked.stderr.trim().split('\n').at(-1) ?? '';
			return {ok: false, reason: `the node did not run a shell command through ${transport.via}${said ? `: ${said}` : ''}`, hint: 'the node needs a POSIX sh, id and sed'};
		}

		if (parsed.sudo) {
			first.value.close();
			const elevated = await startWorker(true);
			if (!elevated.ok) return elevated;
			worker = elevated.value;
		} else {
			worker = first.value;
		}

		needs = parsed;
		return {ok: true, value: parsed};
	};

	const prepare = (): Promise<Result<NodeNeeds>> => {
		preparing ??= prepareOnce().then(result => {
			if (!result.ok) preparing = null;
			return result;
		});
		return preparing;
	};

	return {
		access: transport.access,
		via: transport.via,
		sharesProcfs: false,
		nodeNetnsPath: null,
		prepare,
		sessions: () => sessions,
		async run(argv, options = {}) {
			const ready = await prepare();
			if (!ready.ok) return {exitCode: null, stdout: '', stderr: '', failure: ready.reason, hint: ready.hint};
			const live = await liveWorker(ready.value.sudo);
			if (!live.ok) return {exitCode: null, stdout: '', stderr: '', failure: live.reason, hint: live.hint};
			const result = await live.value.run(argv, options);
			if (result.failure === null || live.value.alive) return {...result, hint: null};
			// The worker died under this command: one line for it; the next run starts a new one.
			const known = describeEnd(await live.value.ended);
			return {...result, failure: known?.reason ?? result.failure, hint: known?.hint ?? `a new node worker starts with the next command; try by hand: ${transport.via} true`};
		},
		async openUnixSocket(path) {
			const ready = await prepare();
			if (!ready.ok) return ready;
			sessions++;
			const argv = ['sh', '-c', FORWARD_SCRIPT, 'sh', path];
			return forwardOver(transport.open(ready.value.sudo ? ['sudo', '-n', ...argv] : argv), path, transport.via);
		},
		stream(argv, options) {
			const start = (n: NodeNeeds) => {
				sessions++;
				return transport.stream(watchdogArgv(argv, {sudo: n.sudo}), options);
			};
			return needs ? start(needs) : deferredStream(prepare(), start, options);
		},
		close() {
			worker?.close();
			worker = null;
			transport.close();
		},
	};
}

/** A stream asked for before the node was prepared: starts once it is, or reports why it cannot. */
function deferredStream(ready: Promise<Result<NodeNeeds>>, start: (n: NodeNeeds) => StreamHandle, options: StreamOptions): StreamHandle {
	let inner: StreamHandle | null = null;
	let cancelled = false;
	const exited = ready.then(result => {
		if (!result.ok) {
			options.onStderrLine?.(`${result.reason} (${result.hint})`);
			return {exitCode: null, signal: null, failure: result.reason};
		}

		if (cancelled) return {exitCode: null, signal: 'SIGKILL', failure: null};
		inner = start(result.value);
		return inner.exited;
	});
	return {
		get pid() {
			return inner?.pid;
		},
		exited,
		kill(signal) {
			if (inner) inner.kill(signal);
			else if (signal !== 'SIGUSR1' && signal !== 'SIGUSR2') cancelled = true;
		},
	};
}
