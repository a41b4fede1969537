// The hops that are one interface each: the pod's eth0 (read in its netns), its host veth, the
// bridge, and an uplink. Each is checked against the kernel's own state of that interface.
import {quoteArgument as quote} from '../shell-quote.js';
import type {PodPath} from '../types.js';
import {decisionText, findDecision, routeGetCommand} from './path-route.js';
import {fail, inNetns, isUp, linkHop, linkLine, onNode, unsure, type PathNode, type Trail} from './path-trail.js';
import type {PathHop} from './types.js';

/** The pod's eth0; leaving (with its own route to `peerIp`) or arriving. Null: nothing more to walk. */
export function podEth0Hop(t: Trail, node: PathNode, pod: PodPath, peerIp: string, leaving: boolean): PathHop {
	const facts = node.facts!;
	const netns = pod.netns?.path ?? null;
	const seen = netns === null ? undefined : facts.pods.find(p => p.netnsPath === netns);
	const link = pod.eth0 ? seen?.links.find(l => l.ifname === pod.eth0!.ifname) : undefined;
	const hop = linkHop(t, node, 'pod-eth0', link, pod.eth0?.ifname ?? null);
	if (netns === null || pod.eth0 === null) {
		unsure(t, hop, `pod ${pod.namespace}/${pod.name} is not joined to a netns on ${node.name} (${pod.status}): ${pod.evidence.join('; ') || 'no evidence'}`);
		return hop;
	}

	hop.evidence.push({command: inNetns(node, netns, `ip -d -s link show ${quote(pod.eth0.ifname)}`), expect: link ? linkLine(link) : `${pod.eth0.ifname} (not found)`});
	if (!seen || seen.error !== null) {
		unsure(t, hop, `the pod's netns ${netns} could not be read: ${seen?.error ?? 'not asked'}`);
		return hop;
	}

	if (!link) {
		fail(t, hop, `${pod.eth0.ifname} is gone from the pod's netns`);
		return hop;
	}

	if (!isUp(link)) fail(t, hop, `${link.ifname} is down in the pod`);
	if (leaving && pod.ip !== null) {
		const d = findDecision(facts, netns, peerIp, pod.ip, null);
		if (d) {
			hop.evidence.push({command: inNetns(node, netns, routeGetCommand(d, facts.flow)), expect: decisionText(d)});
			if (d.route === null) fail(t, hop, `the pod has no route to ${peerIp}: ${d.error ?? 'refused'}`);
			else if (d.route.dev !== link.ifname) fail(t, hop, `the pod sends ${peerIp} out of ${d.route.dev ?? 'nowhere'}, not ${link.ifname}`);
		} else {
			unsure(t, hop, `the pod's route to ${peerIp} was not read`);
		}
	}

	return hop;
}

export function hostVethHop(t: Trail, node: PathNode, pod: PodPath): PathHop {
	const facts = node.facts!;
	const peer = pod.peer;
	const link = peer ? facts.links.find(l => l.ifindex === peer.ifindex) : undefined;
	const hop = linkHop(t, node, 'host-veth', link, peer?.ifname ?? null);
	if (!peer) {
		unsure(t, hop, `the host end of ${pod.namespace}/${pod.name}'s eth0 was not found on ${node.name}`);
		return hop;
	}

	if (!link || link.ifname !== peer.ifname) {
		unsure(t, hop, `interface ${peer.ifindex} (${peer.ifname}) changed since the pod was joined: ${link ? `it is ${link.ifname} now` : 'it is gone'}`);
		return hop;
	}

	hop.evidence.push({command: onNode(node, `ip -d -s link show dev ${quote(link.ifname)}`), expect: linkLine(link)});
	if (!isUp(link) || link.operstate === 'DOWN') {
		fail(t, hop, `host veth ${link.ifname} is down (ip link set ${link.ifname} up brings it back)`);
		return hop;
	}

	if (link.master !== null) {
		const state = facts.bridgePorts.find(p => p.ifname === link.ifname)?.state ?? link.portState;
		hop.evidence.push({command: onNode(node, `bridge link show dev ${quote(link.ifname)}`), expect: `${link.ifindex}: ${link.ifname}@...: master ${link.master} state ${state ?? '?'}`});
		if (state !== null && state !== 'forwarding') fail(t, hop, `bridge port ${link.ifname} of ${link.master} is in state ${state}, not forwarding`);
	}

	return hop;
}

export function bridgeHop(t: Trail, node: PathNode, ifname: string): PathHop {
	const link = node.facts!.links.find(l => l.ifname === ifname);
	const hop = linkHop(t, node, 'bridge', link, ifname);
	if (!link) {
		fail(t, hop, `bridge ${ifname} is gone from ${node.name}`);
		return hop;
	}

	hop.evidence.push({command: onNode(node, `ip -d -s link show dev ${quote(ifname)}`), expect: linkLine(link)});
	if (!isUp(link)) fail(t, hop, `bridge ${ifname} is down`);
	return hop;
}

/** An uplink: by name when leaving, by the address the far side sends to when arriving. */
export function underlayHop(t: Trail, node: PathNode, by: {ifname: string} | {address: string}): PathHop {
	const facts = node.facts!;
	const link = 'ifname' in by ? facts.links.find(l => l.ifname === by.ifname) : facts.links.find(l => l.addresses.some(a => a.local === by.address));
	const hop = linkHop(t, node, 'underlay', link, 'ifname' in by ? by.ifname : null);
	if (!link) {
		if ('ifname' in by) fail(t, hop, `${by.ifname} is gone from ${node.name}`);
		else fail(t, hop, `no interface on ${node.name} holds ${by.address}, where the packets are sent`);
		return hop;
	}

	const address = 'address' in by ? by.address : link.addresses.find(a => a.family === 'inet')?.local;
	hop.evidence.push({command: onNode(node, `ip -s addr show dev ${quote(link.ifname)}`), expect: `${linkLine(link)}${address ? ` ... inet ${address}/...` : ''}`});
	if (!isUp(link)) fail(t, hop, `${link.ifname} is down`);
	return hop;
}
