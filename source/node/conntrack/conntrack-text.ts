// The kernel's connection tracking table as text: /proc/net/nf_conntrack, and `conntrack -L -o
// extended`, which prints the same lines (the layer-3 name and number first). Each line is the
// original tuple, then the reply tuple; where they differ the connection went through NAT, and
// for a Service the reply's source is the endpoint the kernel chose.
import type {ConntrackEntry, ConntrackTuple} from '../../core/flows.js';

const L4 = new Set(['tcp', 'udp', 'icmp', 'sctp', 'icmpv6', 'udplite', 'dccp', 'gre']);

function tuple(fields: Map<string, string>): ConntrackTuple | null {
	const src = fields.get('src');
	const dst = fields.get('dst');
	if (src === undefined || dst === undefined) return null;
	const num = (k: string) => (fields.has(k) ? Number(fields.get(k)) : null);
	return {src, dst, sport: num('sport'), dport: num('dport')};
}

/** One line, or null for anything that is not a conntrack entry. */
export function parseConntrackLine(line: string): ConntrackEntry | null {
	const words = line.trim().split(/\s+/);
	// "ipv4 2 tcp 6 117 ESTABLISHED src=..." ; the family pair is absent in `conntrack -L`'s default output.
	let i = 0;
	if (words[0] === 'ipv4' || words[0] === 'ipv6') i = 2;
	const protocol = words[i];
	if (protocol === undefined || !L4.has(protocol)) return null;
	const timeout = Number(words[i + 2]);
	if (!Number.isInteger(timeout)) return null;
	let state: string | null = null;
	let at = i + 3;
	if (words[at] !== undefined && /^[A-Z_]+$/.test(words[at] as string)) state = words[at++] as string;
	const tuples: Array<Map<string, string>> = [new Map()];
	const flags = new Set<string>();
	const extra = new Map<string, string>();
	for (const w of words.slice(at)) {
		if (w.startsWith('[') && w.endsWith(']')) {
			flags.add(w.slice(1, -1));
			continue;
		}

		const eq = w.indexOf('=');
		if (eq <= 0) continue;
		const k = w.slice(0, eq);
		const v = w.slice(eq + 1);
		const current = tuples[tuples.length - 1] as Map<string, string>;
		// A second src= starts the reply tuple; mark, zone, use and the like follow both.
		if (k === 'src' && current.has('src')) tuples.push(new Map([[k, v]]));
		else if (['src', 'dst', 'sport', 'dport', 'type', 'code', 'id'].includes(k)) current.set(k, v);
		else extra.set(k, v);
	}

	const orig = tuple(tuples[0] as Map<string, string>);
	const reply = tuples[1] === undefined ? null : tuple(tuples[1]);
	if (orig === null || reply === null) return null;
	return {
		family: words[0] === 'ipv6' || orig.src.includes(':') ? 'ipv6' : 'ipv4',
		protocol,
		timeout,
		state,
		orig,
		reply,
		assured: flags.has('ASSURED'),
		unreplied: flags.has('UNREPLIED'),
		mark: extra.get('mark') ?? null,
		zone: extra.has('zone') ? Number(extra.get('zone')) : null,
	};
}

export function parseConntrack(text: string): ConntrackEntry[] {
	const out: ConntrackEntry[] = [];
	for (const line of text.split('\n')) {
		const e = parseConntrackLine(line);
		if (e !== null) out.push(e);
	}

	return out;
}
