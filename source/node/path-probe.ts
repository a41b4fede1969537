// `path --probe`: one attempt from a pod's netns through its node's shell (nothing is exec'd into
// the container), then the conntrack entry it made, read on the node that DNATs it. On this host
// (the lab, local access) the attempt is this binary under `nsenter --net`; on a remote node it is
// whatever the node has: bash's /dev/tcp (/dev/udp), else nc, else curl (TCP); ICMP is ping.
// Every value reaches the scripts as a positional parameter, validated first.
import {parseProbeLine, type ProbeOutcome} from '../core/connect-probe-result.js';
import {canonicalIp} from '../core/pod-ip.js';
import type {ConntrackEntry} from '../core/flows.js';
import type {Result} from '../core/types.js';
import {selfCommand} from '../lab/self-command.js';
import {parseConntrackLine} from './conntrack/conntrack-text.js';
import type {NodeShell} from './node-shell.js';

export type ProbeProto = 'tcp' | 'udp' | 'icmp';

export interface ProbeAttempt {
	/** Null: no tool on the node could make the attempt (reason says which were looked for). */
	tool: string | null;
	result: ProbeOutcome | null;
	ms: number | null;
	sport: number | null;
	answer: string | null;
	reason: string | null;
}

const NETNS_PATH = /^\/(?:run\/netns\/[\w.-]+|proc\/[1-9]\d*\/ns\/net)$/;
const SELF_TOOL = 'k8snet-tui under nsenter --net';

// $1 netns, $2 ip, $3 port (- for icmp), $4 proto. Prints one JSON line; the outcome is read from
// each tool's exit status and complaint, the time from date +%s%N where date has it.
export const REMOTE_PROBE_SCRIPT = `ns=$1 ip=$2 port=$3 proto=$4
now() { date +%s%N 2>/dev/null | grep -E '^[0-9]+$' || echo -; }
out() { t1=$(now); ms=null; [ "$t0" != - ] && [ "$t1" != - ] && ms=$(( (t1 - t0) / 1000000 ))
	printf '{"tool":"%s","result":"%s","ms":%s,"sport":%s,"answer":%s}\\n' "$1" "$2" "$ms" "\${3:-null}" "\${4:-null}"; exit 0; }
of() { case $1 in *refused*) echo refused ;; *unreachable*|*"No route"*) echo unreachable ;; *) echo timeout ;; esac; }
t0=$(now)
if [ "$proto" = icmp ]; then
	command -v ping >/dev/null 2>&1 || { echo '{"tool":null,"reason":"ping is not on the node"}'; exit 0; }
	e=$(nsenter --net="$ns" ping -n -c1 -W2 "$ip" 2>&1) && out ping connected
	out ping "$(of "$e")"
fi
if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
	e=$(nsenter --net="$ns" timeout 2 bash -c 'exec 3<>"/dev/$2/$0/$1" || exit 1; [ "$2" = udp ] && printf "k8snet-tui probe\\n" >&3; IFS= read -r -t 1 a <&3; [ "$2" = udp ] && [ -z "$a" ] && exit 124; printf "%s" "$a"' "$ip" "$port" "$proto" 2>&1)
	rc=$?
	a=$(printf '%s' "$e" | head -c 200 | tr -d '"\\\\' | tr -c '[:print:]' ' ')
	[ $rc = 0 ] && out "bash /dev/$proto" connected "" "\\"$a\\""
	[ $rc = 124 ] && out "bash /dev/$proto" timeout
	out "bash /dev/$proto" "$(of "$e")"
fi
if command -v nc >/dev/null 2>&1; then
	u=; [ "$proto" = udp ] && u=-u
	e=$(nsenter --net="$ns" nc $u -z -w 2 "$ip" "$port" 2>&1) && out nc connected
	out nc "$(of "$e")"
fi
if [ "$proto" = tcp ] && command -v curl >/dev/null 2>&1; then
	w=$(nsenter --net="$ns" curl -s -o /dev/null --connect-timeout 2 --max-time 3 -w '%{local_port} %{time_connect}' "telnet://$ip:$port" </dev/null 2>&1); rc=$?
	case "$w" in *" 0.000000"|"") [ $rc = 7 ] && out curl refused; out curl timeout ;; esac
	out curl connected "\${w%% *}"
fi
echo '{"tool":null,"reason":"the node has none of bash (with timeout), nc, curl to probe with"}'`;

export function remoteProbeArgv(netnsPath: string, ip: string, port: number | null, proto: ProbeProto): string[] {
	return ['sh', '-c', REMOTE_PROBE_SCRIPT, 'sh', netnsPath, ip, port === null ? '-' : String(port), proto];
}

function parseRemote(stdout: string): ProbeAttempt | null {
	try {
		const o = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
		if (o['tool'] === null) return {tool: null, result: null, ms: null, sport: null, answer: null, reason: String(o['reason'] ?? 'no probe tool')};
		const line = parseProbeLine(JSON.stringify({result: o['result'], ms: typeof o['ms'] === 'number' ? o['ms'] : -1}), String(o['tool']));
		if (line === null) return null;
		return {tool: line.tool, result: line.result, ms: line.ms < 0 ? null : line.ms, sport: typeof o['sport'] === 'number' ? o['sport'] : null, answer: typeof o['answer'] === 'string' ? o['answer'] : null, reason: null};
	} catch {
		return null;
	}
}

