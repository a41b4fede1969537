// A remote node's CRI socket, reached through its shell: a unix socket of ours (in a private
// folder) whose every connection is piped to a stream the shell opens to the node's socket (ssh's
// unix-socket forwarding, or `socat`/`nc -U` through exec). grpc-js then dials the local one.
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Duplex} from 'node:stream';
import type {Result} from '../../core/types.js';

/** What a NodeShell offers when it can open a unix socket on its node. */
export interface UnixSocketOpener {
	openUnixSocket?(path: string): Promise<Result<Duplex>>;
}

export interface ForwardedSocket {
	localPath: string;
	close(): void;
}

/**
 * The first stream is opened before anything listens, so a socket missing on the node is its one
 * line here, not a vague dropped connection inside grpc-js later.
 */
export async function forwardUnixSocket(open: (path: string) => Promise<Result<Duplex>>, remotePath: string): Promise<Result<ForwardedSocket>> {
	const first = await open(remotePath);
	if (!first.ok) return first;
	const dir = await mkdtemp(join(tmpdir(), 'k8snet-cri-'));
	const localPath = join(dir, 'cri.sock');
	let spare: Duplex | null = first.value;
	const server = createServer((local: Socket) => {
		const stream = spare;
		spare = null;
		void (stream === null ? open(remotePath) : Promise.resolve({ok: true as const, value: stream})).then(remote => {
			if (!remote.ok) {
				local.destroy();
				return;
			}

			local.pipe(remote.value).pipe(local);
			local.on('close', () => remote.value.destroy());
			remote.value.on('close', () => local.destroy());
			remote.value.on('error', () => local.destroy());
			local.on('error', () => remote.value.destroy());
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(localPath, resolve);
	});
	return {
		ok: true,
		value: {
			localPath,
			close() {
				spare?.destroy();
				server.close();
				void rm(dir, {recursive: true, force: true});
			},
		},
	};
}
