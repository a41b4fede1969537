// One poll = the node's own namespace (two processes) + namespace discovery (filesystem reads on a
// shared /proc) + probe processes only when namespaces appeared (one sh loop; one per core for a
// cold start over many). What a namespace holds is cached by inode plus holder (name, or pid +
// start time: inode numbers are reused), and dropped when the holder is gone or when the veth pair
// it recorded no longer exists on the node.
import {availableParallelism} from 'node:os';
import {performance} from 'node:perf_hooks';
import {isPeerOf} from '../core/join.js';
import type {Link, NetnsHolder, NetnsProbe, NodeNetSnapshot, NodeView, Result} from '../core/types.js';
import {createNetnsDiscovery} from './netns-discovery.js';
import {probeNamespaces, type ProbeOutcome} from './netns-probe.js';
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

interface CacheEntry {
	key: string;
	holder: NetnsHolder;
	probe: NetnsProbe | null;
	failure: {reason: string; denied: boolean} | null;
	/** [pod-side ifindex, node-side ifindex] of every veth pair seen when probed. */
	pairs: Array<[number, number]>;
}

export function holderKey(holder: NetnsHolder): string {
	return holder.name === null ? `pid:${holder.pid}:${holder.pidStart ?? '?'}` : `name:${holder.name}`;
}

/** A named holder outlives any process; among processes, the oldest (lowest pid) is the pause. */
export function preferredHolder(holders: NetnsHolder[]): NetnsHolder {
	return [...holders].sort((a, b) => {
		if ((a.name === null) !== (b.name === null)) return a.name === null ? 1 : -1;
		if (a.name !== null && b.name !== null) return a.name.localeCompare(b.name);
		return (a.pid ?? 0) - (b.pid ?? 0);
	})[0]!;
}

export function pairsOf(links: Link[], holder: NetnsHolder, snapshot: Omit<NodeNetSnapshot, 'takenAt'>): Array<[number, number]> {
	const byIfindex = new Map(snapshot.links.map(link => [link.ifindex, link]));
	const pairs: Array<[number, number]> = [];
	for (const link of links) {
		const peer = link.linkIndex === null ? undefined : byIfindex.get(link.linkIndex);
		if (peer && isPeerOf(peer, link, holder, snapshot.netnsIds)) pairs.push([link.ifindex, peer.ifindex]);
	}

	return pairs;
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
	const cache = new Map<number, CacheEntry>();
	let lastUnaccounted = '';
	let netnsIds: NodeNetSnapshot['netnsIds'];
	let stats: PollStats = {durationMs: 0, processes: 0, newNamespaces: 0};
	const notRoot = notRootReason(shell);

	const store = (holder: NetnsHolder, outcome: ProbeOutcome, snapshot: NodeNetSnapshot, at: number) => {
		cache.set(holder.inode, {
			key: holderKey(holder),
			holder,
			probe: outcome.ok ? {holder, links: outcome.links, probedAt: at} : null,
			failure: outcome.ok ? null : {reason: outcome.reason, denied: outcome.denied},
			pairs: outcome.ok ? pairsOf(outcome.links, holder, snapshot) : [],
		});
	};

	return {
		lastPollStats: () => stats,
		async poll() {
			const started = performance.now();
			const pollTime = Date.now();
			let processes = 0;
			const discovered = await discovery.discover();
			processes += discovered.processes;

			for (const [inode, entry] of cache) {
				const holders = discovered.byInode.get(inode);
				if (!holders?.some(holder => holderKey(holder) === entry.key)) cache.delete(inode);
			}

			const fresh: NetnsHolder[] = [];
			for (const [inode, holders] of discovered.byInode) if (!cache.has(inode)) fresh.push(preferredHolder(holders));

			// The nsid table only changes when namespaces come or go.
			const snapshotting = readNodeSnapshot(shell, {netnsIds: netnsIds === undefined || fresh.length > 0});
			processes += 2;
			const probing = probeNamespaces(shell, notRoot ? [] : fresh.map(h => h.path), {loops: probeLoops});
			const [snapshotResult, {outcomes, processes: probes}] = await Promise.all([snapshotting, probing]);
			processes += probes;
			if (!snapshotResult.ok) return snapshotResult;
			netnsIds = snapshotResult.value.netnsIds ?? netnsIds;
			const snapshot = {...snapshotResult.value, netnsIds};
			for (const holder of fresh) {
				const outcome = notRoot ? {ok: false as const, reason: notRoot, denied: true} : outcomes.get(holder.path);
				if (outcome) store(holder, outcome, snapshot, pollTime);
			}

			// Re-probe what went stale: a recorded pair that no longer exists on the node, or (when node
			// veths appeared that no cached namespace accounts for) namespaces probed before they were wired.
			const stale = new Set<CacheEntry>();
			const byIfindex = new Map(snapshot.links.map(link => [link.ifindex, link]));
			const accounted = new Set<number>();
			for (const entry of cache.values()) {
				for (const [podSide, nodeSide] of entry.pairs) {
					if (byIfindex.get(nodeSide)?.linkIndex === podSide) accounted.add(nodeSide);
					else stale.add(entry);
				}
			}

			const unaccounted = snapshot.links
				.filter(link => link.kind === 'veth' && link.linkNetnsid !== null && !accounted.has(link.ifindex))
				.map(link => link.ifindex)
				.join(',');
			if (unaccounted !== '' && unaccounted !== lastUnaccounted) {
				for (const entry of cache.values()) if (entry.probe && entry.pairs.length === 0 && entry.probe.probedAt < pollTime) stale.add(entry);
			}

			lastUnaccounted = unaccounted;
			if (stale.size > 0 && !notRoot) {
				const holders = [...stale].map(entry => entry.holder);
				const {outcomes: again, processes: probes} = await probeNamespaces(shell, holders.map(h => h.path), {loops: probeLoops});
				processes += probes;
				for (const holder of holders) {
					const outcome = again.get(holder.path);
					if (outcome) store(holder, outcome, snapshot, Date.now());
				}
			}

			const entries = [...cache.values()];
			const namespaces = entries.flatMap(entry => (entry.probe ? [entry.probe] : []));
			const denied = entries.find(entry => entry.failure?.denied);
			const canEnterNetns = notRoot === null && !(denied && namespaces.length === 0);
			stats = {durationMs: performance.now() - started, processes, newNamespaces: fresh.length};
			return {
				ok: true,
				value: {
					snapshot,
					namespaces,
					canEnterNetns,
					enterDeniedReason: canEnterNetns ? null : (notRoot ?? denied?.failure?.reason ?? 'entering namespaces is not permitted'),
				},
			};
		},
	};
}
