// A node reached through its agent pod and the API's exec (client-node's Exec: the websocket
// protocol, v5 with v4 fallback): a transport for the node worker, as ssh and docker exec are. One
// exec carries the worker's sh for the session, so a steady poll opens no new exec; captures and
// sockets are execs of their own, under the watchdog. The worker touches the pod's heartbeat with
// every request, which keeps the agent alive; while nothing else asks (a long capture, an idle
// TUI) a keepalive request does. The pod is hostNetwork and hostPID with /run/netns mounted, so
// the probe runs with the image's tools and sees the node's namespaces as the node does.
import {PassThrough} from 'node:stream';
import {Exec, type V1Status} from '@kubernetes/client-node';
import type {KubeTarget} from '../../cluster/kube-target.js';
import {AGENT_CONTAINER, AGENT_IDLE_SECONDS, heartbeatPath} from '../../cluster/agent-pod-spec.js';
import {splitLines} from '../child-process.js';
import type {StreamHandle, StreamOptions} from '../node-shell.js';
import {RELAYED_SIGNALS} from '../watchdog.js';
import type {ChannelEnd, WorkerChannel} from './node-worker.js';
import {createRemoteShell, type RemoteShell, type RemoteTransport} from './remote-shell.js';

export interface AgentShellOptions {
	kube: KubeTarget;
	namespace: string;
	pod: string;
	node: string;
	/** The pod's idle time (its heartbeat's limit): the keepalive comes at a third of it. */
	idleSeconds?: number;
}

function exitCodeOf(s: V1Status): number | null {
	if (s.status === 'Success') return 0;
	const cause = s.details?.causes?.find(c => c.reason === 'ExitCode');
	return cause?.message === undefined ? null : Number(cause.message);
}

/** One exec of `argv` in the agent container, its stdin held open until close. */
function openExec(exec: Exec, o: AgentShellOptions, argv: readonly string[]): WorkerChannel {
	const stdin = new PassThrough();
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let socket: {close(): void} | null = null;
	let closedEarly = false;
	const closed = new Promise<ChannelEnd>(resolve => {
		let status: V1Status | null = null;
		exec
			.exec(o.namespace, o.pod, AGENT_CONTAINER, [...argv], stdout, stderr, stdin, false, s => (status = s))
			.then(ws => {
				socket = ws;
				if (closedEarly) ws.close();
				ws.on('close', () => {
					const s = status as V1Status | null;
					const code = s ? exitCodeOf(s) : null;
					if (s) resolve({exitCode: code, signal: null, failure: code !== null ? null : (s.message ?? 'the exec failed')});
					else resolve({exitCode: null, signal: 'SIGKILL', failure: closedEarly ? null : 'the exec stream closed without a status'});
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
}

/** A capture's exec: lines or bytes to the caller, signals to the watchdog as lines on stdin. */
function streamExec(channel: WorkerChannel, options: StreamOptions): StreamHandle {
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
}

export function createAgentShell(o: AgentShellOptions): RemoteShell {
	const exec = new Exec(o.kube.kc);
	const via = `kubectl exec -n ${o.namespace} ${o.pod} --`;
	const transport: RemoteTransport = {
		access: {kind: 'agent', target: `${o.namespace}/${o.pod}`},
		via,
		connect: () => Promise.resolve({ok: true, value: undefined}),
		open: argv => openExec(exec, o, argv),
		stream: (argv, options) => streamExec(openExec(exec, o, argv), options),
		transportFailure: result => (result.failure === null ? null : {reason: result.failure, hint: `check the agent pod: kubectl get pod -n ${o.namespace} ${o.pod}; try by hand: ${via} true`}),
		close: () => undefined,
	};
	const shell = createRemoteShell(transport, {heartbeat: heartbeatPath(o.pod)});

	let lastAsked = performance.now();
	const keepaliveMs = ((o.idleSeconds ?? AGENT_IDLE_SECONDS) * 1000) / 3;
	// Unref'd: the keepalive never holds a `dump` open; after a SIGKILL it is gone with us, and the pod ends.
	const keepalive = setInterval(() => {
		if (performance.now() - lastAsked >= keepaliveMs) void run(['true'], {timeoutMs: keepaliveMs});
	}, keepaliveMs / 2);
	keepalive.unref();
	const run: RemoteShell['run'] = (argv, options) => {
		lastAsked = performance.now();
		return shell.run(argv, options);
	};

	return {
		...shell,
		run,
		close() {
			clearInterval(keepalive);
			shell.close();
		},
	};
}
