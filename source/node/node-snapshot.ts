// One poll of the node's own namespace in exactly two processes, whatever the pod count:
// `ip -batch` for links+addresses+stats, routes (v4 and v6), neighbours and (when namespaces
// changed) the nsid → name table, and `bridge fdb`.
// `addr show` comes first in the batch: after a `link show` it would lose addr_info.
import type {NodeNetSnapshot, Result} from '../core/types.js';
import {parseFdb, parseJsonArray, parseLinks, parseNeighbours, parseNetnsIds, parseRoutes} from './ip-json.js';
import type {NodeShell, RunResult} from './node-shell.js';

/**
 * Each command prints one JSON array on one line (an empty table too). `root ::/0` gives v6 routes
 * inside a batch (-6 does not). Only unicast routes: local/broadcast/multicast ones never lead to a pod.
 */
export const NODE_BATCH = ['addr show', 'route show table all root 0.0.0.0/0 type unicast', 'route show table all root ::/0 type unicast', 'neigh show'];
/**
 * nsid → /run/netns name. It opens every /run/netns entry (about 50 ms with 60 of them here), and
 * the answer only changes when namespaces come or go: the poller asks for it only then.
 */
export const NETNS_IDS = 'netns list-id';
export const NODE_BATCH_ARGV = ['ip', '-j', '-d', '-s', '-batch', '-'];
export const FDB_ARGV = ['bridge', '-j', 'fdb', 'show'];

// One spawn from Node (forking our large process costs more than either command): sh runs bridge,
// then execs into ip, so the node still sees exactly two processes. A marker line separates them.
const SNAPSHOT_SCRIPT = `bridge -j fdb show 2>/dev/null; echo; echo @@ip; exec ${NODE_BATCH_ARGV.join(' ')}`;

export async function readNodeSnapshot(shell: NodeShell, options: {netnsIds?: boolean; timeoutMs?: number} = {}): Promise<Result<NodeNetSnapshot>> {
	const commands = options.netnsIds === false ? NODE_BATCH : [...NODE_BATCH, NETNS_IDS];
	const result = await shell.run(['sh', '-c', SNAPSHOT_SCRIPT], {input: `${commands.join('\n')}\n`, timeoutMs: options.timeoutMs ?? 10_000});
	const failed = commandFailure('ip -batch', result);
	if (failed) return failed;
	const marker = result.stdout.indexOf('\n@@ip\n');
	if (marker === -1) return {ok: false, reason: 'the node snapshot printed no ip output', hint: 'the node needs sh and iproute2 (ip, bridge)'};
	const parsed = parseNodeBatch(result.stdout.slice(marker + 6), result.stdout.slice(0, marker));
	if (!parsed.ok) return parsed;
	return {ok: true, value: {...parsed.value, takenAt: Date.now()}};
}

/**
 * Splits the batch output back into its answers (four, or five with the nsid table, which is then
 * `netnsIds`; without it `netnsIds` is left out); also used on recorded fixtures.
 */
export function parseNodeBatch(batchStdout: string, fdbStdout: string): Result<Omit<NodeNetSnapshot, 'takenAt'>> {
	const lines = batchStdout.split('\n').filter(line => line.trim() !== '');
	const arrays = lines.map(parseJsonArray);
	const [addr, routes4, routes6, neigh, nsids] = arrays;
	const complete = arrays.length === NODE_BATCH.length || (arrays.length === NODE_BATCH.length + 1 && nsids);
	if (!complete || !addr || !routes4 || !routes6 || !neigh) {
		return {
			ok: false,
			reason: `ip -batch printed ${lines.length} JSON lines, expected ${NODE_BATCH.length} or ${NODE_BATCH.length + 1}`,
			hint: 'this needs iproute2 with JSON output (ip -j, iproute2 4.14 or later)',
		};
	}

	return {
		ok: true,
		value: {
			links: parseLinks(addr),
			routes: [...parseRoutes(routes4, 'inet'), ...parseRoutes(routes6, 'inet6')],
			neighbours: parseNeighbours(neigh),
			fdb: parseFdb(parseJsonArray(fdbStdout.trim() || '[]') ?? []),
			...(nsids ? {netnsIds: parseNetnsIds(nsids)} : {}),
		},
	};
}

function commandFailure(what: string, result: RunResult): {ok: false; reason: string; hint: string} | null {
	if (result.failure) return {ok: false, reason: result.failure, hint: 'the node needs iproute2 (ip, bridge)'};
	if (result.exitCode !== 0) {
		const first = result.stderr.trim().split('\n')[0] ?? '';
		const denied = /Operation not permitted|Permission denied/.test(result.stderr);
		return {
			ok: false,
			reason: `${what} failed (exit ${result.exitCode}): ${first}`,
			hint: denied ? 'reaching this node needs root: run with sudo' : 'check that iproute2 is installed and the node is reachable',
		};
	}

	return null;
}
