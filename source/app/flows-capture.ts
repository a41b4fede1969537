// The tcpdump filter for one conntrack flow, as seen at the pod's own interface (its host-side
// veth), where no node netfilter has touched the packet yet. Which tuple is on the wire there
// depends on the pod's side of the flow:
// - the pod started it (orig.src): its veth carries the ORIGINAL tuple, pre-DNAT (pod → ClusterIP:port
//   out, ClusterIP:port → pod back, the kernel having undone the DNAT on the reply);
// - the pod answered it (reply.src: DNATed to it, or reached directly): its veth carries the REPLY
//   tuple reversed, post-DNAT and post-SNAT (client or masquerade address → pod:targetPort);
// - a pod reaching itself through its own Service (hairpin): both, one after the other.
// Every address is re-validated and every port checked: the flow came from the node's text.
import type {ConntrackEntry, ConntrackTuple} from '../core/flows.js';
import {canonicalIp} from '../core/pod-ip.js';
import type {Result} from '../core/types.js';

const PROTOCOLS: Readonly<Record<string, string>> = {tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp', icmpv6: 'icmp6'};

const isPort = (p: number | null): p is number => p !== null && Number.isInteger(p) && p >= 1 && p <= 65_535;

/** Both directions of one tuple: "(src host A and src port a and dst host B and dst port b) or (…back)". */
function bothWays(t: ConntrackTuple, ports: boolean): Result<string> {
	const src = canonicalIp(t.src);
	const dst = canonicalIp(t.dst);
	if (src === null || dst === null) return {ok: false, reason: `the flow's address ${JSON.stringify(src === null ? t.src : t.dst)} is not an IP address`, hint: 'nothing was started; the conntrack line was not understood'};
	if (!ports) return {ok: true, value: `(host ${src} and host ${dst})`};
	if (!isPort(t.sport) || !isPort(t.dport)) return {ok: false, reason: `the flow's ports ${String(t.sport)}/${String(t.dport)} are not port numbers`, hint: 'nothing was started; the conntrack line was not understood'};
	const way = (a: string, ap: number, b: string, bp: number) => `(src host ${a} and src port ${ap} and dst host ${b} and dst port ${bp})`;
	return {ok: true, value: `${way(src, t.sport, dst, t.dport)} or ${way(dst, t.dport, src, t.sport)}`};
}

/** The BPF expression for the flow at the pod's veth, for the pod holding one of `podIps`. */
export function flowCaptureExpression(e: ConntrackEntry, podIps: readonly string[]): Result<string> {
	const proto = PROTOCOLS[e.protocol];
	if (proto === undefined) return {ok: false, reason: `a ${e.protocol} flow cannot be filtered by tuple`, hint: 'capture the pod with t and filter by hand'};
	const ips = new Set(podIps.map(ip => canonicalIp(ip)).filter(ip => ip !== null));
	const ports = proto !== 'icmp' && proto !== 'icmp6';
	const tuples: ConntrackTuple[] = [];
	if (ips.has(canonicalIp(e.orig.src) ?? '')) tuples.push(e.orig);
	if (ips.has(canonicalIp(e.reply.src) ?? '')) tuples.push(e.reply);
	if (tuples.length === 0 && ips.has(canonicalIp(e.orig.dst) ?? '')) tuples.push(e.orig);
	if (tuples.length === 0) return {ok: false, reason: 'this flow holds none of the pod\'s addresses', hint: 'the pod\'s IP changed since the flow was read; press r'};
	const parts: string[] = [];
	for (const t of tuples) {
		const part = bothWays(t, ports);
		if (!part.ok) return part;
		parts.push(part.value);
	}

	return {ok: true, value: `${proto} and (${parts.join(' or ')})`};
}
