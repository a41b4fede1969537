// One captured frame as the line `tcpdump -n -S` prints for it, for the headers the capture pane
// shows: the link (Ethernet with 802.1Q tags, Linux cooked v1/v2 for `-i any`), IPv4/IPv6, and
// TCP/UDP/ICMP/ICMPv6/ARP, and VXLAN on flannel's port (its inner frame, as `tcpdump -T vxlan`). What is not decoded gets tcpdump's fallback shape. Options, payload
// protocols (DNS, HTTP) and TCP's relative sequence numbers are left out: sequence numbers are
// absolute, as with -S. Pure, and run only for lines on screen (or printed), never per packet ingested.
import ipaddr from 'ipaddr.js';
import type {LineProtocol} from './ip-names.js';
import {LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2} from './pcap-stream.js';

export interface DecodedFrame {
	/** The line without its timestamp. */
	text: string;
	protocol: LineProtocol;
}

/** Names an `any` capture's interface index; null when it is not known (tcpdump prints `?` then). */
export type IfNameOf = (ifindex: number) => string | null;

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_ARP = 0x0806;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);
/** flannel's VXLAN port (the kernel's default is 8472 too): UDP to it is decoded as VXLAN. */
export const VXLAN_PORT = 8472;
const VXLAN_HEADER = 8;

