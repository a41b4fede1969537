// A node reached through its agent pod and the API's exec (client-node's Exec: the websocket
// protocol, v5 with v4 fallback). Every command runs as an argv array under the same watchdog as
// ssh and docker exec, so nothing from the cluster is parsed by a shell but the watchdog's own
// fixed script; each command first touches the pod's heartbeat, which keeps the agent alive. The
// pod is hostNetwork and hostPID with /run/netns mounted, so the probe runs with the image's tools
// and sees the node's namespaces as the node does.
import {PassThrough} from 'node:stream';
import {Exec, type V1Status} from '@kubernetes/client-node';
import type {Result} from '../../core/types.js';
import type {KubeTarget} from '../../cluster/kube-target.js';
import {AGENT_CONTAINER, heartbeatPath} from '../../cluster/agent-pod-spec.js';
import {splitLines} from '../child-process.js';
import type {RunOptions, StreamHandle, StreamOptions} from '../node-shell.js';
import {RELAYED_SIGNALS, watchdogArgv} from '../watchdog.js';
import {NEEDS_SCRIPT, parseNeeds, type NodeNeeds} from './node-needs.js';
import type {RemoteRunResult, RemoteShell} from './remote-shell.js';
import {FORWARD_SCRIPT, forwardOver} from './socket-forward.js';

/** Touches the heartbeat ($1), then runs the rest: fixed text, its operands are argv elements. */
const HEARTBEAT_THEN = 'touch "$1" 2>/dev/null; shift; exec "$@"';
const DEFAULT_RUN_MS = 15_000;

export interface AgentChannel {
	stdin: PassThrough;
	stdout: PassThrough;
	stderr: PassThrough;
	/** The exit code (null when the exec itself failed) and why. */
	closed: Promise<{exitCode: number | null; signal: string | null; failure: string | null}>;
	close(): void;
}

function exitCodeOf(s: V1Status): number | null {
	if (s.status === 'Success') return 0;
	const cause = s.details?.causes?.find(c => c.reason === 'ExitCode');
	return cause?.message === undefined ? null : Number(cause.message);
}

export interface AgentShellOptions {
	kube: KubeTarget;
	namespace: string;
	pod: string;
	node: string;
}

export function createAgentShell(o: AgentShellOptions): RemoteShell & {openChannel(argv: readonly string[]): AgentChannel} {
	const exec = new Exec(o.kube.kc);
	const via = `kubectl exec -n ${o.namespace} ${o.pod} --`;
	let needs: Promise<Result<NodeNeeds>> | null = null;
	/** Execs opened so far: each run, stream and socket is one (there is no node worker over exec yet). */
	let sessions = 0;

	/** One exec of `argv` (already wrapped), stdin held open until close: the watchdog's lifeline. */
	const openChannel = (argv: readonly string[]): AgentChannel => {
		sessions++;
		const stdin = new PassThrough();
		const stdout = new PassThrough();
		const stderr = new PassThrough();
		let socket: {close(): void} | null = null;
		let closedEarly = false;
		const closed = new Promise<{exitCode: number | null; signal: string | null; failure: string | null}>(resolve => {
			let status: V1Status | null = null;
			const command = ['sh', '-c', HEARTBEAT_THEN, 'sh', heartbeatPath(o.pod), ...argv];
			exec
				.exec(o.namespace, o.pod, AGENT_CONTAINER, command, stdout, stderr, stdin, false, s => (status = s))
				.then(ws => {
					socket = ws;
					if (closedEarly) ws.close();
					ws.on('close', () => {
						const s = status as V1Status | null;
						resolve(s ? {exitCode: exitCodeOf(s), signal: null, failure: s.status === 'Success' || exitCodeOf(s) !== null ? null : (s.message ?? 'the exec failed')} : {exitCode: null, signal: 'SIGKILL', failure: closedEarly ? null : 'the exec stream closed without a status'});
					});
				})
				.catch((error: unknown) => resolve({exitCode: null, signal: null, failure: `exec into ${o.namespace}/${o.pod} failed: ${error instanceof Error ? error.message : String(error)}`}));
		});
		return {
			stdin,
			stdout,
			stderr,
			closed,
			close() {
				closedEarly = true;
				stdin.end();
				socket?.close();
			},
		};
	};

	const run = async (argv: readonly string[], options: RunOptions = {}): Promise<RemoteRunResult> => {
		const channel = openChannel(watchdogArgv(argv, {input: options.input}));
		let out = '';
		let err = '';
		channel.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
		channel.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
		const timeoutMs = options.timeoutMs ?? DEFAULT_RUN_MS;
		const stopped = new Promise<string>(resolve => {
			const timer = setTimeout(() => resolve(`${via} ${argv[0] ?? ''} did not finish within ${timeoutMs} ms`), timeoutMs);
			timer.unref();
			options.signal?.addEventListener('abort', () => resolve(`${via} ${argv[0] ?? ''} was cancelled`), {once: true});
			void channel.closed.then(() => clearTimeout(timer));
		});
		const r = await Promise.race([channel.closed, stopped.then(why => ({exitCode: null, signal: null, failure: why}))]);
		channel.close();
		return {exitCode: r.exitCode, stdout: out, stderr: err, failure: r.failure, hint: r.failure ? `try by hand: ${via} true` : null};
	};

	const prepare = (): Promise<Result<NodeNeeds>> => {
		needs ??= run(['sh', '-c', NEEDS_SCRIPT], {timeoutMs: 20_000}).then(r => {
			if (r.failure !== null) {
				needs = null;
				return {ok: false as const, reason: r.failure, hint: r.hint ?? `try by hand: ${via} true`};
			}

			return {ok: true as const, value: parseNeeds(r.stdout)};
		});
		return needs;
	};

	const stream = (argv: readonly string[], options: StreamOptions): StreamHandle => {
		const channel = openChannel(watchdogArgv(argv));
		// A capture reads pcap bytes; text readers get lines.
		if (options.onStdoutData) channel.stdout.on('data', options.onStdoutData);
		if (options.onStdoutLine) splitLines(channel.stdout, options.onStdoutLine);
		if (!options.onStdoutData && !options.onStdoutLine) channel.stdout.resume();
		if (options.onStderrLine) splitLines(channel.stderr, options.onStderrLine);
		else channel.stderr.resume();
		options.signal?.addEventListener('abort', () => channel.close(), {once: true});
		return {
			pid: undefined,
			exited: channel.closed,
			kill(signal: NodeJS.Signals = 'SIGTERM') {
				if (RELAYED_SIGNALS.has(signal)) channel.stdin.write(`${signal.slice(3)}\n`);
				else channel.close();
			},
		};
	};

	return {
		access: {kind: 'agent', target: `${o.namespace}/${o.pod}`},
		via,
		sharesProcfs: false,
		nodeNetnsPath: null,
		prepare,
		run,
		stream,
		openChannel,
		sessions: () => sessions,
		async openUnixSocket(path) {
			const ready = await prepare();
			if (!ready.ok) return ready;
			return forwardOver(openChannel(['sh', '-c', FORWARD_SCRIPT, 'sh', path]), path, via);
		},
		close: () => undefined,
	};
}