export async function probeFromPod(shell: NodeShell, netnsPath: string, ip: string, port: number | null, proto: ProbeProto): Promise<Result<ProbeAttempt>> {
	if (!NETNS_PATH.test(netnsPath)) return {ok: false, reason: `not a netns path: ${netnsPath}`, hint: 'a pod netns is /run/netns/NAME or /proc/PID/ns/net'};
	if (canonicalIp(ip) === null) return {ok: false, reason: `not an IP: ${ip}`, hint: 'the probe aims at an address'};
	if (proto !== 'icmp' && (port === null || !Number.isInteger(port) || port < 1 || port > 65_535)) return {ok: false, reason: `a ${proto} probe needs a port`, hint: 'e.g. --port 80'};
	const self = shell.sharesProcfs && proto !== 'icmp';
	const argv = self ? ['nsenter', `--net=${netnsPath}`, '--', ...selfCommand(), '__connect-probe', ip, String(port), proto, 'read'] : remoteProbeArgv(netnsPath, ip, port, proto);
	const r = await shell.run(argv, {timeoutMs: 10_000});
	if (self) {
		const line = parseProbeLine(r.stdout, SELF_TOOL);
		if (line !== null) return {ok: true, value: {tool: line.tool, result: line.result, ms: line.ms, sport: line.sport ?? null, answer: line.answer ?? null, reason: null}};
	} else {
		const got = parseRemote(r.stdout);
		if (got !== null) return {ok: true, value: got};
	}

	const why = r.failure ?? r.stderr.trim().split('\n')[0] ?? '';
	return {ok: false, reason: `the probe printed no result${why ? `: ${why}` : ''}`, hint: 'the node needs nsenter (util-linux) and root'};
}

// $1 proto, $2 src, $3 dst, $4 dport, $5 sport or -. conntrack filters on the node; without it
// /proc/net/nf_conntrack is grepped for the original tuple.
export const CONNTRACK_SCRIPT = `sp=; [ "$5" = - ] || sp="--sport $5"
if command -v conntrack >/dev/null 2>&1; then echo @@conntrack; conntrack -L -o extended -p "$1" -s "$2" -d "$3" --dport "$4" $sp 2>/dev/null
else echo @@proc; grep -F "src=$2 dst=$3 " /proc/net/nf_conntrack 2>&1; fi
echo @@end`;

export interface ConntrackFound {
	entry: ConntrackEntry | null;
	/** The line as the node printed it. */
	line: string | null;
	/** "conntrack -L -o extended" or "/proc/net/nf_conntrack". */
	source: string;
	note: string | null;
}

/** The entry the probe made: matched on the original tuple, and on the source port when it is known. */
export async function readProbeConntrack(shell: NodeShell, t: {proto: 'tcp' | 'udp'; src: string; dst: string; dport: number; sport: number | null}): Promise<Result<ConntrackFound>> {
	if (canonicalIp(t.src) === null || canonicalIp(t.dst) === null) return {ok: false, reason: 'not an IP', hint: 'conntrack is asked about validated addresses only'};
	const r = await shell.run(['sh', '-c', CONNTRACK_SCRIPT, 'sh', t.proto, t.src, t.dst, String(t.dport), t.sport === null ? '-' : String(t.sport)], {timeoutMs: 10_000});
	if (!r.stdout.includes('@@end')) return {ok: false, reason: `conntrack could not be read: ${r.failure ?? (r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`)}`, hint: 'the node needs root (CAP_NET_ADMIN) for conntrack'};
	const source = r.stdout.includes('@@conntrack') ? 'conntrack -L -o extended' : '/proc/net/nf_conntrack';
	const matches: Array<{entry: ConntrackEntry; line: string}> = [];
	for (const line of r.stdout.split('\n')) {
		const entry = parseConntrackLine(line);
		if (entry === null || entry.protocol !== t.proto || entry.orig.src !== t.src || entry.orig.dst !== t.dst || entry.orig.dport !== t.dport) continue;
		if (t.sport !== null && entry.orig.sport !== t.sport) continue;
		matches.push({entry, line: line.trim()});
	}

	if (matches.length === 0) return {ok: true, value: {entry: null, line: null, source, note: `no conntrack entry for ${t.src} → ${t.dst}:${t.dport}${t.sport === null ? '' : ` from port ${t.sport}`} (${source})`}};
	// Without the source port, an older connection may match too: only one answer is an answer.
	const endpoints = new Set(matches.map(m => `${m.entry.reply.src}:${m.entry.reply.sport}`));
	if (endpoints.size > 1) return {ok: true, value: {entry: null, line: null, source, note: `${matches.length} conntrack entries for ${t.src} → ${t.dst}:${t.dport} name ${endpoints.size} endpoints, and the probe's tool does not tell its source port`}};
	return {ok: true, value: {entry: matches[0]!.entry, line: matches[0]!.line, source, note: null}};
}
