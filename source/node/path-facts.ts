// Everything the path needs from one node, in one round trip: a single `sh -c SCRIPT` that prints
// the node's links (state, MTU, counters, VXLAN details, bridge port state), neighbours, fdb,
// bridge ports, rp_filter, nft's ruleset, the pods' interfaces (nsenter into their netns), and each
// forwarding decision as `ip -j route get`. Every value reaches the script as a positional
// parameter, validated first: nothing from the cluster is ever part of the script's text.
import {canonicalIp} from '../core/pod-ip.js';
import type {FactsRequest, NodePathFacts} from '../core/path/types.js';
import type {Result} from '../core/types.js';
import type {NodeShell} from './node-shell.js';
import {parsePathFacts} from './path-facts-parse.js';

// $1 $2: the flow (protocol, port, or -), checked against fixed sets before it comes in.
export const PATH_FACTS_SCRIPT = `sec() { echo; echo "@@$1"; }
flow=; [ "$1" = - ] || flow="ipproto $1"; [ "$2" = - ] || flow="$flow dport $2"; shift 2
sec addr; ip -j -d -s addr show 2>&1
sec neigh; ip -j neigh show 2>&1
sec fdb; bridge -j fdb show 2>&1
sec brlink; bridge -j -d link show 2>&1
sec sysctl; grep -H . /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null
sec nft; nft -j list ruleset 2>&1
while [ $# -gt 0 ]; do
	case $1 in
	pod) sec pod; nsenter --net="$2" ip -j -d -s addr show 2>&1; shift 2 ;;
	rules) sec iptnat; iptables-save -t nat 2>&1; sec iptfilter; iptables-save -t filter 2>&1; shift ;;
	get)
		sec get
		if [ "$2" = - ] && [ "$5" = - ]; then ip -j route get "$3" from "$4" $flow 2>&1
		elif [ "$2" = - ]; then ip -j route get "$3" from "$4" iif "$5" $flow 2>&1
		else nsenter --net="$2" ip -j route get "$3" from "$4" $flow 2>&1; fi || {
			# Refused: the routes holding DST name a blackhole or unreachable one; the way back to SRC tells rp_filter's drop.
			if [ "$2" = - ]; then sec plain; ip -j route show to match "$3" 2>&1; sec back; ip -j route get "$4" 2>&1; fi
		}
		shift 5 ;;
	*) exit 2 ;;
	esac
done
echo; echo @@end`;

const PROTOS = new Set(['tcp', 'udp', 'sctp', 'icmp']);
const NETNS_PATH = /^\/(?:run\/netns\/[\w.-]+|proc\/[1-9]\d*\/ns\/net)$/;
/** A kernel interface name, never one ip could read as an option or keyword. */
const IFNAME = /^[A-Za-z0-9_][\w.:@-]{0,14}$/;

/** The script's argv, or why a value may not go in. */
export function factsArgv(request: FactsRequest): Result<string[]> {
	const flow = request.flow ?? null;
	const bad = (what: string, value: string): Result<string[]> => ({ok: false, reason: `not a valid ${what}: ${JSON.stringify(value)}`, hint: 'the path asks the kernel only about addresses, interfaces and namespaces it has validated'});
	if (flow !== null && !PROTOS.has(flow.proto)) return bad('protocol', flow.proto);
	if (flow?.port != null && (!Number.isInteger(flow.port) || flow.port < 1 || flow.port > 65_535)) return bad('port', String(flow.port));
	const argv = ['sh', '-c', PATH_FACTS_SCRIPT, 'sh', flow?.proto ?? '-', flow?.port != null ? String(flow.port) : '-'];
	if (request.serviceRules === true) argv.push('rules');
	for (const path of request.pods) {
		if (!NETNS_PATH.test(path)) return bad('netns path', path);
		argv.push('pod', path);
	}

	for (const d of request.decisions) {
		const dst = canonicalIp(d.dst);
		const src = canonicalIp(d.src);
		if (dst === null) return bad('IP', d.dst);
		if (src === null) return bad('IP', d.src);
		if (d.netnsPath !== null && !NETNS_PATH.test(d.netnsPath)) return bad('netns path', d.netnsPath);
		if (d.iif !== null && !IFNAME.test(d.iif)) return bad('interface name', d.iif);
		argv.push('get', d.netnsPath ?? '-', dst, src, d.iif ?? '-');
	}

	return {ok: true, value: argv};
}

export async function readPathFacts(shell: NodeShell, node: string, request: FactsRequest, timeoutMs = 10_000): Promise<Result<NodePathFacts>> {
	const argv = factsArgv(request);
	if (!argv.ok) return argv;
	const result = await shell.run(argv.value, {timeoutMs});
	if (result.failure) return {ok: false, reason: `cannot read node ${node}: ${result.failure}`, hint: 'the node needs sh and iproute2 (ip, bridge)'};
	if (result.exitCode !== 0 || !result.stdout.includes('\n@@end')) {
		const first = result.stderr.trim().split('\n')[0] ?? '';
		return {ok: false, reason: `the path facts script on node ${node} stopped (exit ${result.exitCode})${first ? `: ${first}` : ''}`, hint: 'the node needs sh, iproute2 and nsenter'};
	}

	return parsePathFacts(node, request, result.stdout);
}
