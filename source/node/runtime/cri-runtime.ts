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
			return await readRecords(client.value);
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

async function readRecords(client: CriClient): Promise<RuntimeOutcome> {
	const [sandboxes, containers] = await Promise.all([client.call('ListPodSandbox', {}), client.call('ListContainers', {})]);
	if (!sandboxes.ok) return {status: 'failed', reason: sandboxes.reason, processes: 0};
	const ids = (message: CriMessage, list: string, keep: (item: Record<string, unknown>) => boolean): string[] =>
		((message[list] as Array<Record<string, unknown>> | undefined) ?? []).filter(keep).map(item => String(item['id']));
	const ready = ids(sandboxes.value, 'items', item => item['state'] === 'SANDBOX_READY');
	const listed = containers.ok ? containers.value : {containers: []};
	const all = ids(listed, 'containers', () => true);
	// A sandbox or container removed between the list and its status just drops out.
	const statuses = async (method: 'PodSandboxStatus' | 'ContainerStatus', key: string, list: string[]) =>
		new Map(
			(await Promise.all(list.map(async id => [id, await client.call(method, {[key]: id, verbose: true})] as const)))
				.flatMap(([id, r]) => (r.ok ? [[id, r.value] as const] : [])),
		);
	const [sandboxStatus, containerStatus] = await Promise.all([
		statuses('PodSandboxStatus', 'podSandboxId', ready),
		statuses('ContainerStatus', 'containerId', all),
	]);
	const records = criRecords({sandboxes: sandboxes.value, containers: listed, sandboxStatus, containerStatus});
	return {status: 'found', kind: 'cri', runtime: client.version.runtimeName || 'cri', records, processes: 0};
}
