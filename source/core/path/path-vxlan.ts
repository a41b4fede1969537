// The VXLAN hop, as flannel's backend derives it from one peer record (VTEP MAC, node IP): the route's
// gateway → a neighbour entry on the VXLAN device giving the VTEP MAC → an fdb entry giving the
// remote node's IP. All three are checked against the far node's own device and addresses.
import {quoteArgument as quote} from '../shell-quote.js';
import {fail, isUp, linkHop, linkLine, onNode, type PathNode, type Trail} from './path-trail.js';
import type {PathHop, VxlanInfo} from './types.js';

function deviceLine(v: VxlanInfo): string {
	return `vxlan id ${v.vni ?? '?'}${v.local ? ` local ${v.local}` : ''}${v.dev ? ` dev ${v.dev}` : ''} ... dstport ${v.port ?? '?'}${v.learning === false ? ' nolearning' : ''}`;
}

/** Leaving through `v` toward `far`; returns the underlay address the packets are sent to (or the far node's, to walk on). */
export function vxlanOutHop(t: Trail, node: PathNode, v: VxlanInfo, gateway: string | null, far: PathNode | undefined): {hop: PathHop; remote: string | null} {
	const facts = node.facts!;
	const link = facts.links.find(l => l.ifname === v.ifname);
	const hop = linkHop(t, node, 'vxlan', link, v.ifname);
	hop.evidence.push({command: onNode(node, `ip -d link show dev ${quote(v.ifname)}`), expect: `${link ? linkLine(link) : v.ifname} ... ${deviceLine(v)}`});
	if (link && !isUp(link)) fail(t, hop, `${v.ifname} is down`);
	const farVtep = far?.facts?.vxlan.find(x => x.vni === v.vni && x.port === v.port);
	const farMac = farVtep ? far!.facts!.links.find(l => l.ifname === farVtep.ifname)?.mac ?? null : null;
	const farName = far ? `node ${far.name}` : 'the far node';
	const expectedRemote = far?.internalIPs[0] ?? null;
	if (gateway === null) {
		fail(t, hop, `the route through ${v.ifname} names no gateway, so no VTEP can be looked up`);
		return {hop, remote: expectedRemote};
	}

	const neigh = facts.neighbours.find(n => n.dst === gateway && n.dev === v.ifname);
	hop.evidence.push({command: onNode(node, `ip neigh show to ${gateway} dev ${quote(v.ifname)}`), expect: neigh ? `${gateway} lladdr ${neigh.lladdr ?? '?'} ${neigh.state.join(' ')}` : `nothing: no entry for ${gateway}`});
	if (!neigh || neigh.lladdr === null || neigh.state.some(s => s === 'FAILED' || s === 'INCOMPLETE')) {
		fail(t, hop, `no neighbour entry for ${gateway} on ${v.ifname}: the VTEP MAC of ${farName}${farMac ? ` (${farMac})` : ''} is unknown, and with nolearning the kernel will not find it (flannel programs it permanent)`);
	} else if (farMac !== null && neigh.lladdr !== farMac) {
		fail(t, hop, `the neighbour entry for ${gateway} on ${v.ifname} says MAC ${neigh.lladdr}, but ${farName}'s ${farVtep!.ifname} has ${farMac}`);
	}

	const mac = farMac ?? neigh?.lladdr ?? null;
	const fdb = mac === null ? undefined : facts.fdb.find(e => e.ifname === v.ifname && e.mac === mac);
	hop.evidence.push({command: onNode(node, `bridge fdb show dev ${quote(v.ifname)}`), expect: fdb ? `${fdb.mac} dst ${fdb.dst ?? '?'} ${fdb.flags.join(' ')} ${fdb.state ?? ''}`.trim() : `no line for ${mac ?? 'the VTEP MAC'}`});
	if (mac !== null && !fdb) {
		fail(t, hop, `no fdb entry for VTEP MAC ${mac} on ${v.ifname}: the kernel does not know which node to send the VXLAN packets to (expected dst ${expectedRemote ?? "the far node's IP"})`);
		return {hop, remote: expectedRemote};
	}

	if (fdb?.dst && far && !far.internalIPs.includes(fdb.dst)) {
		fail(t, hop, `the fdb entry for ${mac} on ${v.ifname} sends to ${fdb.dst}, which is not ${farName} (${far.internalIPs.join(', ')})`);
	}

	return {hop, remote: fdb?.dst ?? expectedRemote};
}

/** Arriving at the far node: its VXLAN device with the same VNI and port. */
export function vxlanInHop(t: Trail, node: PathNode, near: VxlanInfo): {hop: PathHop; device: VxlanInfo | null} {
	const facts = node.facts!;
	const v = facts.vxlan.find(x => x.vni === near.vni && x.port === near.port) ?? null;
	const link = v ? facts.links.find(l => l.ifname === v.ifname) : undefined;
	const hop = linkHop(t, node, 'vxlan', link, v?.ifname ?? near.ifname);
	if (!v) {
		fail(t, hop, `${node.name} has no VXLAN device with VNI ${near.vni ?? '?'} on port ${near.port ?? '?'}: the encapsulated packets are not taken in`);
		return {hop, device: null};
	}

	hop.evidence.push({command: onNode(node, `ip -d link show dev ${quote(v.ifname)}`), expect: `${link ? linkLine(link) : v.ifname} ... ${deviceLine(v)}`});
	if (link && !isUp(link)) fail(t, hop, `${v.ifname} is down`);
	return {hop, device: v};
}
