// What each pod network namespace holds, probed once and kept by inode plus holder (netns name, or
// pid + start time: inode numbers are reused). Both pollers, local and remote, use these rules, so
// they drop and re-probe exactly the same entries.
import {isPeerOf} from '../core/join.js';
import type {Link, NetnsHolder, NetnsProbe, NodeNetSnapshot, NodeView} from '../core/types.js';
import type {ProbeOutcome} from './netns-probe.js';

interface CacheEntry {
	key: string;
	holder: NetnsHolder;
	probe: NetnsProbe | null;
	failure: {reason: string; denied: boolean} | null;
	/** [pod-side ifindex, node-side ifindex] of every veth pair seen when probed. */
	pairs: Array<[number, number]>;
	/**
	 * When the namespace was first probed with a veth pair but no global address (caught between
	 * the CNI plugin's veth and its IPAM); null once it has one.
	 */
	unaddressedSince: number | null;
}

/** Re-probe an unaddressed pair on every poll this long (a CNI ADD takes well under a second)... */
const UNADDRESSED_EVERY_POLL_MS = 10_000;
/** ...then this seldom, so a namespace left that way (a failed ADD) does not cost a process per poll. */
const UNADDRESSED_BACKOFF_MS = 60_000;

function hasGlobalAddress(links: Link[]): boolean {
	return links.some(link => link.addresses.some(address => address.scope !== 'link' && address.scope !== 'host'));
}

/** Due for another probe: every poll at first, then once per backoff period. */
function unaddressedDue(since: number, probedAt: number, now: number): boolean {
	return now - since < UNADDRESSED_EVERY_POLL_MS || now - probedAt >= UNADDRESSED_BACKOFF_MS;
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

function pairsOf(links: Link[], holder: NetnsHolder, snapshot: Omit<NodeNetSnapshot, 'takenAt'>): Array<[number, number]> {
	const byIfindex = new Map(snapshot.links.map(link => [link.ifindex, link]));
	const pairs: Array<[number, number]> = [];
	for (const link of links) {
		const peer = link.linkIndex === null ? undefined : byIfindex.get(link.linkIndex);
		if (peer && isPeerOf(peer, link, holder, snapshot.netnsIds)) pairs.push([link.ifindex, peer.ifindex]);
	}

	return pairs;
}

export interface NetnsCache {
	/** The inodes cached now, probed or failed: a remote probe script skips them. */
	inodes(): number[];
	/** The pids of cached process holders: the only start times a remote probe needs of known namespaces. */
	pids(): number[];
	/** Forget entries whose holder is gone; return one holder per namespace not cached yet. */
	reconcile(byInode: ReadonlyMap<number, NetnsHolder[]>): NetnsHolder[];
	store(holder: NetnsHolder, outcome: ProbeOutcome, snapshot: Omit<NodeNetSnapshot, 'takenAt'>, at: number): void;
	/**
	 * Holders to probe again: a recorded veth pair gone from the node; (when node veths appeared that
	 * no cached namespace accounts for) namespaces probed, before they were wired, earlier than
	 * pollTime; a veth pair probed before IPAM gave it an address.
	 */
	stale(snapshot: NodeNetSnapshot, pollTime: number): NetnsHolder[];
	view(snapshot: NodeNetSnapshot, notRoot: string | null): NodeView;
}

export function createNetnsCache(): NetnsCache {
	const cache = new Map<number, CacheEntry>();
	let lastUnaccounted = '';

	return {
		inodes: () => [...cache.keys()],
		pids: () => [...cache.values()].flatMap(entry => (entry.holder.pid === null ? [] : [entry.holder.pid])),

		reconcile(byInode) {
			for (const [inode, entry] of cache) {
				if (!byInode.get(inode)?.some(holder => holderKey(holder) === entry.key)) cache.delete(inode);
			}

			const fresh: NetnsHolder[] = [];
			for (const [inode, holders] of byInode) if (!cache.has(inode)) fresh.push(preferredHolder(holders));
			return fresh;
		},

		store(holder, outcome, snapshot, at) {
			const key = holderKey(holder);
			const pairs = outcome.ok ? pairsOf(outcome.links, holder, snapshot) : [];
			const before = cache.get(holder.inode);
			const unaddressed = outcome.ok && pairs.length > 0 && !hasGlobalAddress(outcome.links);
			cache.set(holder.inode, {
				key,
				holder,
				probe: outcome.ok ? {holder, links: outcome.links, probedAt: at} : null,
				failure: outcome.ok ? null : {reason: outcome.reason, denied: outcome.denied},
				pairs,
				unaddressedSince: unaddressed ? (before?.key === key ? before.unaddressedSince : null) ?? at : null,
			});
		},

		stale(snapshot, pollTime) {
			const again = new Map<number, NetnsHolder>();
			const byIfindex = new Map(snapshot.links.map(link => [link.ifindex, link]));
			const accounted = new Set<number>();
			for (const entry of cache.values()) {
				for (const [podSide, nodeSide] of entry.pairs) {
					if (byIfindex.get(nodeSide)?.linkIndex === podSide) accounted.add(nodeSide);
					else again.set(entry.holder.inode, entry.holder);
				}
			}

			const unaccounted = snapshot.links
				.filter(link => link.kind === 'veth' && link.linkNetnsid !== null && !accounted.has(link.ifindex))
				.map(link => link.ifindex)
				.join(',');
			if (unaccounted !== '' && unaccounted !== lastUnaccounted) {
				for (const entry of cache.values()) if (entry.probe && entry.pairs.length === 0 && entry.probe.probedAt < pollTime) again.set(entry.holder.inode, entry.holder);
			}

			lastUnaccounted = unaccounted;
			for (const entry of cache.values()) {
				if (entry.probe && entry.unaddressedSince !== null && unaddressedDue(entry.unaddressedSince, entry.probe.probedAt, pollTime)) again.set(entry.holder.inode, entry.holder);
			}

			return [...again.values()];
		},

		view(snapshot, notRoot) {
			const entries = [...cache.values()];
			const namespaces = entries.flatMap(entry => (entry.probe ? [entry.probe] : []));
			const denied = entries.find(entry => entry.failure?.denied);
			const canEnterNetns = notRoot === null && !(denied && namespaces.length === 0);
			return {
				snapshot,
				namespaces,
				canEnterNetns,
				enterDeniedReason: canEnterNetns ? null : (notRoot ?? denied?.failure?.reason ?? 'entering namespaces is not permitted'),
			};
		},
	};
}
