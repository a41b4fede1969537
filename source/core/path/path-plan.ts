// Which facts each node must give for a path: the pods' netns to read and the forwarding decisions
// to ask its kernel for, forward and reverse. Pure. A decision on the far node is asked for every
// device a packet from another node can arrive by (each tunnel device, and the device holding the
// node's InternalIP), since which one it takes is only known once the near node has answered.
import type {Link, PodPath} from '../types.js';
import type {FactsRequest, PathFlow} from './types.js';

export interface PlanNode {
	name: string;
	/** The node's own links, from its poller's last snapshot. */
	links: readonly Link[];
	/** Its InternalIPs, as the API reports them. */
	internalIPs: readonly string[];
}

const TUNNEL_KINDS = new Set(['vxlan', 'ipip', 'geneve']);

/** The device a pod's packets enter the node's IP layer by: its bridge, or its host veth (ptp). */
export function podIngress(pod: PodPath): string | null {
	return pod.bridge?.ifname ?? pod.peer?.ifname ?? null;
}

/** Devices a packet from another node can arrive by: tunnels, and the uplink holding the InternalIP. */
export function arrivalDevices(node: PlanNode): string[] {
	const tunnels = node.links.filter(l => l.kind !== null && TUNNEL_KINDS.has(l.kind)).map(l => l.ifname);
	const uplinks = node.links.filter(l => l.addresses.some(a => node.internalIPs.includes(a.local))).map(l => l.ifname);
	return [...new Set([...tunnels, ...uplinks])];
}

/**
 * The requests per node name. `to` is a pod or a bare IP; a pod without netns or IP asks nothing of
 * its netns (the path says unknown for it).
 */
export function planFacts(from: PodPath, to: PodPath | {ip: string}, nodes: ReadonlyMap<string, PlanNode>, flow: PathFlow | null = null): Map<string, FactsRequest> {
	const requests = new Map<string, FactsRequest>();
	const of = (node: string) => {
		let r = requests.get(node);
		if (!r) {
			r = {flow, pods: [], decisions: []};
			requests.set(node, r);
		}

		return r;
	};

	const leg = (pod: PodPath, dst: string, request: FactsRequest) => {
		if (pod.ip === null) return;
		if (pod.netns) {
			if (!request.pods.includes(pod.netns.path)) request.pods.push(pod.netns.path);
			request.decisions.push({netnsPath: pod.netns.path, dst, src: pod.ip, iif: null});
		}

		const ingress = podIngress(pod);
		if (ingress !== null) request.decisions.push({netnsPath: null, dst, src: pod.ip, iif: ingress});
	};

	const arrivals = (node: string, dst: string, src: string) => {
		const known = nodes.get(node);
		for (const dev of known ? arrivalDevices(known) : []) of(node).decisions.push({netnsPath: null, dst, src, iif: dev});
	};

	if (from.node === null) return requests;
	if ('ip' in to && !('uid' in to)) {
		leg(from, to.ip, of(from.node));
		return requests;
	}

	const target = to as PodPath;
	if (from.ip === null || target.ip === null || target.node === null) {
		of(from.node);
		return requests;
	}

	leg(from, target.ip, of(from.node));
	leg(target, from.ip, of(target.node));
	if (target.node !== from.node) {
		arrivals(target.node, target.ip, from.ip);
		arrivals(from.node, from.ip, target.ip);
	}

	return requests;
}
