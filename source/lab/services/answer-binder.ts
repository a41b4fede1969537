// Opens a pod's answering ports inside the pod's netns and hands them to the answer daemon: Node
// cannot setns, but a socket keeps the netns it was made in, and Node's IPC channel passes a
// listening net.Server or a bound dgram.Socket as a file descriptor (SCM_RIGHTS). So a short-lived
// `nsenter --net=<pod netns> -- node -e BIND_SCRIPT` binds, sends and exits, and the one daemon per
// node serves every pod. The script is plain CommonJS run by `node -e` (75 ms to start, where this
// CLI under tsx takes a second): it is a constant, and nothing from the cluster reaches it.
import type {Socket as UdpSocket} from 'node:dgram';
import type {Server} from 'node:net';
import {startWithChannel} from '../../node/child-process.js';

/** The ports every lab pod answers on, TCP and UDP each. */
export const ANSWER_PORTS = [80, 81] as const;

const BIND_SCRIPT = `
const net = require('node:net'), dgram = require('node:dgram');
const send = (m, h) => new Promise((ok, no) => process.send(m, h, (e) => (e ? no(e) : ok())));
const opened = (s, listen) => new Promise((ok, no) => { s.once('error', no); listen(ok); });
setTimeout(() => process.exit(2), 8000).unref();
(async () => {
	for (const port of ${JSON.stringify(ANSWER_PORTS)}) {
		const tcp = net.createServer();
		await opened(tcp, (ok) => tcp.listen({port, host: '0.0.0.0'}, ok));
		await send({proto: 'tcp', port}, tcp);
		const udp = dgram.createSocket('udp4');
		await opened(udp, (ok) => udp.bind(port, '0.0.0.0', ok));
		await send({proto: 'udp', port}, udp);
	}
	process.send({done: true}, () => process.exit(0));
})().catch((e) => process.send({error: String(e && e.message || e)}, () => process.exit(1)));
`;

export interface PodSockets {
	tcp: Server[];
	udp: UdpSocket[];
}

const BIND_TIMEOUT_MS = 10_000;

/** The pod's sockets, opened in `netnsPath`, or why not. */
export function bindInNetns(netnsPath: string): Promise<{ok: true; value: PodSockets} | {ok: false; reason: string}> {
	return new Promise((resolve) => {
		const child = startWithChannel(['nsenter', `--net=${netnsPath}`, '--', process.execPath, '-e', BIND_SCRIPT], BIND_TIMEOUT_MS);
		const sockets: PodSockets = {tcp: [], udp: []};
		let stderr = '';
		let settled = false;
		const finish = (r: {ok: true; value: PodSockets} | {ok: false; reason: string}) => {
			if (settled) return;
			settled = true;
			if (!r.ok) close(sockets);
			resolve(r);
		};

		child.stderr?.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
		child.on('message', (m: {proto?: string; done?: boolean; error?: string}, handle: unknown) => {
			if (m.proto === 'tcp') sockets.tcp.push(handle as Server);
			else if (m.proto === 'udp') sockets.udp.push(handle as UdpSocket);
			else if (m.done) finish({ok: true, value: sockets});
			else if (m.error) finish({ok: false, reason: m.error});
		});
		child.on('error', (e) => finish({ok: false, reason: e.message}));
		// 'close', not 'exit': the child sends "done" and exits at once, and 'exit' can come before
		// the channel's last message has been read (1 pod in 110 under load).
		child.on('close', (code) => finish({ok: false, reason: `the binder exited (${code ?? 'signal'}) before it sent every port${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}`}));
	});
}

export function close(s: PodSockets): void {
	for (const t of s.tcp) t.close();
	for (const u of s.udp) {
		try {
			u.close();
		} catch {
			// Closed already.
		}
	}
}
