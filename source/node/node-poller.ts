// One poll = the node's own namespace (two processes) + namespace discovery (filesystem reads on a
// shared /proc) + probe processes only when namespaces appeared (one sh loop; one per core for a
// cold start over many). What a namespace holds is cached by inode plus holder (name, or pid +
// start time: inode numbers are reused), and dropped when the holder is gone or when the veth pair
// it recorded no longer exists on the node.
import {availableParallelism} from 'node:os';
import {performance} from 'node:perf_hooks';
import type {NodeNetSnapshot, NodeView, Result} from '../core/types.js';
import {createNetnsCache} from './netns-cache.js';
import {createNetnsDiscovery} from './netns-discovery.js';
import {probeNamespaces} from './netns-probe.js';
import type {NodeShell} from './node-shell.js';
import {readNodeSnapshot} from './node-snapshot.js';

export interface PollStats {
	durationMs: number;
	processes: number;
	newNamespaces: number;
}

export interface NodePoller {
	poll(): Promise<Result<NodeView>>;
	lastPollStats(): PollStats;
}

function notRootReason(shell: NodeShell): string | null {
	const uid = process.geteuid?.();
	if (shell.access.kind !== 'local' || uid === undefined || uid === 0) return null;
	return `running as uid ${uid}, not root: entering other network namespaces needs CAP_SYS_ADMIN`;
}

export function createNodePoller(shell: NodeShell): NodePoller {
	// Probing is local CPU work only when the node is this machine.
	const probeLoops = shell.sharesProcfs ? availableParallelism() : 1;
	const discovery = createNetnsDiscovery(shell);
	const cache = createNetnsCache();
	let netnsIds: NodeNetSnapshot['netnsIds'];
	let stats: PollStats = {durationMs: 0, processes: 0, newNamespaces: 0};
	const notRoot = notRootReason(shell);

	return {
		lastPollStats: () => stats,
		async poll() {
			const started = performance.now();
			const pollTime = Date.now();
			let processes = 0;
			const discovered = await discovery.discover();
			processes += discovered.processes;

			const fresh = cache.reconcile(discovered.byInode);

			// The nsid table only changes when namespaces come or go.
			const snapshotting = readNodeSnapshot(shell, {netnsIds: netnsIds === undefined || fresh.length > 0});
			processes += 2;
			const probing = probeNamespaces(shell, notRoot ? [] : fresh, {loops: probeLoops});
			const [snapshotResult, {outcomes, processes: probes}] = await Promise.all([snapshotting, probing]);
			processes += probes;
			if (!snapshotResult.ok) return snapshotResult;
			netnsIds = snapshotResult.value.netnsIds ?? netnsIds;
			const snapshot = {...snapshotResult.value, netnsIds};
			// A holder with no outcome led to another inode when probed: it comes back as fresh next poll.
			for (const holder of fresh) {
				const outcome = notRoot ? {ok: false as const, reason: notRoot, denied: true} : outcomes.get(holder.path);
				if (outcome) cache.store(holder, outcome, snapshot, pollTime);
			}

			// Re-probe what went stale: a recorded pair that no longer exists on the node, or (when node
			// veths appeared that no cached namespace accounts for) namespaces probed before they were wired.
			const stale = cache.stale(snapshot, pollTime);
			if (stale.length > 0 && !notRoot) {
				const {outcomes: again, processes: probes} = await probeNamespaces(shell, stale, {loops: probeLoops});
				processes += probes;
				for (const holder of stale) {
					const outcome = again.get(holder.path);
					if (outcome) cache.store(holder, outcome, snapshot, Date.now());
				}
			}

			stats = {durationMs: performance.now() - started, processes, newNamespaces: fresh.length};
			return {ok: true, value: cache.view(snapshot, notRoot)};
		},
	};
}
