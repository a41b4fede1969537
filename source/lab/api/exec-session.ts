// One exec: the command in the pod's network namespace (nsenter --net only: host PID and host
// mounts, as the agent's hostPID pod with /run/netns mounted has), its pipes relayed over the
// websocket's channels. A tty comes from util-linux `script`, whose pty the resize channel sets
// with `stty -F`. The command is an argv array throughout; for `script`, which takes one string,
// each argument is quoted on its own. The process dies with the socket, and with the daemon.
import {readFileSync, readlinkSync} from 'node:fs';
import type {WebSocket} from 'ws';
import {quoteCommand} from '../../core/shell-quote.js';
import {type ByteChannel, runProcess, spawnChannel} from '../../node/child-process.js';
import {CLOSE, type ExecRequest, RESIZE, STATUS, STDERR, STDIN, STDOUT, exitStatus, frame, parseResize} from './exec-protocol.js';

const ENV = {PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', SHELL: '/bin/sh'};

/** How long a tty exec waits for the client's first size before it starts with none. */
const FIRST_SIZE_MS = 1000;

function execArgv(r: ExecRequest, netnsPath: string, size: {cols: number; rows: number} | null): string[] {
	const inPod = ['nsenter', `--net=${netnsPath}`, '--', ...r.command];
	// The first size is set before the command starts, so it never sees a 0x0 terminal.
	const sized = size ? `stty rows ${size.rows} cols ${size.cols}; exec ${quoteCommand(inPod)}` : `exec ${quoteCommand(inPod)}`;
	const pty = r.tty ? ['script', '--quiet', '--return', '--flush', '--echo', 'always', '--command', sized, '/dev/null'] : inPod;
	// --pdeathsig: an exec outlives neither its socket nor the daemon, even a SIGKILLed one.
	return ['setpriv', '--pdeathsig', 'KILL', '--', ...pty];
}

/** The pty `script` gave its child: the child's stdin. Null until the child exists. */
function ptyOf(scriptPid: number): string | null {
	try {
		const child = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').trim().split(/\s+/)[0];
		if (!child) return null;
		const tty = readlinkSync(`/proc/${child}/fd/0`);
		return tty.startsWith('/dev/pts/') ? tty : null;
	} catch {
		return null;
	}
}

/** Relays one exec; a tty exec starts once the client has sent its size (or after FIRST_SIZE_MS). */
export function runExecSession(ws: WebSocket, r: ExecRequest, netnsPath: string): void {
	let channel: ByteChannel | null = null;
	let size: {cols: number; rows: number} | null = null;
	const early: Buffer[] = [];
	let stdinClosed = false;
	let gone = false;
	const send = (ch: number, data: Buffer) => {
		if (ws.readyState === ws.OPEN) ws.send(frame(ch, data));
	};

	const start = () => {
		if (channel || gone) return;
		clearTimeout(waiting);
		const c = spawnChannel(execArgv(r, netnsPath, size), {env: r.tty ? {...ENV, TERM: 'xterm'} : ENV});
		channel = c;
		if (r.stdout || r.tty) c.stdout.on('data', (d: Buffer) => send(STDOUT, d));
		else c.stdout.resume();
		if (r.stderr) c.stderr.on('data', (d: Buffer) => send(STDERR, d));
		else c.stderr.resume();
		for (const d of early) c.stdin.write(d);
		if (!r.stdin || stdinClosed) c.stdin.end();
		void c.closed.then(({exitCode, failure}) => {
			if (ws.readyState !== ws.OPEN) return;
			send(STATUS, Buffer.from(exitStatus(r.command, exitCode, failure)));
			ws.close(1000);
		});
	};

	let resizing = false;
	const applySize = async () => {
		const pid = channel?.pid;
		if (resizing || pid === undefined) return;
		resizing = true;
		for (let tries = 0; size && tries < 40; tries++) {
			const tty = ptyOf(pid);
			if (tty) {
				const want = size;
				await runProcess(['stty', '-F', tty, 'rows', String(want.rows), 'cols', String(want.cols)], {timeoutMs: 2000});
				if (size === want) break;
				continue;
			}

			await new Promise(resolve => setTimeout(resolve, 25));
		}

		resizing = false;
	};

	ws.on('message', (data: Buffer, isBinary: boolean) => {
		if (!isBinary || data.length === 0) return;
		const ch = data[0];
		const rest = data.subarray(1);
		if (ch === STDIN && r.stdin) {
			if (channel) channel.stdin.write(rest);
			else early.push(Buffer.from(rest));
		} else if (ch === RESIZE && r.tty) {
			size = parseResize(rest) ?? size;
			if (channel) void applySize();
			else start();
		} else if (ch === CLOSE && rest[0] === STDIN) {
			stdinClosed = true;
			channel?.stdin.end();
		}
	});
	const end = () => {
		gone = true;
		clearTimeout(waiting);
		channel?.close();
	};

	ws.on('close', end);
	ws.on('error', end);
	const waiting = setTimeout(start, r.tty ? FIRST_SIZE_MS : 0);
}
