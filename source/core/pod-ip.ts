// The only gate between an IP string from the API and anything that runs a command, builds a
// filter or names an address: a strict parse, returning the canonical form, or null.
import ipaddr from 'ipaddr.js';

/**
 * Canonical text of an IPv4 (dotted quad, no octal/hex/short forms) or IPv6 address (no zone id,
 * RFC 5952), or null when `raw` is anything else.
 */
export function canonicalIp(raw: string): string | null {
	const text = raw.trim();
	if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
	if (text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text).toRFC5952String();
	return null;
}

/** A parsed route destination or CIDR, for matching many addresses against many prefixes cheaply. */
export interface Prefix {
	kind: 'ipv4' | 'ipv6';
	network: ipaddr.IPv4 | ipaddr.IPv6;
	bits: number;
}

/** "10.244.0.0/16", "10.244.0.5" (a host), "fd00::/64"; null for "default" and anything else. */
export function parsePrefix(text: string): Prefix | null {
	try {
		if (text.includes('/')) {
			const [network, bits] = ipaddr.parseCIDR(text);
			return {kind: network.kind(), network, bits};
		}

		const network = ipaddr.parse(text);
		return {kind: network.kind(), network, bits: network.kind() === 'ipv4' ? 32 : 128};
	} catch {
		return null;
	}
}

/** A test "does this prefix hold `address`", with the address parsed once. */
export function prefixMatcher(address: string): (prefix: Prefix) => boolean {
	let ip: ipaddr.IPv4 | ipaddr.IPv6;
	try {
		ip = ipaddr.parse(address);
	} catch {
		return () => false;
	}

	// Both sides have the same kind, so match() is safe; the cast only satisfies its overloads.
	return prefix => prefix.kind === ip.kind() && (ip as ipaddr.IPv4).match(prefix.network as ipaddr.IPv4, prefix.bits);
}
