// One direction, hop by hop: A's eth0 → A's host veth → A's bridge → A's node's decision → (VXLAN →)
// the uplink → the far node's uplink (→ VXLAN) → its decision → B's bridge → B's host veth → B's
// eth0. Same-node pairs stop at the bridge (L2) or at the node's routes (ptp). Pure.
import type {PodPath} from '../types.js';
import {bridgeHop, hostVethHop, podEth0Hop, underlayHop} from './path-link-hops.js';
import {podIngress} from './path-plan.js';
import {findDecision, reportDrops, routeHop} from './path-route.js';
import {fail, linkHop, newTrail, unsure, type PathNode, type Trail} from './path-trail.js';
import {vxlanInHop, vxlanOutHop} from './path-vxlan.js';
import type {PathHop} from './types.js';

/** The far end: a pod, or an address the path follows as far as this cluster's nodes show it. */
export type PathTarget = {pod: PodPath} | {ip: string};

function missingNode(t: Trail, name: string, node: PathNode | undefined, pod: PodPath): void {
	const hop = linkHop(t, node ?? {name, access: {kind: 'local', target: name}, facts: null, factsError: null, internalIPs: []}, 'pod-eth0', undefined, pod.eth0?.ifname ?? null);
	unsure(t, hop, `node ${name} gave no facts: ${node?.factsError ?? 'it was not reached'}`);
}

/**
 * A Service in between: the pod sends to `dst` (the ClusterIP), and `hop` adds the DNAT hop on the
 * pod's node (false: the walk stops there); past it the node routes to the endpoint.
 */
export interface ServiceLeg {
	dst: string;
	hop: (t: Trail, node: PathNode) => boolean;
}

export function walkPath(src: PodPath, target: PathTarget, nodes: ReadonlyMap<string, PathNode>, service?: ServiceLeg): Trail {
	const t = newTrail();
	const dstPod = 'pod' in target ? target.pod : null;
	const dstIp = dstPod ? dstPod.ip : (target as {ip: string}).ip;
	const n1 = src.node === null ? undefined : nodes.get(src.node);
	if (src.node === null || src.ip === null || dstIp === null || !n1?.facts) {
		missingNode(t, src.node ?? '(unscheduled)', n1, src);
		return t;
	}

	const first = podEth0Hop(t, n1, src, service?.dst ?? dstIp, true);
	if (first.state === 'unknown') return t;
	hostVethHop(t, n1, src);
	const bridge = src.bridge ? bridgeHop(t, n1, src.bridge.ifname) : null;
	const ingress = podIngress(src);
	if (service && !service.hop(t, n1)) return t;

	if (dstPod && dstPod.node === src.node) {
		arriveSameNode(t, n1, src, dstPod, bridge, service !== undefined);
		return t;
	}

	const far = dstPod?.node ? nodes.get(dstPod.node) : undefined;
	const decision = routeHop(t, n1, {dst: dstIp, src: src.ip, iif: ingress}, dstPod ? {kind: 'node', node: far} : {kind: 'anywhere'});
	if (decision?.route?.dev == null) return t;
	const dev = decision.route.dev;
	const vxlan = n1.facts.vxlan.find(v => v.ifname === dev);
	let remote: string | null;
	if (vxlan) {
		remote = vxlanOutHop(t, n1, vxlan, decision.route.gateway, far).remote;
		underlayHop(t, n1, {ifname: vxlan.dev ?? 'eth0'});
	} else if (n1.facts.links.find(l => l.ifname === dev)?.kind === 'ipip') {
		const hop = linkHop(t, n1, 'underlay', n1.facts.links.find(l => l.ifname === dev), dev);
		unsure(t, hop, `${dev} is an IPIP tunnel (Calico's IPIP mode): its far end is not walked (this kernel has no IPIP to check it against)`);
		return t;
	} else {
		underlayHop(t, n1, {ifname: dev});
		remote = decision.route.gateway ?? dstIp;
	}

	if (!dstPod) {
		// The address is not a pod's: what lies past this node's uplink is not ours to see.
		t.unknown = true;
		return t;
	}

	if (!far?.facts) {
		missingNode(t, dstPod.node ?? '(unscheduled)', far, dstPod);
		return t;
	}

	const arrival = underlayHop(t, far, {address: remote ?? far.internalIPs[0] ?? ''});
	let iif = arrival.ifname;
	if (vxlan) {
		const {device} = vxlanInHop(t, far, vxlan);
		if (device === null) return t;
		iif = device.ifname;
	}

	if (iif === null) return t;
	const expected = podIngress(dstPod);
	if (routeHop(t, far, {dst: dstIp, src: src.ip, iif}, expected ? {kind: 'device', dev: expected} : {kind: 'anywhere'}) === null) return t;
	if (dstPod.bridge) bridgeHop(t, far, dstPod.bridge.ifname);
	hostVethHop(t, far, dstPod);
	podEth0Hop(t, far, dstPod, src.ip, false);
	return t;
}

