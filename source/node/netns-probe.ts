// Reads the interfaces inside many namespaces in one process: a sh loop over the paths (passed as
// argv, never spliced into the script) that prints a marker line, then `ip -j -d addr show` run
// in that namespace. Only namespaces the cache has not seen go through here: in steady state, none.
import type {Link} from '../core/types.js';
import {parseJsonArray, parseLinks} from './ip-json.js';
import type {NodeShell} from './node-shell.js';

// `ip -n NAME` enters a /run/netns namespace itself: one exec instead of nsenter's two.
export const PROBE_SCRIPT = [
	'for p; do',
	'  printf "@@%s\\n" "$p"',
	'  case $p in',
	'    /run/netns/*) ip -n "${p#/run/netns/}" -j -d addr show 2>&1 ;;',
	'    *) nsenter --net="$p" ip -j -d addr show 2>&1 ;;',
	'  esac',
	'done',
].join('\n');

export type ProbeOutcome = {ok: true; links: Link[]} | {ok: false; reason: string; denied: boolean};

/** Below this many namespaces one loop is as fast as two. */
const PATHS_PER_EXTRA_LOOP = 24;

/**
 * Probes `paths` in `loops` sh loops run side by side (a cold start over hundreds of namespaces is
 * CPU-bound: one loop per core halves it). Returns the outcome per path and the processes spawned.
 */
export async function probeNamespaces(shell: NodeShell, paths: string[], options: {loops?: number; timeoutMs?: number} = {}): Promise<{outcomes: Map<string, ProbeOutcome>; processes: number}> {
	if (paths.length === 0) return {outcomes: new Map(), processes: 0};
	const loops = Math.max(1, Math.min(options.loops ?? 1, Math.ceil(paths.length / PATHS_PER_EXTRA_LOOP)));
	const chunks = Array.from({length: loops}, (_, i) => paths.filter((_, j) => j % loops === i));
	const results = await Promise.all(chunks.map(chunk => shell.run(['sh', '-c', PROBE_SCRIPT, 'sh', ...chunk], {timeoutMs: options.timeoutMs ?? 60_000})));
	const outcomes = new Map<string, ProbeOutcome>();
	for (const [i, result] of results.entries()) {
		const parsed = parseProbeOutput(result.stdout);
		for (const path of chunks[i]!) {
			outcomes.set(path, parsed.get(path) ?? {ok: false, reason: result.failure ?? 'the probe printed nothing for this namespace', denied: false});
		}
	}

	return {outcomes, processes: loops};
}

/** Sections: "@@PATH" then either one JSON line, or the error nsenter/ip printed. */
export function parseProbeOutput(stdout: string): Map<string, ProbeOutcome> {
	const outcomes = new Map<string, ProbeOutcome>();
	let path: string | null = null;
	let body: string[] = [];
	const flush = () => {
		if (path === null) return;
		const text = body.join('\n').trim();
		const json = text.startsWith('[') ? parseJsonArray(text) : null;
		if (json) outcomes.set(path, {ok: true, links: parseLinks(json)});
		else outcomes.set(path, {ok: false, reason: text.split('\n')[0] || 'no output', denied: /Operation not permitted|Permission denied/i.test(text)});
	};

	for (const line of stdout.split('\n')) {
		if (line.startsWith('@@')) {
			flush();
			path = line.slice(2);
			body = [];
		} else {
			body.push(line);
		}
	}

	flush();
	return outcomes;
}
