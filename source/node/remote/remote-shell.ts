// A node reached through a client process (docker exec, ssh). The transport says how a node-side
// argv becomes a local one; this file adds what both need: the watchdog around every command, a
// timeout on every run, `sudo -n` when the login is not root, and the once-per-connection check of
// what the node has. sharesProcfs is false: discovery and probes go through run(), never our /proc.
import type {NodeAccess, Result} from '../../core/types.js';
import type {NodeShell, RunOptions, RunResult, StreamHandle, StreamOptions} from '../node-shell.js';
import {NEEDS_SCRIPT, parseNeeds, type NodeNeeds} from './node-needs.js';
import {runClient, streamClient} from './remote-process.js';
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
	/** The local argv that runs `remote` on the node. */
	clientArgv(remote: readonly string[]): string[];
	/** When a finished client failed itself (ssh exit 255, docker daemon errors), why; null when the exit is the command's. */
	transportFailure(result: RunResult): TransportFailure | null;
	close(): void;
}

export interface RemoteRunResult extends RunResult {
	/** What to do about `failure`, when the transport knows. */
	hint: string | null;
}

export interface RemoteShell extends NodeShell {
	readonly via: string;
	/** Connects and checks the node once (cached; retried after a failure). run/stream call it themselves. */
	prepare(): Promise<Result<NodeNeeds>>;
	run(argv: readonly string[], options?: RunOptions): Promise<RemoteRunResult>;
	close(): void;
}

const PREPARE_TIMEOUT_MS = 20_000;

export function createRemoteShell(transport: RemoteTransport): RemoteShell {
	let preparing: Promise<Result<NodeNeeds>> | null = null;
	let needs: NodeNeeds | null = null;

	const execute = async (argv: readonly string[], options: RunOptions, sudo: boolean): Promise<RemoteRunResult> => {
		const client = transport.clientArgv(watchdogArgv(argv, {input: options.input, sudo}));
		const result = await runClient(client, {timeoutMs: options.timeoutMs, signal: options.signal, what: `${transport.via} ${argv[0] ?? ''}`.trim()});
		const failed = clientMissing(client[0]!, result) ?? transport.transportFailure(result);
		return failed ? {...result, exitCode: null, failure: failed.reason, hint: failed.hint} : {...result, hint: null};
	};

	const prepareOnce = async (): Promise<Result<NodeNeeds>> => {
		const connected = await transport.connect();
		if (!connected.ok) return connected;
		const checked = await execute(['sh', '-c', NEEDS_SCRIPT], {timeoutMs: PREPARE_TIMEOUT_MS}, false);
		if (checked.failure !== null) return {ok: false, reason: checked.failure, hint: checked.hint ?? `try by hand: ${transport.via} true`};
		const parsed = parseNeeds(checked.stdout);
		if (parsed.uid === null) {
			const said = checked.stderr.trim().split('\n').at(-1) ?? '';
			return {ok: false, reason: `the node did not run a shell command through ${transport.via}${said ? `: ${said}` : ''}`, hint: 'the node needs a POSIX sh, id and sed'};
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
		async run(argv, options = {}) {
			const ready = await prepare();
			if (!ready.ok) return {exitCode: null, stdout: '', stderr: '', failure: ready.reason, hint: ready.hint};
			// A master lost since (network blip, node reboot) is reopened here, by the next poll.
			const connected = await transport.connect();
			if (!connected.ok) return {exitCode: null, stdout: '', stderr: '', failure: connected.reason, hint: connected.hint};
			return execute(argv, options, ready.value.sudo);
		},
		stream(argv, options) {
			const start = (n: NodeNeeds) => streamClient(transport.clientArgv(watchdogArgv(argv, {sudo: n.sudo})), options);
			return needs ? start(needs) : deferredStream(prepare(), start, options);
		},
		close() {
			transport.close();
		},
	};
}

/** setpriv starts the client: when the client itself is not installed, setpriv says so and exits 127. */
function clientMissing(client: string, result: RunResult): TransportFailure | null {
	if (result.exitCode !== 127 || !result.stderr.includes(`failed to execute ${client}:`)) return null;
	return {reason: `'${client}' is not installed on this machine`, hint: `install it, or reach the node another way (--node-ssh, --node-exec)`};
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
