// The node's conntrack entries that hold a pod's address, in one request: one `sh -c` whose script
// greps /proc/net/nf_conntrack for the pod's addresses (fixed strings: ~1 ms over 1,000 entries)
// and, where the kernel has no such file (CONFIG_NF_CONNTRACK_PROCFS off), asks `conntrack` over
// netlink instead (~20 ms a call here: the tool's start, whatever it filters). The filter runs on the
// node, so a busy node's table never crosses the wire whole. The pod's IPs reach the script as
// positional parameters, validated first: nothing from the cluster is part of its text.
import ipaddr from 'ipaddr.js';
import type {ConntrackEntry} from '../../core/flows.js';
import {canonicalIp} from '../../core/pod-ip.js';
import type {Result} from '../../core/types.js';
import type {NodeShell, RunResult} from '../node-shell.js';
import {parseConntrack} from './conntrack-text.js';

export const PROC_CONNTRACK = '/proc/net/nf_conntrack';

// $1: the procfs table; then triples: family, the address as conntrack takes it, the address as
// procfs prints it. A grep of "src=IP " matches both tuples' sources (the flows the pod started, and
// the ones it answered, DNATed to it or not), and never a longer address: the space ends it. With
// conntrack that is orig-src then reply-src; a flow from the pod to itself is in both, and the
// parser drops the second copy.
export const CONNTRACK_SCRIPT = `table=$1; shift
if [ -r "$table" ]; then
	echo @@proc
	while [ $# -ge 3 ]; do
		grep -F -e "src=$3 " "$table"; s=$?; [ $s -eq 1 ] && s=0; echo "@@exit $s"
		shift 3
	done
elif command -v conntrack >/dev/null 2>&1; then
	echo @@conntrack
	while [ $# -ge 3 ]; do
		conntrack -L -o extended -f "$1" --orig-src "$2"; echo "@@exit $?"
		conntrack -L -o extended -f "$1" --reply-src "$2"; echo "@@exit $?"
		shift 3
	done
elif [ -e "$table" ]; then echo @@unreadable
else echo @@none
fi`;

export type ConntrackSource = 'conntrack' | 'proc';

export interface ConntrackRead {
	source: ConntrackSource;
	/** Each entry once, addresses canonical (procfs prints IPv6 unabbreviated). */
	entries: ConntrackEntry[];
}

/** The script's argv for these pod IPs, or why one may not go in. */
export function conntrackArgv(ips: readonly string[], table = PROC_CONNTRACK): Result<string[]> {
	const argv = ['sh', '-c', CONNTRACK_SCRIPT, 'sh', table];
	for (const raw of ips) {
		const ip = canonicalIp(raw);
		if (ip === null) return {ok: false, reason: `the pod IP ${JSON.stringify(raw)} is not an IP address`, hint: 'conntrack is asked only about addresses that parse; check the pod status (kubectl get pod -o yaml)'};
		const v6 = ip.includes(':');
		argv.push(v6 ? 'ipv6' : 'ipv4', ip, v6 ? ipaddr.IPv6.parse(ip).toNormalizedString().split(':').map(group => group.padStart(4, '0')).join(':') : ip);
	}

	if (argv.length === 5) return {ok: false, reason: 'the pod has no IP address', hint: 'wait until the pod is running and has an IP'};
	return {ok: true, value: argv};
}

const tupleKey = (e: ConntrackEntry) => `${e.protocol} ${e.orig.src} ${e.orig.sport} ${e.orig.dst} ${e.orig.dport} ${e.zone ?? ''}`;

/** The kernel prints IPv4 canonical already; IPv6 (procfs: unabbreviated) is rewritten, each address parsed once. */
function normaliser(): (e: ConntrackEntry) => ConntrackEntry {
	const seen = new Map<string, string>();
	const canonical = (ip: string) => {
		let c = seen.get(ip);
		if (c === undefined) seen.set(ip, (c = canonicalIp(ip) ?? ip));
		return c;
	};

	const t = (x: ConntrackEntry['orig']) => ({...x, src: canonical(x.src), dst: canonical(x.dst)});
	return e => (e.family === 'ipv6' ? {...e, orig: t(e.orig), reply: t(e.reply)} : e);
}

/** What the script printed, as entries, or why the node's table could not be read. */
export function parseConntrackRead(result: RunResult, node: string): Result<ConntrackRead> {
	if (result.failure) return {ok: false, reason: `cannot read conntrack on node ${node}: ${result.failure}`, hint: 'the node needs sh'};
	const out = result.stdout;
	const said = result.stderr.split('\n').map(line => line.trim()).find(line => line !== '' && !/flow entries have been shown/.test(line));
	const first = out.slice(0, out.indexOf('\n') === -1 ? out.length : out.indexOf('\n')).trim();
	if (first === '@@none') {
		return {ok: false, reason: `conntrack is not installed on node ${node} and ${PROC_CONNTRACK} is missing`, hint: 'install conntrack (Debian/Ubuntu: conntrack, RHEL: conntrack-tools), or load the module: modprobe nf_conntrack'};
	}

	if (first === '@@unreadable') return {ok: false, reason: `${PROC_CONNTRACK} on node ${node} is not readable and conntrack is not installed`, hint: 'reading the connection table needs root: run with sudo, or install conntrack'};
	if (first !== '@@conntrack' && first !== '@@proc') {
		return {ok: false, reason: `the conntrack read on node ${node} stopped (exit ${result.exitCode})${said ? `: ${said}` : ''}`, hint: 'the node needs a POSIX sh'};
	}

	const source: ConntrackSource = first === '@@conntrack' ? 'conntrack' : 'proc';
	const failed = [...out.matchAll(/^@@exit (\d+)$/gm)].some(m => m[1] !== '0');
	if (failed) {
		const denied = /not permitted|Permission denied/i.test(result.stderr);
		return {
			ok: false,
			reason: `${source === 'conntrack' ? 'conntrack -L' : `grep ${PROC_CONNTRACK}`} failed on node ${node}${said ? `: ${said}` : ''}`,
			hint: denied ? 'reading the connection table needs root (CAP_NET_ADMIN): run with sudo' : `try by hand on the node: ${source === 'conntrack' ? 'conntrack -L -o extended' : `cat ${PROC_CONNTRACK}`}`,
		};
	}

	const seen = new Set<string>();
	const entries: ConntrackEntry[] = [];
	const normalised = normaliser();
	// Each procfs line is one entry; only conntrack's two listings can hold one twice.
	const twice = source === 'conntrack';
	for (const raw of parseConntrack(out)) {
		const e = normalised(raw);
		if (twice) {
			const key = tupleKey(e);
			if (seen.has(key)) continue;
			seen.add(key);
		}

		entries.push(e);
	}

	return {ok: true, value: {source, entries}};
}

export async function readPodConntrack(shell: NodeShell, node: string, ips: readonly string[], o: {timeoutMs?: number; table?: string} = {}): Promise<Result<ConntrackRead>> {
	const argv = conntrackArgv(ips, o.table);
	if (!argv.ok) return argv;
	return parseConntrackRead(await shell.run(argv.value, {timeoutMs: o.timeoutMs ?? 5000}), node);
}