/** HH:MM:SS.uuuuuu in local time, as tcpdump prints a timestamp. */
export function packetTime(seconds: number, micros: number): string {
	const d = new Date(seconds * 1000);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(micros).padStart(6, '0')}`;
}

/** Where the network layer starts in a frame, and its ethertype; null when the link type is not one we read. */
export function networkLayer(linkType: number, data: Buffer): {at: number; etherType: number; prefix: string; ifindex: number | null} | null {
	if (linkType === LINKTYPE_ETHERNET) {
		if (data.length < 14) return null;
		let at = 12;
		let etherType = data.readUInt16BE(at);
		while (VLAN_TAGS.has(etherType) && data.length >= at + 6) {
			at += 4;
			etherType = data.readUInt16BE(at);
		}
		return {at: at + 2, etherType, prefix: '', ifindex: null};
	}
	if (linkType === LINKTYPE_LINUX_SLL2) {
		if (data.length < 20) return null;
		return {at: 20, etherType: data.readUInt16BE(0), prefix: DIRECTIONS[data[10]!] ?? 'P   ', ifindex: data.readUInt32BE(4)};
	}
	if (linkType === LINKTYPE_LINUX_SLL) {
		if (data.length < 16) return null;
		return {at: 16, etherType: data.readUInt16BE(14), prefix: '', ifindex: null};
	}
	return null;
}

// tcpdump's names for Linux packet types (print-sll.c), padded as it pads them.
const DIRECTIONS: Record<number, string> = {0: 'In  ', 1: 'B   ', 2: 'M   ', 3: 'P   ', 4: 'Out '};

export function decodeFrame(linkType: number, data: Buffer, origLen: number, ifName: IfNameOf = () => null): DecodedFrame {
	const link = networkLayer(linkType, data);
	if (link === null) return {text: `link-type ${linkType}, length ${origLen}`, protocol: 'other'};
	const head = link.ifindex === null ? '' : `${(ifName(link.ifindex) ?? '?').padEnd(5)} ${link.prefix}`;
	const rest = network(link.etherType, data, link.at, origLen - link.at);
	return {text: head + rest.text, protocol: rest.protocol};
}

/** The IPv4/IPv6 source and destination of a frame (for naming them), or none. */
export function frameAddresses(linkType: number, data: Buffer): string[] {
	const link = networkLayer(linkType, data);
	if (link === null) return [];
	const at = link.at;
	if (link.etherType === ETH_IPV4 && data.length >= at + 20) return [ipv4(data, at + 12), ipv4(data, at + 16)];
	if (link.etherType === ETH_IPV6 && data.length >= at + 40) return [ipv6(data, at + 8), ipv6(data, at + 24)];
	return [];
}

function network(etherType: number, data: Buffer, at: number, length: number): DecodedFrame {
	if (etherType === ETH_IPV4) return ip4Packet(data, at);
	if (etherType === ETH_IPV6) return ip6Packet(data, at);
	if (etherType === ETH_ARP) return {text: arp(data, at, length), protocol: 'arp'};
	return {text: `ethertype Unknown (0x${etherType.toString(16).padStart(4, '0')}), length ${length}`, protocol: 'other'};
}

/** The IPv4 address at `at`, dotted. */
export function ipv4(data: Buffer, at: number): string {
	return `${data[at]}.${data[at + 1]}.${data[at + 2]}.${data[at + 3]}`;
}

/** The IPv6 address at `at`, RFC 5952. */
export function ipv6(data: Buffer, at: number): string {
	return new ipaddr.IPv6([...data.subarray(at, at + 16)]).toRFC5952String();
}

function mac(data: Buffer, at: number): string {
	return [...data.subarray(at, at + 6)].map(b => b.toString(16).padStart(2, '0')).join(':');
}

const TRUNCATED = {text: '[|ip]', protocol: 'other'} as const;

function ip4Packet(data: Buffer, at: number): DecodedFrame {
	if (data.length < at + 20) return TRUNCATED;
	const ihl = (data[at]! & 0x0f) * 4;
	const total = data.readUInt16BE(at + 2);
	const fragment = data.readUInt16BE(at + 6) & 0x1fff;
	const proto = data[at + 9]!;
	const src = ipv4(data, at + 12);
	const dst = ipv4(data, at + 16);
	const payload = total - ihl;
	if (fragment !== 0) return {text: `IP ${src} > ${dst}: ip-proto-${proto}`, protocol: 'other'};
	return transport('IP', proto, src, dst, data, at + ihl, payload);
}

// Extension headers tcpdump names before the transport (hop-by-hop shows as "HBH").
const IPV6_EXTENSIONS: Record<number, string> = {0: 'HBH ', 43: '', 60: 'DSTOPT '};

function ip6Packet(data: Buffer, at: number): DecodedFrame {
	if (data.length < at + 40) return TRUNCATED;
	let next = data[at + 6]!;
	let payload = data.readUInt16BE(at + 4);
	const src = ipv6(data, at + 8);
	const dst = ipv6(data, at + 24);
	let offset = at + 40;
	let names = '';
	while (IPV6_EXTENSIONS[next] !== undefined && data.length >= offset + 2) {
		names += IPV6_EXTENSIONS[next];
		const size = (data[offset + 1]! + 1) * 8;
		next = data[offset]!;
		offset += size;
		payload -= size;
	}
	return transport('IP6', next, src, dst, data, offset, payload, names);
}

/** `extensions`: the IPv6 extension headers' names, which tcpdump puts before the transport's text. */
function transport(family: 'IP' | 'IP6', proto: number, src: string, dst: string, data: Buffer, at: number, length: number, extensions = ''): DecodedFrame {
	const shown = (from: string, to: string, text: string) => `${family} ${from} > ${to}: ${extensions}${text}`;
	if (proto === 6 && data.length >= at + 20) {
		const sport = data.readUInt16BE(at);
		const dport = data.readUInt16BE(at + 2);
		return {text: shown(`${src}.${sport}`, `${dst}.${dport}`, tcp(data, at, length)), protocol: sport === 53 || dport === 53 ? 'dns' : 'tcp'};
	}
	if (proto === 17 && data.length >= at + 8) {
		const sport = data.readUInt16BE(at);
		const dport = data.readUInt16BE(at + 2);
		const udpLength = data.readUInt16BE(at + 4) - 8;
		const vxlan = vxlanAt(data, at, dport);
		if (vxlan !== null) {
			const inner = decodeFrame(LINKTYPE_ETHERNET, data.subarray(vxlan.inner), udpLength - VXLAN_HEADER);
			return {text: shown(`${src}.${sport}`, `${dst}.${dport}`, `VXLAN, flags [I] (0x08), VNI ${vxlan.vni} | ${inner.text}`), protocol: inner.protocol};
		}
		return {text: shown(`${src}.${sport}`, `${dst}.${dport}`, `UDP, length ${udpLength}`), protocol: sport === 53 || dport === 53 ? 'dns' : 'udp'};
	}
	if (proto === 1 && family === 'IP' && data.length >= at + 8) return {text: shown(src, dst, icmp(data, at, length)), protocol: 'icmp'};
	if (proto === 58 && family === 'IP6' && data.length >= at + 8) return {text: shown(src, dst, icmp6(data, at, length)), protocol: 'icmp'};
	if (proto === 2 && family === 'IP') return {text: shown(src, dst, 'igmp'), protocol: 'other'};
	return {text: shown(src, dst, `ip-proto-${proto} ${length}`), protocol: 'other'};
}

/**
 * The VXLAN header of a UDP datagram at `udpAt` sent to flannel's port: its VNI, and where the
 * inner Ethernet frame starts. null when it is not VXLAN (another port, the I flag unset, cut short).
 */
export function vxlanAt(data: Buffer, udpAt: number, dport: number): {vni: number; inner: number} | null {
	const header = udpAt + 8;
	if (dport !== VXLAN_PORT || data.length < header + VXLAN_HEADER + 14 || (data[header]! & 0x08) === 0) return null;
	return {vni: data.readUIntBE(header + 4, 3), inner: header + VXLAN_HEADER};
}

// tcpdump's order of the flag letters (print-tcp.c tcp_flag_values).
const TCP_FLAGS: Array<[number, string]> = [[0x01, 'F'], [0x02, 'S'], [0x04, 'R'], [0x08, 'P'], [0x10, '.'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W']];

function tcp(data: Buffer, at: number, length: number): string {
	const seq = data.readUInt32BE(at + 4);
	const ack = data.readUInt32BE(at + 8);
	const headerLength = (data[at + 12]! >> 4) * 4;
	const flags = data[at + 13]!;
	const win = data.readUInt16BE(at + 14);
	const dataLength = length - headerLength;
	const letters = TCP_FLAGS.filter(([bit]) => (flags & bit) !== 0).map(([, letter]) => letter).join('') || 'none';
	let text = `Flags [${letters}]`;
	if (dataLength > 0 || (flags & 0x07) !== 0) text += `, seq ${seq}${dataLength > 0 ? `:${(seq + dataLength) >>> 0}` : ''}`;
	if ((flags & 0x10) !== 0) text += `, ack ${ack}`;
	text += `, win ${win}`;
	if ((flags & 0x20) !== 0) text += `, urg ${data.readUInt16BE(at + 18)}`;
	return `${text}, length ${dataLength}`;
}

/** The port a quoted packet (inside an ICMP error) was sent to, as tcpdump names it. */
function quotedPort(data: Buffer, at: number, family: 'IP' | 'IP6'): {dst: string; proto: string; port: number} | null {
	if (family === 'IP') {
		if (data.length < at + 24) return null;
		const ihl = (data[at]! & 0x0f) * 4;
		const proto = data[at + 9] === 17 ? 'udp' : data[at + 9] === 6 ? 'tcp' : null;
		if (proto === null || data.length < at + ihl + 4) return null;
		return {dst: ipv4(data, at + 16), proto, port: data.readUInt16BE(at + ihl + 2)};
	}
	if (data.length < at + 44) return null;
	const proto = data[at + 6] === 17 ? 'udp' : data[at + 6] === 6 ? 'tcp' : null;
	if (proto === null) return null;
	return {dst: ipv6(data, at + 24), proto, port: data.readUInt16BE(at + 42)};
}

function icmp(data: Buffer, at: number, length: number): string {
	const type = data[at]!;
	const code = data[at + 1]!;
	const echo = () => `id ${data.readUInt16BE(at + 4)}, seq ${data.readUInt16BE(at + 6)}, length ${length}`;
	if (type === 8) return `ICMP echo request, ${echo()}`;
	if (type === 0) return `ICMP echo reply, ${echo()}`;
	if (type === 3) {
		const quoted = quotedPort(data, at + 8, 'IP');
		if (code === 3 && quoted !== null) return `ICMP ${quoted.dst} ${quoted.proto} port ${quoted.port} unreachable, length ${length}`;
		const what = ['net', 'host', 'protocol'][code];
		const dst = data.length >= at + 28 ? ipv4(data, at + 24) : '?';
		return what === undefined ? `ICMP ${dst} unreachable - code ${code}, length ${length}` : `ICMP ${what} ${dst} unreachable, length ${length}`;
	}
	if (type === 11) return `ICMP time exceeded in-transit, length ${length}`;
	return `ICMP type-#${type}, length ${length}`;
}

