// One poll of a remote node is this one script in one exec: the node's links/addresses/stats,
// routes, neighbours and nsid table (one `ip -batch`, fed from a heredoc because our stdin belongs
// to the watchdog), the bridge fdb, every namespace holder with its inode (one `stat`), the start
// times of the processes that hold one (one `cat`), and `ip addr` inside each namespace the caller
// has not seen yet, found and probed in the same trip. Paths arrive as arguments, never in the text.
//
// What it costs is processes and syscalls, so: `ip` runs in the background, straight to our stdout,
// while `stat` and the holder loop run beside it (two cores), and `bridge` runs while `cat` does;
// nothing else writes to stdout until each has been waited for. The stat lines are walked in memory
// (split on newlines, fields cut by parameter expansion): dash's `read` takes one byte per syscall,
// and a heredoc over 4 KiB costs a fork, which was ~20k syscalls and two processes per poll.
import type {NetnsHolder, NodeNetSnapshot, Result} from '../../core/types.js';
import {INODE_CHECK, verifiedOutcomes, type ProbeOutcome} from '../netns-probe.js';
import {NODE_BATCH, parseNodeBatch} from '../node-snapshot.js';

/**
 * `ip addr` inside each namespace path given as an argument, each after a "@@PATH" line, then the
 * inode each path leads to by the end (a probe of another inode than asked is dropped).
 */
export const NAMESPACE_LOOP = `for p; do printf '@@%s\\n' "$p"; nsenter --net="$p" ip -j -d addr show 2>&1; done; ${INODE_CHECK}`;

/**
 * $1: the inodes already known, space-separated ('-' = probe nothing), then optionally "/" and the
 * pids of the process holders already cached; $2...: paths to probe again. Start times are read for
 * those pids and for every holder of a namespace not known yet: the cache's keys need no others, and
 * /proc/PID/stat is the costliest file here (the lab node's host processes are hundreds of them).
 */
export const PROBE_SCRIPT = `k=$1; shift
case $k in */*) pids=" \${k#*/} ";; *) pids=" ";; esac
known=" \${k%%/*} "
fresh=" "
nl='
'
echo @@batch
ip -j -d -s -batch - <<'B' &
${NODE_BATCH.join('\n')}
B
s=$(stat -L -c '%i %d %n' /proc/self/ns/net /run/netns/* /proc/[0-9]*/ns/net 2>/dev/null)
set -f
l=\${s%%"$nl"*}; si=\${l%% *}; l=\${l#* }; sd=\${l%% *}
f=
IFS=$nl
for l in $s; do
ino=\${l%% *}; l=\${l#* }; dev=\${l%% *}; path=\${l#* }
[ "$dev" = "$sd" ] && [ "$ino" != "$si" ] || continue
case $known$fresh in *" $ino "*) ;; *) fresh="$fresh$ino "; [ "$known" = " - " ] || set -- "$@" "$path";; esac
case $path in /proc/*) p=\${path#/proc/}; p=\${p%%/*}
case $fresh in *" $ino "*) f="$f /proc/$p/stat";; *) case $pids in *" $p "*) f="$f /proc/$p/stat";; esac;; esac;; esac
done
unset IFS
wait
echo @@fdb
bridge -j fdb show 2>/dev/null &
t=
[ -z "$f" ] || t=$(cat $f 2>/dev/null)
wait
echo @@stat
printf '%s\\n' "$s"
echo @@start
printf '%s\\n' "$t"
echo @@probe
${NAMESPACE_LOOP}
`;

export function probeScriptArgv(known: readonly number[] | null, paths: readonly string[], pids: readonly number[] = []): string[] {
	const inodes = known === null ? '-' : known.join(' ');
	return ['sh', '-c', PROBE_SCRIPT, 'sh', pids.length === 0 || known === null ? inodes : `${inodes}/${pids.join(' ')}`, ...paths];
}

