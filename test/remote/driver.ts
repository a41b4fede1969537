// Runs in the lab's world netns (the "dev box") for the remote tests and the bench: reaches the lab
// node the way the tool does (reachRemoteNode) and prints JSON lines. Usage: driver.ts '<request JSON>'.
import {readFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {tcpdumpArgv} from '../../source/capture/tcpdump.js';
import {decodeFrame} from '../../source/core/pcap-decode.js';
import {PcapStreamReader} from '../../source/core/pcap-stream.js';
import {reachRemoteNode} from '../../source/node/remote/reach-node.js';
import {createRemoteNodePoller} from '../../source/node/remote/remote-poller.js';

export interface DriverRequest {
	nodeSsh?: string;
	nodeExec?: string;
	node: {name: string; ip: string | null};
	action: 'poll' | 'capture' | 'run' | 'bench' | 'socket';
	/** For 'socket': the node's unix socket to open, and what to send through it. */
	socket?: string;
	send?: string;
	polls?: number;
	/** Pause after each poll but the last, printing {"paused": N}, so a test can act in between. */
	pauseMs?: number;
	argv?: string[];
	iface?: string;
	filter?: string;
	connectTimeoutMs?: number;
}

/** The lab node shares our pid namespace: pids handed out during a poll count the processes it cost (plus any unrelated ones). */
const lastPid = () => Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const request = JSON.parse(process.argv[2] ?? '{}') as DriverRequest;
const started = performance.now();
const reached = await reachRemoteNode({nodeSsh: request.nodeSsh, nodeExec: request.nodeExec, node: request.node, connectTimeoutMs: request.connectTimeoutMs});
const reachMs = performance.now() - started;
if (reached === null || !reached.ok) {
	print({reachMs, ...(reached ?? {ok: false, reason: 'no remote way to the node', hint: ''})});
	process.exit(1);
}

const {shell, needs, warning} = reached.value;
if (request.action === 'socket') {
	const opened = await shell.openUnixSocket(request.socket ?? '');
	if (!opened.ok) print(opened);
	else {
		const socket = opened.value;
		let answer = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			answer += chunk;
		});
		socket.write(request.send ?? '');
		await new Promise(resolve => setTimeout(resolve, 1000));
		socket.destroy();
		print({ok: true, answer});
	}

	shell.close();
} else if (request.action === 'run') {
	print({ok: true, access: shell.access, result: await shell.run(request.argv ?? ['true'])});
	shell.close();
} else if (request.action === 'poll' || request.action === 'bench') {
	const poller = createRemoteNodePoller(shell);
	const stats = [];
	let view = null;
	for (let i = 0; i < (request.polls ?? 2); i++) {
		const before = lastPid();
		const result = await poller.poll();
		if (!result.ok) {
			print({ok: false, reason: result.reason, hint: result.hint});
			process.exit(1);
		}

		view = result.value;
		stats.push({...poller.lastPollStats(), pidsUsed: lastPid() - before});
		if (request.pauseMs && i < (request.polls ?? 2) - 1) {
			print({paused: i + 1});
			await new Promise(resolve => setTimeout(resolve, request.pauseMs));
		}
	}

	// The cost of the way in alone: one `true` on the node, round trip.
	const trueMs: number[] = [];
	for (let i = 0; request.action === 'bench' && i < 21; i++) {
		const before = performance.now();
		await shell.run(['true']);
		trueMs.push(performance.now() - before);
	}

	print({ok: true, access: shell.access, needs, warning, reachMs, stats, trueMs, ...(request.action === 'poll' ? {view} : {namespaces: view?.namespaces.length})});
	// No close() for a poll, as `dump` does not either: a live ssh master must not keep us running.
	if (request.action === 'bench') shell.close();
} else {
	// tcpdump writes pcap: the lines come from our decoder, so the bytes must cross the shell intact.
	const reader = new PcapStreamReader();
	const handle = shell.stream(tcpdumpArgv({iface: request.iface ?? 'bridge', netnsPath: null}, request.filter ?? 'icmp'), {
		onStdoutData: chunk => reader.push(chunk, record => print({line: decodeFrame(reader.header!.linkType, record.data, record.origLen).text})),
		onStderrLine: line => print({stderr: line}),
	});
	print({started: true, access: shell.access});
	const exit = await handle.exited;
	print({exit});
}
