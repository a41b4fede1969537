// `policy --probe`: the kernel's answer next to the verdict. For every pair, one connection from
// FROM's netns to TO's IP:port through the node registry (the same path `path` uses to reach
// nodes), a few at a time. A pair that cannot be probed (no IP, hostNetwork, node unreachable,
// sandbox unknown) is left out of `probed` with one note per reason, never guessed.
import type {TargetOptions} from '../app/options.js';
import {createClusterRegistry} from '../app/target.js';
import type {KubeTarget} from '../cluster/kube-target.js';
import type {NodeInfo} from '../cluster/nodes.js';
import {sandboxOfPod} from '../core/runtime-record.js';
import type {PolicyDocument} from '../core/policy/policy-matrix.js';
import type {Protocol} from '../core/policy/types.js';
import type {PodInfo, Result} from '../core/types.js';
import {mapLimit} from '../lab/run-command.js';
import {probeConnection} from '../node/connect-probe.js';

/** Pairs probed without --probe-max; more would take minutes at 2 s per refused pair. */
export const DEFAULT_PROBE_MAX = 100;
const CONCURRENCY = 8;

export interface Disagreement {
	from: string;
	to: string;
	/** The evaluator's answer (null: unknown). */
	allowed: boolean | null;
	connected: boolean;
	/** connected | refused | timeout | unreachable */
	result: string;
}

export interface ProbeReport {
	probed: Record<string, Record<string, boolean>>;
	disagreements: Disagreement[];
	agreements: number;
	pairs: number;
	/** Why some pairs were not probed, one line each. */
	notes: string[];
}

const keyOf = (p: {namespace: string; name: string}) => `${p.namespace}/${p.name}`;

/** The pods a probe can start from or aim at: a pod network IP and a node. */
const probeable = (p: PodInfo) => !p.hostNetwork && p.nodeName !== null && p.ips[0] !== undefined;

export function probePairCount(pods: PodInfo[]): number {
	const n = pods.filter(probeable).length;
	return n * n;
}

export async function probePolicy(
	kube: KubeTarget,
	nodes: NodeInfo[],
	o: TargetOptions,
	pods: PodInfo[],
	doc: PolicyDocument,
	q: {port: number; protocol: Protocol},
): Promise<Result<ProbeReport>> {
	const notes = new Set<string>();
	const chosen = pods.filter(p => doc.pods.includes(keyOf(p)));
	for (const p of chosen.filter(p => !probeable(p))) notes.add(`${keyOf(p)} is not probed: ${p.hostNetwork ? 'hostNetwork (policies do not select it)' : 'no IP or no node yet'}`);
	const ends = chosen.filter(probeable);
	const registry = createClusterRegistry(kube, () => nodes, o);
	try {
		// Each FROM pod's netns, found once through its node's runtime.
		const sources = await mapLimit(ends, CONCURRENCY, async from => {
			const node = await registry.open(from.nodeName as string);
			if (!node.ok) {
				notes.add(`pods on ${from.nodeName} are not probed: ${node.reason}`);
				return null;
			}

			const sandbox = sandboxOfPod((await node.value.runtime()).sandboxes, from);
			if (sandbox?.netnsPath == null) {
				notes.add(`${keyOf(from)} is not probed: its node's runtime shows no netns for it`);
				return null;
			}

			return {from, shell: node.value, netnsPath: sandbox.netnsPath};
		});
		const pairs = sources.flatMap(s => (s === null ? [] : ends.map(to => ({...s, to}))));
		const results = await mapLimit(pairs, CONCURRENCY, async pair => {
			const r = await probeConnection(pair.shell, {netnsPath: pair.netnsPath, ip: pair.to.ips[0] as string, port: q.port, protocol: q.protocol});
			if (!r.ok) notes.add(`${keyOf(pair.from)} is not probed: ${r.reason}`);
			return {pair, result: r.ok ? r.value.result : null};
		});
		const report: ProbeReport = {probed: {}, disagreements: [], agreements: 0, pairs: 0, notes: []};
		for (const {pair, result} of results) {
			if (result === null) continue;
			const from = keyOf(pair.from);
			const to = keyOf(pair.to);
			const connected = result === 'connected';
			(report.probed[from] ??= {})[to] = connected;
			report.pairs++;
			const allowed = doc.matrix[from]?.[to] ?? null;
			if (allowed === connected) report.agreements++;
			else report.disagreements.push({from, to, allowed, connected, result});
		}

		report.notes = [...notes];
		return {ok: true, value: report};
	} finally {
		registry.close();
	}
}

export function probeSummary(r: ProbeReport): string[] {
	return [
		`probe: ${r.agreements} of ${r.pairs} probed pairs agree with the verdict`,
		...r.disagreements.map(d => `disagrees: ${d.from} -> ${d.to}: verdict ${d.allowed === null ? 'unknown' : d.allowed ? 'allowed' : 'denied'}, probe ${d.result}`),
		...r.notes,
	];
}