export function namespaceLoopArgv(paths: readonly string[]): string[] {
	return ['sh', '-c', NAMESPACE_LOOP, 'sh', ...paths];
}

export interface ProbeTrip {
	snapshot: Omit<NodeNetSnapshot, 'takenAt'>;
	nodeInode: number | null;
	/** Every holder of every namespace but the node's own, grouped by inode, with pid start times. */
	byInode: Map<number, NetnsHolder[]>;
	/** Only those whose path still led to the inode the stat section gave it. */
	probes: Map<string, ProbeOutcome>;
}

const SECTIONS = ['@@batch', '@@fdb', '@@stat', '@@start', '@@probe'] as const;

export function parseProbeTrip(stdout: string): Result<ProbeTrip> {
	const sections = new Map<string, string[]>();
	let current: string[] | null = null;
	for (const line of stdout.split('\n')) {
		// After @@probe every line is the probes', whose own markers also start with @@.
		if (!sections.has('@@probe') && (SECTIONS as readonly string[]).includes(line)) {
			current = [];
			sections.set(line, current);
		} else {
			current?.push(line);
		}
	}

	const missing = SECTIONS.find(name => !sections.has(name));
	if (missing) {
		return {ok: false, reason: `the node probe stopped early (no ${missing.slice(2)} section)`, hint: 'the node needs a POSIX sh, iproute2, stat and cat; run with --debug to see its output'};
	}

	const snapshot = parseNodeBatch(sections.get('@@batch')!.join('\n'), sections.get('@@fdb')!.join('\n'));
	if (!snapshot.ok) return snapshot;
	const starts = parseStartTimes(sections.get('@@start')!);
	const {byInode, nodeInode} = parseHolders(sections.get('@@stat')!, starts);
	// The stat section, taken just before the probes, says which inode each path was asked for.
	const asked = [...byInode.values()].flat();
	const {outcomes: probes} = verifiedOutcomes(sections.get('@@probe')!.join('\n'), asked);
	return {ok: true, value: {snapshot: snapshot.value, nodeInode, byInode, probes}};
}

/** `stat -L -c '%i %d %n'` lines; the first is the node's own namespace, other devices are not nsfs. */
export function parseHolders(lines: readonly string[], starts: ReadonlyMap<number, number>): {byInode: Map<number, NetnsHolder[]>; nodeInode: number | null} {
	const byInode = new Map<number, NetnsHolder[]>();
	let node: {inode: number; dev: string} | null = null;
	for (const line of lines) {
		const m = /^(\d+) (\d+) (\/.*)$/.exec(line);
		if (!m) continue;
		const inode = Number(m[1]);
		const path = m[3]!;
		if (node === null) {
			node = {inode, dev: m[2]!};
			continue;
		}

		if (m[2] !== node.dev || inode === node.inode) continue;
		const named = /^\/run\/netns\/(.+)$/.exec(path);
		const pid = /^\/proc\/(\d+)\/ns\/net$/.exec(path);
		const holder: NetnsHolder | null = named
			? {inode, path, name: named[1]!, pid: null, pidStart: null}
			: pid
				? {inode, path, name: null, pid: Number(pid[1]), pidStart: starts.get(Number(pid[1])) ?? null}
				: null;
		if (holder) byInode.set(inode, [...(byInode.get(inode) ?? []), holder]);
	}

	return {byInode, nodeInode: node?.inode ?? null};
}

/** /proc/PID/stat lines: field 22 (start time) counted after the command name, which may hold spaces. */
export function parseStartTimes(lines: readonly string[]): Map<number, number> {
	const starts = new Map<number, number>();
	for (const line of lines) {
		const pid = /^(\d+) \(/.exec(line);
		const close = line.lastIndexOf(') ');
		if (!pid || close < 0) continue;
		const start = Number(line.slice(close + 2).split(' ')[19]);
		if (Number.isFinite(start)) starts.set(Number(pid[1]), start);
	}

	return starts;
}