function icmp6(data: Buffer, at: number, length: number): string {
	const type = data[at]!;
	const code = data[at + 1]!;
	const target = () => (data.length >= at + 24 ? ipv6(data, at + 8) : '?');
	let what: string;
	switch (type) {
		case 128:
		case 129:
			what = `echo ${type === 128 ? 'request' : 'reply'}, id ${data.readUInt16BE(at + 4)}, seq ${data.readUInt16BE(at + 6)}`;
			break;
		case 133:
			what = 'router solicitation';
			break;
		case 134:
			what = 'router advertisement';
			break;
		case 135:
			what = `neighbor solicitation, who has ${target()}`;
			break;
		case 136:
			what = `neighbor advertisement, tgt is ${target()}`;
			break;
		case 143:
			what = `multicast listener report v2, ${data.length >= at + 8 ? data.readUInt16BE(at + 6) : 0} group record(s)`;
			break;
		case 1: {
			const quoted = quotedPort(data, at + 8, 'IP6');
			what = code === 4 && quoted !== null ? `destination unreachable, unreachable port, ${quoted.dst} ${quoted.proto} port ${quoted.port}` : `destination unreachable, code ${code}`;
			break;
		}
		case 3:
			what = 'time exceeded in-transit';
			break;
		default:
			what = `type ${type}`;
	}
	return `ICMP6, ${what}, length ${length}`;
}

function arp(data: Buffer, at: number, length: number): string {
	if (data.length < at + 28 || data.readUInt16BE(at + 2) !== ETH_IPV4) return `ARP, length ${length}`;
	const op = data.readUInt16BE(at + 6);
	const sender = ipv4(data, at + 14);
	const target = ipv4(data, at + 24);
	if (op === 1) return `ARP, Request who-has ${target} tell ${sender}, length ${length}`;
	if (op === 2) return `ARP, Reply ${sender} is-at ${mac(data, at + 8)}, length ${length}`;
	return `ARP, op ${op}, length ${length}`;
}
