// The node poller for nodes behind docker exec or ssh: same result and cache rules as
// createNodePoller (node-poller.ts), but a poll is one round trip: the probe script reports the
// node, discovers every namespace and probes the ones we have not seen, all in one exec. A second
// trip happens only when the cache must re-probe a namespace it already knew (a stale veth pair,
// a namespace probed before its veth existed, an inode reused by another holder).
import {performance} from 'node:perf_hooks';
import type {NetnsHolder, NetnsProbe, NodeNetSnapshot, NodeView, Result} from '../../core/types.js';
import {parseProbeOutput, type ProbeOutcome} from '../netns-probe.js';
import {holderKey, pairsOf, preferredHolder, type NodePoller, type PollStats} from '../node-poller.js';
import {describeNeeds, type NodeNeeds} from './node-needs.js';
import {namespaceLoopArgv, parseProbeTrip, probeScriptArgv} from './probe-script.js';
import type {RemoteShell} from './remote-shell.js';

export interface RemotePollStats extends PollStats {
	/** Execs on the node this poll (1 in steady state); `processes` counts the same local clients. */
	roundTrips: number;
}

export interface RemoteNodePoller extends NodePoller {
	lastPollStats(): RemotePollStats;
	/** What the node has, once the first poll has connected. */
	needs(): NodeNeeds | null;
}

interface CacheEntry {
	key: string;
	holder: NetnsHolder;
	probe: NetnsProbe | null;
	failure: {reason: string; denied: boolean} | null;
	pairs: Array<[number, number]>;
}

export const REMOTE_POLL_TIMEOUT_MS = 10_000;

export function createRemoteNodePoller(shell: RemoteShell, o: {timeoutMs?: number} = {}): RemoteNodePoller {
	const timeoutMs = o.timeoutMs ?? REMOTE_POLL_TIMEOUT_MS;
	const cache = new Map<number, CacheEntry>();
	let lastUnaccounted = '';
	let needs: NodeNeeds | null = null;
	let stats: RemotePollStats = {durationMs: 0, processes: 0, newNamespaces: 0, roundTrips: 0};

	const store = (holder: NetnsHolder, outcome: ProbeOutcome, snapshot: Omit<NodeNetSnapshot, 'takenAt'>, at: number) => {
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
		needs: () => needs,
		async poll(): Promise<Result<NodeView>> {
			const started = performance.now();
			const pollTime = Date.now();
			const ready = await shell.prepare();
			if (!ready.ok) return ready;
			needs = ready.value;
			if (needs.missing.includes('ip')) return {ok: false, ...describeNeeds(needs, shell.via)!};
			const asRoot = needs.uid === 0 || needs.sudo;
			const notRoot = !asRoot
				? `the node login runs as uid ${needs.uid ?? '?'} without password-less sudo: entering namespaces needs root`
				: needs.missing.includes('nsenter')
					? 'nsenter is not installed on the node'
					: null;

			const result = await shell.run(probeScriptArgv(notRoot ? null : [...cache.keys()], []), {timeoutMs});
			let trips = 1;
			if (result.failure !== null) return {ok: false, reason: result.failure, hint: result.hint ?? `try by hand: ${shell.via} ip -j addr show`};
			const parsed = parseProbeTrip(result.stdout);
			if (!parsed.ok) {
				const said = result.stderr.trim().split('\n')[0];
				return said ? {ok: false, reason: `${parsed.reason}: ${said}`, hint: parsed.hint} : parsed;
			}

			const trip = parsed.value;
			const snapshot: NodeNetSnapshot = {...trip.snapshot, takenAt: Date.now()};
			for (const [inode, entry] of cache) {
				if (!trip.byInode.get(inode)?.some(holder => holderKey(holder) === entry.key)) cache.delete(inode);
			}

			const fresh: NetnsHolder[] = [];
			const unprobed: NetnsHolder[] = [];
			for (const [inode, holders] of trip.byInode) {
				if (cache.has(inode)) continue;
				const holder = preferredHolder(holders);
				fresh.push(holder);
				const outcome = notRoot ? {ok: false as const, reason: notRoot, denied: true} : holders.map(h => trip.probes.get(h.path)).find(Boolean);
				if (outcome) store(holder, outcome, snapshot, pollTime);
				else unprobed.push(holder);
			}

			// Same staleness rules as the local poller: a recorded pair gone from the node, or node veths
			// no cached namespace accounts for (namespaces probed before they were wired).
			const again = new Map<number, NetnsHolder>(unprobed.map(h => [h.inode, h]));
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
			if (again.size > 0 && !notRoot) {
				const holders = [...again.values()];
				const probed = await shell.run(namespaceLoopArgv(holders.map(h => h.path)), {timeoutMs});
				const outcomes = parseProbeOutput(probed.stdout);
				trips++;
				for (const holder of holders) {
					const outcome = outcomes.get(holder.path);
					if (outcome) store(holder, outcome, snapshot, Date.now());
				}
			}

			const entries = [...cache.values()];
			const namespaces = entries.flatMap(entry => (entry.probe ? [entry.probe] : []));
			const denied = entries.find(entry => entry.failure?.denied);
			const canEnterNetns = notRoot === null && !(denied && namespaces.length === 0);
			stats = {durationMs: performance.now() - started, processes: trips, newNamespaces: fresh.length, roundTrips: trips};
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
