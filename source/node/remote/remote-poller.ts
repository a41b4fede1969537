// The node poller for nodes behind docker exec or ssh: same result and cache rules as
// createNodePoller (node-poller.ts), but a poll is one round trip: the probe script reports the
// node, discovers every namespace and probes the ones we have not seen, all in one request to the
// node worker (no new client process once it runs). A second trip happens only when the cache must re-probe a namespace it already knew (a stale veth pair,
// a namespace probed before its veth existed, an inode reused by another holder).
import {performance} from 'node:perf_hooks';
import type {NetnsHolder, NodeNetSnapshot, NodeView, Result} from '../../core/types.js';
import {createNetnsCache} from '../netns-cache.js';
import {verifiedOutcomes} from '../netns-probe.js';
import type {NodePoller, PollStats} from '../node-poller.js';
import {describeNeeds, type NodeNeeds} from './node-needs.js';
import {namespaceLoopArgv, parseProbeTrip, probeScriptArgv} from './probe-script.js';
import type {RemoteShell} from './remote-shell.js';

export interface RemotePollStats extends PollStats {
	/** Commands run on the node this poll (1 in steady state); `processes` counts the client processes (remote sessions) it started, 0 in steady state. */
	roundTrips: number;
}

export interface RemoteNodePoller extends NodePoller {
	lastPollStats(): RemotePollStats;
	/** What the node has, once the first poll has connected. */
	needs(): NodeNeeds | null;
}

export const REMOTE_POLL_TIMEOUT_MS = 10_000;

export function createRemoteNodePoller(shell: RemoteShell, o: {timeoutMs?: number} = {}): RemoteNodePoller {
	const timeoutMs = o.timeoutMs ?? REMOTE_POLL_TIMEOUT_MS;
	const cache = createNetnsCache();
	let needs: NodeNeeds | null = null;
	let stats: RemotePollStats = {durationMs: 0, processes: 0, newNamespaces: 0, roundTrips: 0};

	return {
		lastPollStats: () => stats,
		needs: () => needs,
		async poll(): Promise<Result<NodeView>> {
			const started = performance.now();
			const sessionsBefore = shell.sessions();
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

			const result = await shell.run(probeScriptArgv(notRoot ? null : cache.inodes(), [], cache.pids()), {timeoutMs});
			let trips = 1;
			if (result.failure !== null) return {ok: false, reason: result.failure, hint: result.hint ?? `try by hand: ${shell.via} ip -j addr show`};
			const parsed = parseProbeTrip(result.stdout);
			if (!parsed.ok) {
				const said = result.stderr.trim().split('\n')[0];
				return said ? {ok: false, reason: `${parsed.reason}: ${said}`, hint: parsed.hint} : parsed;
			}

			const trip = parsed.value;
			const snapshot: NodeNetSnapshot = {...trip.snapshot, takenAt: Date.now()};
			const fresh = cache.reconcile(trip.byInode);
			const unprobed: NetnsHolder[] = [];
			for (const holder of fresh) {
				const outcome = notRoot ? {ok: false as const, reason: notRoot, denied: true} : trip.byInode.get(holder.inode)!.map(h => trip.probes.get(h.path)).find(Boolean);
				if (outcome) cache.store(holder, outcome, snapshot, pollTime);
				else unprobed.push(holder);
			}

			const again = [...unprobed, ...cache.stale(snapshot, pollTime)];
			if (again.length > 0 && !notRoot) {
				const probed = await shell.run(namespaceLoopArgv(again.map(h => h.path)), {timeoutMs});
				const {outcomes} = verifiedOutcomes(probed.stdout, again);
				trips++;
				for (const holder of again) {
					const outcome = outcomes.get(holder.path);
					if (outcome) cache.store(holder, outcome, snapshot, Date.now());
				}
			}

			stats = {durationMs: performance.now() - started, processes: shell.sessions() - sessionsBefore, newNamespaces: fresh.length, roundTrips: trips};
			return {ok: true, value: cache.view(snapshot, notRoot)};
		},
	};
}
