// The lab's nodes as records, before anything is in the kernel. Pure: one node keeps today's
// minikube layout (bridge `bridge`, 10.244.0.0/16); more get minikube's node names, an InternalIP
// each on the underlay, and a /24 of 10.244.0.0/16 each on `cni0`, as flannel's subnet manager hands out.
import {randomBytes} from 'node:crypto';
import {join} from 'node:path';
import {NODE_IP, POD_CIDR, POD_GATEWAY} from './lab-node.js';
import {LAB_IPAM_DIR, LAB_NODE_NAME, LAB_NODE_NETNS, type LabNode, type LabOptions, type LabState} from './lab-state.js';

export const MAX_LAB_NODES = 5;
export const UPLINK_MTU = 1500;
/** flannel's VXLAN device: the uplink's MTU less the 50 bytes of outer IPv4, UDP and VXLAN headers. */
export const VXLAN_OVERHEAD = 50;

/** The one node of a single-node lab (also what state files from before multi-node describe). */
export function singleNode(s: {node: string; nodeNetns: string; nodeIP: string}): LabNode {
	return {name: s.node, netns: s.nodeNetns, ip: s.nodeIP, podCIDR: POD_CIDR, gateway: POD_GATEWAY, bridge: 'bridge', ipamDir: LAB_IPAM_DIR};
}

/** A locally administered unicast MAC, as flannel's mac.NewHardwareAddr makes for flannel.1. */
function vtepMac(): string {
	const b = randomBytes(6);
	b[0] = ((b[0] as number) & 0xfe) | 0x02;
	return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** minikube's names: the first node is the cluster's name, then NAME-m02, NAME-m03, ... */
export function nodeName(k: number): string {
	return k === 1 ? LAB_NODE_NAME : `${LAB_NODE_NAME}-m0${k}`;
}

export function planLabNodes(options: Pick<LabOptions, 'nodes' | 'overlay'>): LabNode[] {
	const count = options.nodes ?? 1;
	if (count <= 1) return [singleNode({node: LAB_NODE_NAME, nodeNetns: LAB_NODE_NETNS, nodeIP: NODE_IP})];
	const overlay = options.overlay ?? 'vxlan';
	return Array.from({length: count}, (_, i) => {
		const k = i + 1;
		const name = nodeName(k);
		const mtu = overlay === 'vxlan' ? UPLINK_MTU - VXLAN_OVERHEAD : UPLINK_MTU;
		return {
			name,
			netns: k === 1 ? LAB_NODE_NETNS : `${LAB_NODE_NETNS}-m0${k}`,
			// .1 is the world's; node K is .K+1, so node 1 keeps the single-node lab's address.
			ip: k === 1 ? NODE_IP : `198.51.100.${k + 1}`,
			podCIDR: `10.244.${i}.0/24`,
			gateway: `10.244.${i}.1`,
			bridge: 'cni0',
			podMtu: mtu,
			ipamDir: join(LAB_IPAM_DIR, name),
			...(overlay === 'vxlan' ? {vtep: {device: 'flannel.1' as const, vni: 1 as const, port: 8472 as const, mac: vtepMac(), mtu}} : {}),
		};
	});
}

/** The state's nodes, node 1 first; a state file from before multi-node has just its one node. */
export function labNodes(state: LabState): LabNode[] {
	return state.nodes ?? [singleNode(state)];
}

export function nodeOfPod(state: LabState, pod: {node?: string}): LabNode {
	const nodes = labNodes(state);
	return nodes.find((n) => n.name === pod.node) ?? (nodes[0] as LabNode);
}
