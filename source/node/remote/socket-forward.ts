// A unix socket on a remote node (a CRI socket), carried over one client process: socat (or nc -U)
// on the node joins the socket to the client's stdio. The stream ends when either side closes: when
// we die, the client dies with us, the far socat reads EOF and exits.
import {Duplex} from 'node:stream';
import type {Result} from '../../core/types.js';
import type {WorkerChannel} from './node-worker.js';

const READY = 'k8snet-forward-ready';
const READY_TIMEOUT_MS = 15_000;

/** Run on the node as `sh -c SCRIPT sh PATH`: says which tool joins the socket, or why none can. */
export const FORWARD_SCRIPT = [
	'[ -S "$1" ] || { echo "no socket $1 on the node" >&2; exit 2; }',
	`if command -v socat >/dev/null 2>&1; then echo "${READY} socat" >&2; exec socat - "UNIX-CONNECT:$1"; fi`,
	`if command -v nc >/dev/null 2>&1; then echo "${READY} nc" >&2; exec nc -U "$1"; fi`,
	'echo "neither socat nor nc is installed on the node" >&2; exit 127',
].join('\n');

export function forwardOver(channel: WorkerChannel, path: string, via: string): Promise<Result<Duplex>> {
	return new Promise(resolve => {
		let said = '';
		let settled = false;
		let duplex: Duplex | null = null;
		const finish = (result: Result<Duplex>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			if (!result.ok) channel.close();
			resolve(result);
		};

		const timer = setTimeout(() => finish({ok: false, reason: `no answer from ${via} within ${READY_TIMEOUT_MS / 1000} s while opening ${path}`, hint: `try by hand: ${via} socat - UNIX-CONNECT:${path}`}), READY_TIMEOUT_MS);
		channel.stderr.setEncoding('utf8');
		channel.stderr.on('data', (chunk: string) => {
			said += chunk;
			if (settled) {
				// The tool could not connect after all (EACCES, refused): the socket's user hears why.
				duplex?.destroy(new Error(`${path} on the node: ${said.trim().split('\n').at(-1) ?? ''}`));
				return;
			}

			const complete = said.split('\n').slice(0, -1);
			const line = complete.find(text => text.startsWith(READY));
			if (line === undefined) return;
			said = said.slice(said.indexOf(line) + line.length + 1);
			duplex = Duplex.from({readable: channel.stdout, writable: channel.stdin});
			duplex.once('close', () => channel.close());
			finish({ok: true, value: duplex});
		});
		void channel.closed.then(end => {
			const last = said.trim().split('\n').at(-1) ?? '';
			finish({
				ok: false,
				reason: `cannot open ${path} through ${via}: ${last || end.failure || `the client exited with ${end.exitCode ?? end.signal}`}`,
				hint: /socat nor nc/.test(last) ? 'install socat on the node (apt-get install socat), or crictl' : 'is the runtime running on that node, and is this the socket it listens on?',
			});
		});
	});
}
