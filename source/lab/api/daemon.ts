// The lab's API daemons, run by re-invoking our CLI (`lab __api-server`, `lab __api-forward`) so
// they outlive `lab up` until `lab down` sends SIGTERM.
import {createConnection, createServer, type Socket} from 'node:net';
import {rename, rm, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {API_FORWARD_RUNNING_TITLE, API_SERVER_RUNNING_TITLE} from '../lab-api-daemons.js';
import {type LabApiServer, startLabApiServer} from './server.js';

export interface ApiDaemonInfo {
	pid: number;
	port: number;
	apiServer: string;
	kubeconfig: string;
	/** Admin routes, plain HTTP. */
	socket: string;
	/** The forwarder's way in: TLS only. */
	tlsSocket: string;
}

function untilSignal(): Promise<NodeJS.Signals> {
	return new Promise(resolve => {
		const stop = (s: NodeJS.Signals) => resolve(s);
		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
		process.once('SIGHUP', stop);
	});
}

/**
 * `k8snet-tui lab __api-server --state F [--api-port P]`: serves F's pods until SIGTERM; writes
 * <dir>/api.json when ready.
 */
export async function runApiServerDaemon(stateFile: string, port?: number): Promise<number> {
	process.title = API_SERVER_RUNNING_TITLE;
	const dir = dirname(stateFile);
	const stopped = untilSignal();
	let server: LabApiServer;
	try {
		server = await startLabApiServer({stateFile, dir, port});
	} catch (error) {
		console.error(`k8snet-lab-api: cannot start: ${error instanceof Error ? error.message : String(error)}`);
		return 1;
	}

	const infoFile = join(dir, 'api.json');
	const info: ApiDaemonInfo = {pid: process.pid, port: server.port, apiServer: server.url, kubeconfig: server.kubeconfigPath, socket: server.socket, tlsSocket: server.tlsSocket};
	await writeFile(`${infoFile}.tmp`, JSON.stringify(info, null, 2) + '\n', {mode: 0o600});
	await rename(`${infoFile}.tmp`, infoFile);
	await stopped;
	await server.close();
	await rm(infoFile, {force: true});
	return 0;
}

function pipeBoth(a: Socket, b: Socket): void {
	const end = () => {
		a.destroy();
		b.destroy();
	};

	a.on('error', end);
	b.on('error', end);
	a.on('close', end);
	b.on('close', end);
	a.pipe(b);
	b.pipe(a);
}

/**
 * `k8snet-tui lab __api-forward --api-port P --socket S`: listens on 127.0.0.1:P in the netns it was
 * started in and pipes each connection, bytes unchanged (so TLS, with the same kubeconfig), to the
 * API daemon's socket. Unix sockets live in the filesystem, so the node namespace reaches it.
 */
export async function runApiForwarder(opts: {port: number; socket: string}): Promise<number> {
	process.title = API_FORWARD_RUNNING_TITLE;
	const stopped = untilSignal();
	const open = new Set<Socket>();
	const server = createServer(client => {
		open.add(client);
		client.once('close', () => open.delete(client));
		pipeBoth(client, createConnection(opts.socket));
	});
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(opts.port, '127.0.0.1', resolve);
		});
	} catch (error) {
		console.error(`k8snet-lab-api-fwd: cannot listen on 127.0.0.1:${opts.port}: ${error instanceof Error ? error.message : String(error)}`);
		return 1;
	}

	console.log(JSON.stringify({pid: process.pid, listen: `127.0.0.1:${opts.port}`, socket: opts.socket}));
	await stopped;
	await new Promise<void>(resolve => {
		server.close(() => resolve());
		for (const c of open) c.destroy();
	});
	return 0;
}
