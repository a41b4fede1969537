// "Sent at point 1, not seen at point 2": the requests from A to B one capture saw, matched against
// what a second capture further along the path saw. Requests only (ICMP echo requests, TCP segments
// that carry data or SYN/FIN, UDP datagrams), each matched by what stays the same between two hops:
// ICMP by id + seq, TCP by the sequence range within its 5-tuple, UDP by a hash of its payload
// (IPv4 id is 0 on DF packets, so it tells nothing). A DNAT between the points changes the tuple:
// both sides are keyed by the translated tuple where the translations (conntrack's) say so. A frame
// seen VXLAN-encapsulated is matched on its inner packet. A request counts as lost only once the
// window has passed with no match. Pure: frames and clock readings in, counts out.
import {ipv4, ipv6, networkLayer, vxlanAt} from './pcap-decode.js';
import {LINKTYPE_ETHERNET} from './pcap-stream.js';
import {canonicalIp} from './pod-ip.js';

export type FlowProto = 'tcp' | 'udp' | 'icmp';

/** A connection as conntrack names it. For ICMP both ports are the echo id (conntrack keys it so). */
export interface FlowTuple {
	proto: FlowProto;
	src: string;
	dst: string;
	sport: number;
	dport: number;
}

/** One string per tuple, the key of a translation map. Addresses must be canonical (canonicalIp). */
export function tupleKey(t: FlowTuple): string {
	return `${t.proto} ${t.src}.${t.sport} > ${t.dst}.${t.dport}`;
}

/** Original tuple's key → the tuple it is translated to (DNAT, SNAT), as conntrack reports it. */
export type Translations = ReadonlyMap<string, FlowTuple>;

