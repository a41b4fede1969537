// containerd / cri-o through their CRI socket, with no process spawned: ListPodSandbox and
// ListContainers, then PodSandboxStatus (verbose: pid, netns) for each ready sandbox and
// ContainerStatus (verbose: pid, cgroup) for each container, all on one HTTP/2 connection.
// The socket is ours to open when the shell shares our filesystem (local node, the lab); a remote
// node's is forwarded through the shell when it can open one (see cri-forward.ts).
import type {Result} from '../../core/types.js';
import type {NodeShell} from '../node-shell.js';
import {connectCri, type CriClient, type CriMessage} from './cri-client.js';
import {forwardUnixSocket, type UnixSocketOpener} from './cri-forward.js';
import {criRecords} from './cri-records.js';
import type {RuntimeOutcome} from './runtime-outcome.js';

/** containerd's, k3s's containerd's, cri-o's: the first that exists is used. */
export const DEFAULT_CRI_SOCKETS = ['/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock', '/var/run/crio/crio.sock'] as const;

export interface CriRuntimeOptions {
	/** --cri-socket: only this one. Absent: DEFAULT_CRI_SOCKETS in turn. */
	socket?: string | undefined;
	/** A poll loop's memory of the status calls, so only what is new or changed is asked again. */
	cache?: CriStatusCache | undefined;
}

/**
 * id → the state it was listed in and its verbose status. While a sandbox or container stays in one
 * state, its pid, netns, cgroup and start time do not change; containerd's verbose status is the
 * costly call (about 2 ms each here), so a steady node costs the two list calls alone.
 */
export interface CriStatusCache {
	sandboxes: Map<string, {state: unknown; response: CriMessage}>;
	containers: Map<string, {state: unknown; response: CriMessage}>;
}

export function createCriStatusCache(): CriStatusCache {
	return {sandboxes: new Map(), containers: new Map()};
}

export async function criRuntime(shell: NodeShell & UnixSocketOpener, o: CriRuntimeOptions = {}): Promise<RuntimeOutcome> {
	const sockets = o.socket === undefined ? DEFAULT_CRI_SOCKETS : [o.socket];
	const reasons: string[] = [];
	for (const socket of sockets) {
		const client = await open(shell, socket);
		if (client === null) continue;
		if (!client.ok) {
			// A default that is not there is no news; one that is there and fails, or a named one, is.
			if (o.socket !== undefined || !client.reason.startsWith('no CRI socket')) reasons.push(client.reason);
			continue;
		}

		try {
			return await readRecords(client.value, o.cache ?? createCriStatusCache());
		} finally {
			client.value.close();
		}
	}

	if (reasons.length > 0) return {status: 'failed', reason: reasons.join('; '), processes: 0};
	return {status: 'absent', processes: 0};
}

/** Null: this shell cannot reach a socket on its node at all. */
async function open(shell: NodeShell & UnixSocketOpener, socket: string): Promise<Result<CriClient> | null> {
	if (shell.sharesProcfs) return connectCri(socket);
	if (shell.openUnixSocket === undefined) return null;
	const forwarded = await forwardUnixSocket(shell.openUnixSocket.bind(shell), socket);
	if (!forwarded.ok) return forwarded;
	const client = await connectCri(socket, {checkPath: false, target: `unix://${forwarded.value.localPath}`});
	if (!client.ok) {
		forwarded.value.close();
		return client;
	}

	return {ok: true, value: {...client.value, close: () => (client.value.close(), forwarded.value.close())}};
}

type Listed = Array<Record<string, unknown>>;

async function readRecords(client: CriClient, cache: CriStatusCache): Promise<RuntimeOutcome> {
	const [sandboxes, containers] = await Promise.all([client.call('ListPodSandbox', {}), client.call('ListContainers', {})]);
	if (!sandboxes.ok) return {status: 'failed', reason: sandboxes.reason, processes: 0};
	const listed = containers.ok ? containers.value : {containers: []};
	const ready = ((sandboxes.value['items'] as Listed | undefined) ?? []).filter(item => item['state'] === 'SANDBOX_READY');
	const all = (listed['containers'] as Listed | undefined) ?? [];
	const [sandboxStatus, containerStatus] = await Promise.all([
		statuses(client, 'PodSandboxStatus', 'podSandboxId', ready, cache.sandboxes),
		statuses(client, 'ContainerStatus', 'containerId', all, cache.containers),
	]);
	const records = criRecords({sandboxes: sandboxes.value, containers: listed, sandboxStatus, containerStatus});
	return {status: 'found', kind: 'cri', runtime: client.version.runtimeName || 'cri', records, processes: 0};
}

/** Verbose status of each listed item, from the cache while its state holds; the cache keeps only what is listed now. */
async function statuses(client: CriClient, method: 'PodSandboxStatus' | 'ContainerStatus', key: string, items: Listed, cache: CriStatusCache['sandboxes']): Promise<Map<string, CriMessage>> {
	const out = new Map<string, CriMessage>();
	await Promise.all(
		items.map(async item => {
			const id = String(item['id']);
			const known = cache.get(id);
			if (known !== undefined && known.state === item['state']) {
				out.set(id, known.response);
				return;
			}

			const r = await client.call(method, {[key]: id, verbose: true});
			// A sandbox or container removed between the list and its status just drops out.
			if (!r.ok) return;
			out.set(id, r.value);
			cache.set(id, {state: item['state'], response: r.value});
		}),
	);
	for (const id of cache.keys()) if (!out.has(id)) cache.delete(id);
	return out;
}