/**
 * Both pods on one node: through their bridge when the pod sends on-link, else through the node's
 * routes. DNATed packets were sent to the gateway, so they are always routed.
 */
function arriveSameNode(t: Trail, node: PathNode, src: PodPath, dst: PodPath, bridge: PathHop | null, routed: boolean): void {
	const facts = node.facts!;
	const podRoute = src.netns && src.ip && dst.ip ? findDecision(facts, src.netns.path, dst.ip, src.ip, null) : undefined;
	const bridged = !routed && bridge !== null && dst.bridge?.ifname === src.bridge?.ifname && podRoute?.route?.gateway === null;
	if (bridged) {
		// Bridged frames meet the inet forward hook only when br_netfilter hands them to it.
		if (facts.bridgeNfCall === 1) reportDrops(t, node, bridge, src.ip!, dst.ip!);
	} else {
		const expected = podIngress(dst);
		const d = routeHop(t, node, {dst: dst.ip!, src: src.ip!, iif: podIngress(src)}, expected ? {kind: 'device', dev: expected} : {kind: 'anywhere'});
		if (d === null) return;
		if (dst.bridge) bridgeHop(t, node, dst.bridge.ifname);
	}

	hostVethHop(t, node, dst);
	podEth0Hop(t, node, dst, src.ip!, false);
}

/**
 * The classic overlay trap: a sender's eth0 MTU above what the path carries. The underlay carries
 * the encapsulation, so with a VXLAN hop it is checked for headroom instead.
 */
export function checkMtu(t: Trail): void {
	const sender = t.hops[0];
	const hasVxlan = t.hops.some(h => h.kind === 'vxlan');
	const inner = t.hops.slice(1).filter(h => h.mtu !== null && h.kind !== 'pod-eth0' && !(hasVxlan && h.kind === 'underlay'));
	if (sender?.kind === 'pod-eth0' && sender.mtu !== null && inner.length > 0) {
		const narrowest = inner.reduce((a, b) => ((b.mtu ?? Infinity) < (a.mtu ?? Infinity) ? b : a));
		if (sender.mtu > narrowest.mtu!) {
			fail(t, sender, `eth0 MTU ${sender.mtu} is above the path's ${narrowest.mtu} (${narrowest.ifname} on ${narrowest.node}): packets larger than ${narrowest.mtu} bytes are dropped or fragmented`);
		}
	}

	for (const v of t.hops.filter(h => h.kind === 'vxlan' && h.mtu !== null)) {
		const uplink = t.hops.find(h => h.kind === 'underlay' && h.node === v.node);
		if (uplink?.mtu != null && v.mtu! + 50 > uplink.mtu) fail(t, uplink, `${uplink.ifname} MTU ${uplink.mtu} leaves no room for ${v.ifname}'s ${v.mtu} plus 50 bytes of VXLAN headers`);
	}
}
