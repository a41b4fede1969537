// Names for the addresses in tcpdump's text: each IP that belongs to a known pod gets its
// namespace/name, each node address the node's name. tcpdump -n prints ports glued to the address
// with a dot (10.0.0.2.53, fd00::2.53), so the port is split off before the lookup.
import {canonicalIp} from './pod-ip.js';
import type {PodPath} from './types.js';

export type IpNames = ReadonlyMap<string, string>;

export function buildIpNames(pods: readonly PodPath[], nodes: ReadonlyArray<{name: string; ips: readonly string[]}> = []): IpNames {
	const names = new Map<string, string>();
	for (const node of nodes) {
		for (const raw of node.ips) {
			const ip = canonicalIp(raw);
			if (ip !== null) names.set(ip, node.name);
		}
	}
	// Pods win over nodes: a hostNetwork pod shares the node's IP, and the node name says more there.
	for (const pod of pods) {
		// A finished pod's IP may be a live pod's now: only the live one names it.
		if (pod.hostNetwork || pod.status === 'completed') continue;
		for (const raw of pod.ips) {
			const ip = canonicalIp(raw);
			if (ip !== null) names.set(ip, `${pod.namespace}/${pod.name}`);
		}
	}
	return names;
}

// IPv4 with an optional .port. The lookarounds keep longer dotted numbers from matching.
const IPV4 = /(?<![\w.:])(\d{1,3}(?:\.\d{1,3}){3})(\.\d{1,5})?(?![\w.])/g;
// IPv6 as hex groups with at least two colons and an optional .port. Timestamps (18:25:00) and
// MACs match too, but they are never in the map. A single trailing colon is tcpdump's separator.
const IPV6 = /(?<![\w:.])([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(\.\d{1,5})?(?![\w:])/gi;

function annotator(names: IpNames) {
	return (whole: string, address: string, port: string | undefined): string => {
		const separator = port === undefined && /[^:]:$/.test(address) ? ':' : '';
		const ip = separator === '' ? address : address.slice(0, -1);
		const name = names.get(ip) ?? names.get(ip.toLowerCase());
		return name === undefined ? whole : `${ip}${port ?? ''}[${name}]${separator}`;
	};
}

/** The line with `[ns/pod]` after every address that has a name. */
export function annotateLine(line: string, names: IpNames): string {
	if (names.size === 0) return line;
	const replace = annotator(names);
	const v4 = line.replace(IPV4, replace);
	return v4.includes('::') || /[0-9a-f]:[0-9a-f]+:[0-9a-f]+:/i.test(v4) ? v4.replace(IPV6, replace) : v4;
}

export type LineProtocol = 'icmp' | 'tcp' | 'udp' | 'dns' | 'arp' | 'other';

/** A rough protocol class for colouring a tcpdump -n line. */
export function lineProtocol(line: string): LineProtocol {
	if (/\bICMP6?\b/.test(line)) return 'icmp';
	if (/\bARP\b/.test(line)) return 'arp';
	if (/\.53[:\s]/.test(line) || /\bdomain\b/.test(line)) return 'dns';
	if (/\bFlags \[/.test(line) || /\btcp\b/.test(line)) return 'tcp';
	if (/\bUDP\b/.test(line) || /\budp\b/i.test(line)) return 'udp';
	return 'other';
}
