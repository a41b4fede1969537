// kube-proxy's chain names, computed as kube-proxy computes them, so the API's Service ports can
// be found in the node's rules even where the rules carry no comments (iptables' large-cluster
// mode drops them). iptables: pkg/proxy/iptables/proxier.go portProtoHash and
// servicePortEndpointChainName; nftables: pkg/proxy/nftables/proxier.go hashAndTruncate.
import {createHash} from 'node:crypto';
import type {Protocol} from './types.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Go's base32.StdEncoding of sha256(text), of which kube-proxy keeps a prefix (padding never reaches it). */
function sha256Base32(text: string): string {
	const bytes = createHash('sha256').update(text).digest();
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32[(buffer >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}

	if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
	return out;
}

/** ServicePortName.String(): "ns/name:port", or "ns/name" for an unnamed port. */
export function servicePortName(namespace: string, name: string, port: string): string {
	return port === '' ? `${namespace}/${name}` : `${namespace}/${name}:${port}`;
}

/** The 16 characters after KUBE-SVC- / KUBE-SVL- / KUBE-EXT- / KUBE-FW-. */
export function portProtoHash(portName: string, protocol: Protocol): string {
	return sha256Base32(portName + protocol.toLowerCase()).slice(0, 16);
}

export function iptablesServiceChain(portName: string, protocol: Protocol): string {
	return `KUBE-SVC-${portProtoHash(portName, protocol)}`;
}

/** `endpoint` is "ip:port", with an IPv6 ip in brackets (net.JoinHostPort). */
export function iptablesEndpointChain(portName: string, protocol: Protocol, endpoint: string): string {
	return `KUBE-SEP-${sha256Base32(portName + protocol.toLowerCase() + endpoint).slice(0, 16)}`;
}

/** nftables chains may be 128 long; kube-proxy keeps 16 for the prefix ("service-", "endpoint-", …). */
const NFT_BASE_MAX = 128 - 16;

function hashAndTruncate(name: string): string {
	const named = `${sha256Base32(name).slice(0, 8)}-${name}`;
	return named.length > NFT_BASE_MAX ? `${named.slice(0, NFT_BASE_MAX - 3)}...` : named;
}

/** "ULMVA6XW-ns1/svc1/tcp/p80": what follows service- / local- / external- / firewall-. */
export function nftServiceChainBase(id: {namespace: string; name: string; port: string}, protocol: Protocol): string {
	return hashAndTruncate(`${id.namespace}/${id.name}/${protocol.toLowerCase()}/${id.port}`);
}

/** "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80": what follows endpoint- / affinity-. */
export function nftEndpointChainBase(id: {namespace: string; name: string; port: string}, protocol: Protocol, ip: string, port: number): string {
	// An IPv6 address's colons are not allowed in a chain name; kube-proxy turns them into dots.
	return hashAndTruncate(`${id.namespace}/${id.name}/${protocol.toLowerCase()}/${id.port}__${ip.replaceAll(':', '.')}/${port}`);
}
