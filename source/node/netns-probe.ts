// Reads the interfaces inside many namespaces in one process: a sh loop over the paths (passed as
// argv, never spliced into the script) that prints a marker line, then `ip -j -d addr show` run
// in that namespace. Only namespaces the cache has not seen go through here: in steady state, none.
import type {Link} from '../core/types.js';
import {parseJsonArray, parseLinks} from './ip-json.js';
import type {NodeShell} from './node-shell.js';

/**
 * After a loop, one `stat` prints the inode each path leads to now. A path can lead elsewhere by
 * then (a pid reused, a /run/netns name re-created): a probe whose inode is not the one that was
 * asked about read some other namespace, and is dropped. One process per loop, not per namespace.
 */
export const INODE_CHECK = `[ $# -eq 0 ] || stat -L -c '@@inode %i %n' "$@" 2>/dev/null`;

// `ip -n NAME` enters a /run/netns namespace itself: one exec instead of nsenter's two.
export const PROBE_SCRIPT = [
	'for p; do',
	'  printf "@@%s\\n" "$p"',
	'  case $p in',
	'    /run/netns/*) ip -n "${p#/run/netns/}" -j -d addr show 2>&1 ;;',
	'    *) nsenter --net="$p" ip -j -d addr show 2>&1 ;;',
	'  esac',
	'done',
	INODE_CHECK,
].join('\n');

export type ProbeOutcome = {ok: true; links: Link[]} | {ok: false; reason: string; denied: boolean};

/** A namespace to probe: the path to enter, and the inode discovery found there. */
export interface AskedNamespace {
	path: string;
	inode: number;
}

/** Below this many namespaces one loop is as fast as two. */
const PATHS_PER_EXTRA_LOOP = 24;

/**
 * Probes the namespaces in `loops` sh loops run side by side (a cold start over hundreds of
 * namespaces is CPU-bound: one loop per core halves it). Returns the outcome per path, except for
 * paths that led to another inode than asked, and the processes spawned.
 */
export async function probeNamespaces(shell: NodeShell, asked: readonly AskedNamespace[], options: {loops?: number; timeoutMs?: number} = {}): Promise<{outcomes: Map<string, ProbeOutcome>; processes: number}> {
	if (asked.length === 0) return {outcomes: new Map(), processes: 0};
	const loops = Math.max(1, Math.min(options.loops ?? 1, Math.ceil(asked.length / PATHS_PER_EXTRA_LOOP)));
	const chunks = Array.from({length: loops}, (_, i) => asked.filter((_, j) => j % loops === i));
	const results = await Promise.all(chunks.map(chunk => shell.run(['sh', '-c', PROBE_SCRIPT, 'sh', ...chunk.map(ns => ns.path)], {timeoutMs: options.timeoutMs ?? 60_000})));
	const outcomes = new Map<string, ProbeOutcome>();
	for (const [i, result] of results.entries()) {
		const {outcomes: verified, moved} = verifiedOutcomes(result.stdout, chunks[i]!);
		for (const {path} of chunks[i]!) {
			if (moved.has(path)) continue;
			outcomes.set(path, verified.get(path) ?? {ok: false, reason: result.failure ?? 'the probe printed nothing for this namespace', denied: false});
		}
	}

	return {outcomes, processes: loops};
}

/**
 * The outcomes of a loop that ended with INODE_CHECK, kept only where the path still led to the
 * asked inode; `moved` holds the paths dropped (probed, but gone or leading elsewhere by then).
 */
export function verifiedOutcomes(stdout: string, asked: readonly AskedNamespace[]): {outcomes: Map<string, ProbeOutcome>; moved: Set<string>} {
	const parsed = parseProbeOutput(stdout);
	const inodes = parseProbeInodes(stdout);
	const outcomes = new Map<string, ProbeOutcome>();
	const moved = new Set<string>();
	for (const {path, inode} of asked) {
		const outcome = parsed.get(path);
		if (outcome === undefined) continue;
		if (inodes.get(path) === inode) outcomes.set(path, outcome);
		else moved.add(path);
	}

	return {outcomes, moved};
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
		// Paths are absolute; "@@inode" lines (INODE_CHECK's) close the last section.
		if (line.startsWith('@@/') || line.startsWith('@@inode ')) {
			flush();
			path = line.startsWith('@@/') ? line.slice(2) : null;
			body = [];
		} else {
			body.push(line);
		}
	}

	flush();
	return outcomes;
}

/** INODE_CHECK's lines: path → the inode it led to after the probe. */
export function parseProbeInodes(stdout: string): Map<string, number> {
	const inodes = new Map<string, number>();
	for (const line of stdout.split('\n')) {
		const m = /^@@inode (\d+) (\/.*)$/.exec(line);
		if (m) inodes.set(m[2]!, Number(m[1]));
	}

	return inodes;
}