/** One request as it can be recognised at another hop. */
export interface RequestPacket {
	tuple: FlowTuple;
	/** ICMP: "id:seq"; UDP: the payload's hash; TCP: "" (the range matches). */
	id: string;
	/** TCP only: the sequence range [start, end), a SYN or FIN taking one number. */
	range: {start: number; end: number} | null;
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;

/** FNV-1a, 32 bits: cheap, and enough to tell datagrams of one flow apart within two seconds. */
function payloadHash(data: Buffer, from: number, to: number): string {
	let h = 0x811c9dc5;
	for (let i = from; i < to; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
	return `${to - from}:${(h >>> 0).toString(16)}`;
}

/** The request a frame carries (looking inside VXLAN), or null when it carries none. */
export function requestOf(linkType: number, data: Buffer): RequestPacket | null {
	const link = networkLayer(linkType, data);
	if (link === null) return null;
	let at = link.at;
	let src: string;
	let dst: string;
	let proto: number;
	let end: number;
	if (link.etherType === ETH_IPV4 && data.length >= at + 20) {
		if ((data.readUInt16BE(at + 6) & 0x1fff) !== 0) return null;
		proto = data[at + 9]!;
		src = ipv4(data, at + 12);
		dst = ipv4(data, at + 16);
		end = Math.min(data.length, at + data.readUInt16BE(at + 2));
		at += (data[at]! & 0x0f) * 4;
	} else if (link.etherType === ETH_IPV6 && data.length >= at + 40) {
		proto = data[at + 6]!;
		src = ipv6(data, at + 8);
		dst = ipv6(data, at + 24);
		end = Math.min(data.length, at + 40 + data.readUInt16BE(at + 4));
		at += 40;
	} else {
		return null;
	}

	if (proto === 17 && data.length >= at + 8) {
		const sport = data.readUInt16BE(at);
		const dport = data.readUInt16BE(at + 2);
		const vxlan = vxlanAt(data, at, dport);
		if (vxlan !== null) return requestOf(LINKTYPE_ETHERNET, data.subarray(vxlan.inner));
		return {tuple: {proto: 'udp', src, dst, sport, dport}, id: payloadHash(data, at + 8, end), range: null};
	}

	if (proto === 6 && data.length >= at + 20) {
		const sport = data.readUInt16BE(at);
		const dport = data.readUInt16BE(at + 2);
		const seq = data.readUInt32BE(at + 4);
		const flags = data[at + 13]!;
		const length = end - at - (data[at + 12]! >> 4) * 4 + ((flags & 0x03) === 0 ? 0 : 1);
		// A bare ACK repeats its sequence number: nothing in it tells one from the next.
		if (length <= 0) return null;
		return {tuple: {proto: 'tcp', src, dst, sport, dport}, id: '', range: {start: seq, end: seq + length}};
	}

	const echoRequest = (proto === 1 && data[at] === 8) || (proto === 58 && data[at] === 128);
	if (echoRequest && data.length >= at + 8) {
		const id = data.readUInt16BE(at + 4);
		return {tuple: {proto: 'icmp', src, dst, sport: id, dport: id}, id: `${id}:${data.readUInt16BE(at + 6)}`, range: null};
	}

	return null;
}

/** Whether [inner) lies within [outer), in TCP's modular sequence space. */
function covers(outer: {start: number; end: number}, inner: {start: number; end: number}): boolean {
	const from = (inner.start - outer.start) >>> 0;
	const to = (inner.end - outer.start) >>> 0;
	const size = (outer.end - outer.start) >>> 0;
	return from < size && to <= size && to > from;
}

export interface CorrelatorOptions {
	/** A's addresses: requests come from these. */
	from: readonly string[];
	/** B's addresses: requests go to these (after translation). */
	to: readonly string[];
	translations?: Translations;
	/** How long a request may take from point 1 to point 2 (2 s). */
	windowMs?: number;
	/** What "recent" losses are (60 s). */
	recentMs?: number;
}

export interface LossCounts {
	/** Requests seen at point 1. */
	sent: number;
	/** Of those, seen at point 2 within the window. */
	matched: number;
	/** Of those, not seen at point 2 within the window. */
	lost: number;
	/** Lost within the last recentMs. */
	lostRecent: number;
	/** Still within their window. */
	pending: number;
	windowMs: number;
	recentMs: number;
}

interface Seen {
	at: number;
	request: RequestPacket;
}

export const CORRELATION_WINDOW_MS = 2000;
const RECENT_MS = 60_000;

export class LossCorrelator {
	private readonly from: Set<string>;
	private readonly to: Set<string>;
	private translations: Translations;
	private readonly windowMs: number;
	private readonly recentMs: number;
	/** By flow key: requests at point 1 waiting for point 2, and point 2's sightings not matched yet. */
	private readonly waiting = new Map<string, Seen[]>();
	private readonly early = new Map<string, Seen[]>();
	/** When each loss was settled (epoch ms), for the recent count. */
	private losses: number[] = [];
	private sent = 0;
	private matched = 0;
	private lost = 0;

	constructor(o: CorrelatorOptions) {
		const canonical = (ips: readonly string[]) => new Set(ips.map(ip => canonicalIp(ip)).filter((ip): ip is string => ip !== null));
		this.from = canonical(o.from);
		this.to = canonical(o.to);
		this.translations = o.translations ?? new Map();
		this.windowMs = o.windowMs ?? CORRELATION_WINDOW_MS;
		this.recentMs = o.recentMs ?? RECENT_MS;
	}

	/** conntrack's view changes as connections come and go. */
	setTranslations(translations: Translations): void {
		this.translations = translations;
	}

	/** A frame captured at `point`, at epoch ms `at` (the packet's own timestamp). */
	seen(point: 1 | 2, linkType: number, data: Buffer, at: number): void {
		const raw = requestOf(linkType, data);
		if (raw === null) return;
		const tuple = this.translations.get(tupleKey(raw.tuple)) ?? raw.tuple;
		if (!this.from.has(raw.tuple.src) || !(this.to.has(tuple.dst) || this.to.has(raw.tuple.dst))) return;
		const request = {...raw, tuple};
		const key = tupleKey(tuple);
		if (point === 1) {
			this.sent++;
			if (this.takeEarly(key, request, at)) this.matched++;
			else push(this.waiting, key, {at, request});
		} else {
			this.matchWaiting(key, request, at);
		}
	}

	private same(a: RequestPacket, b: RequestPacket): boolean {
		return a.range === null || b.range === null ? a.id === b.id : covers(a.range, b.range);
	}

	/** Point 2 saw it before point 1's copy arrived here (two streams, two pipes). */
	private takeEarly(key: string, request: RequestPacket, at: number): boolean {
		const list = this.early.get(key);
		const i = list?.findIndex(s => Math.abs(s.at - at) <= this.windowMs && this.same(s.request, request)) ?? -1;
		if (i < 0) return false;
		// One TCP segment at point 2 may carry several of point 1's (GRO): it stays for the others.
		if (request.range === null) list!.splice(i, 1);
		return true;
	}

	private matchWaiting(key: string, request: RequestPacket, at: number): void {
		const list = this.waiting.get(key) ?? [];
		const fits = (s: Seen) => at - s.at <= this.windowMs && s.at - at <= this.windowMs && this.same(request, s.request);
		if (request.range === null) {
			const i = list.findIndex(fits);
			if (i >= 0) {
				list.splice(i, 1);
				this.matched++;
				return;
			}
		} else {
			const kept = list.filter(s => !fits(s));
			this.matched += list.length - kept.length;
			if (kept.length > 0) this.waiting.set(key, kept);
			else this.waiting.delete(key);
			if (kept.length < list.length) return;
		}

		push(this.early, key, {at, request});
	}

	/** Settles every request whose window has passed by `now` (epoch ms): unmatched ones are lost. */
	advance(now: number): void {
		for (const [key, list] of this.waiting) {
			const kept = list.filter(s => s.at + this.windowMs >= now);
			for (const s of list) if (s.at + this.windowMs < now) this.losses.push(s.at + this.windowMs);
			this.lost += list.length - kept.length;
			if (kept.length > 0) this.waiting.set(key, kept);
			else this.waiting.delete(key);
		}

		for (const [key, list] of this.early) {
			const kept = list.filter(s => s.at + this.windowMs >= now);
			if (kept.length > 0) this.early.set(key, kept);
			else this.early.delete(key);
		}

		this.losses = this.losses.filter(t => t >= now - this.recentMs);
	}

	counts(): LossCounts {
		let pending = 0;
		for (const list of this.waiting.values()) pending += list.length;
		return {sent: this.sent, matched: this.matched, lost: this.lost, lostRecent: this.losses.length, pending, windowMs: this.windowMs, recentMs: this.recentMs};
	}
}

function push(map: Map<string, Seen[]>, key: string, seen: Seen): void {
	const list = map.get(key);
	if (list) list.push(seen);
	else map.set(key, [seen]);
}
