// A pod's connections as the kernel tracked them, told in the cluster's words: "web-0 → svc/cart:8080
// → served by cart-2 (10.244.2.7)". Pure: conntrack entries (source/node/conntrack/) plus who holds
// each address (pods by IP, Services by ClusterIP:port/protocol). An address nobody holds stays an
// address: a wrong name would be worse than none.

export interface ConntrackTuple {
	src: string;
	dst: string;
	/** Null for ICMP, which has type/code/id instead of ports. */
	sport: number | null;
	dport: number | null;
}

export interface ConntrackEntry {
	family: 'ipv4' | 'ipv6';
	protocol: string;
	/** Seconds until the kernel forgets it. */
	timeout: number;
	/** TCP's state (ESTABLISHED, TIME_WAIT…); null for the protocols without one. */
	state: string | null;
	orig: ConntrackTuple;
	reply: ConntrackTuple;
	assured: boolean;
	unreplied: boolean;
	mark: string | null;
	zone: number | null;
}

export interface FlowNames {
	/** IP → "ns/name" of the pod that has it. */
	pods: ReadonlyMap<string, string>;
	/** "ip:port/proto" (proto lowercase) → "ns/name" of the Service that has that ClusterIP port. */
	services: ReadonlyMap<string, string>;
}

export interface Flow {
	entry: ConntrackEntry;
	from: {ip: string; port: number | null; pod: string | null};
	/** Where the client sent it. */
	to: {ip: string; port: number | null; service: string | null; pod: string | null};
	/** Who answered, when the kernel rewrote the destination (DNAT): the reply's source. */
	servedBy: {ip: string; port: number | null; pod: string | null} | null;
	/** The source was rewritten (masquerade/SNAT): the address the server saw. */
	snatTo: string | null;
	text: string;
}

const shortPod = (ref: string | null) => (ref === null ? null : ref.slice(ref.indexOf('/') + 1));
const hostPort = (ip: string, port: number | null) => (port === null ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

export function describeFlow(e: ConntrackEntry, names: FlowNames): Flow {
	const service = e.orig.dport === null ? null : names.services.get(`${e.orig.dst}:${e.orig.dport}/${e.protocol}`) ?? null;
	const dnat = e.reply.src !== e.orig.dst || e.reply.sport !== e.orig.dport;
	const snat = e.reply.dst !== e.orig.src || e.reply.dport !== e.orig.sport;
	const from = {ip: e.orig.src, port: e.orig.sport, pod: names.pods.get(e.orig.src) ?? null};
	const to = {ip: e.orig.dst, port: e.orig.dport, service, pod: names.pods.get(e.orig.dst) ?? null};
	const servedBy = dnat ? {ip: e.reply.src, port: e.reply.sport, pod: names.pods.get(e.reply.src) ?? null} : null;
	const who = shortPod(from.pod) ?? from.ip;
	const where = service !== null ? `svc/${shortPod(service)}:${e.orig.dport}` : (shortPod(to.pod) ?? hostPort(to.ip, to.port));
	const served = servedBy === null ? '' : ` → served by ${servedBy.pod === null ? hostPort(servedBy.ip, servedBy.port) : `${shortPod(servedBy.pod)} (${servedBy.ip})`}`;
	const how = [e.protocol, e.state, e.unreplied ? 'no reply yet' : null].filter(Boolean).join(' ');
	return {entry: e, from, to, servedBy, snatTo: snat ? e.reply.dst : null, text: `${who} → ${where}${served} [${how}]`};
}

/** The flows `ip` started or answered, newest state first is the kernel's order: kept as read. */
export function podFlows(entries: readonly ConntrackEntry[], ip: string, names: FlowNames): Flow[] {
	return entries.filter((e) => e.orig.src === ip || e.reply.src === ip || e.orig.dst === ip).map((e) => describeFlow(e, names));
}
