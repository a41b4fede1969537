// What a node's kernel needs to reach the other nodes' pods, derived from each peer's one record
// (its podCIDR, InternalIP and, for VXLAN, its VTEP MAC), the way flannel's VXLAN backend derives
// them from a peer's lease and Calico's BGP mode or kindnet from a peer's podCIDR. Pure: iproute2
// lines for `ip -batch` and `bridge -batch`, so building, a fault and its clear all use the same text.
import type {LabNode, LabOverlay, LabVtep} from './lab-state.js';

/** The entries one node holds for one peer; neigh and fdb exist in vxlan mode only. */
export interface PeerEntries {
	/** `ip route` arguments. */
	route: string;
	/** `ip neigh` arguments: the peer's VTEP address → its VTEP MAC, permanent. */
	neigh: string | null;
	/** `bridge fdb` arguments: the peer's VTEP MAC → its node IP. */
	fdb: string | null;
}

/** The peer's subnet address (10.244.K.0): flannel's gateway for the subnet and the peer's VTEP address. */
export function subnetAddress(cidr: string): string {
	return cidr.split('/')[0] as string;
}

export function peerEntries(overlay: LabOverlay, peer: LabNode): PeerEntries {
	if (overlay === 'vxlan' && peer.vtep) {
		const dev = peer.vtep.device;
		const vtepIP = subnetAddress(peer.podCIDR);
		return {
			route: `${peer.podCIDR} via ${vtepIP} dev ${dev} onlink`,
			neigh: `${vtepIP} lladdr ${peer.vtep.mac} dev ${dev} nud permanent`,
			fdb: `${peer.vtep.mac} dev ${dev} dst ${peer.ip} self permanent`,
		};
	}

	return {route: `${peer.podCIDR} via ${peer.ip} dev eth0`, neigh: null, fdb: null};
}

/** flannel.1 as flannel's backend makes it: VNI 1, port 8472, no learning, a /32 of the subnet, MTU uplink − 50. */
export function vtepDeviceLines(node: LabNode, vtep: LabVtep): string[] {
	return [
		`link add ${vtep.device} address ${vtep.mac} mtu ${vtep.mtu} type vxlan id ${vtep.vni} local ${node.ip} dev eth0 dstport ${vtep.port} nolearning`,
		`addr add ${subnetAddress(node.podCIDR)}/32 dev ${vtep.device}`,
		`link set ${vtep.device} up`,
	];
}

/**
 * Everything `lab up` programs in one node for its peers, in flannel's order: the device, then per
 * peer the fdb and neighbour entries before the route (the kernel would ARP for the gateway otherwise).
 */
export function overlayLines(overlay: LabOverlay, node: LabNode, nodes: LabNode[]): {device: string[]; fdb: string[]; routes: string[]} {
	const device = overlay === 'vxlan' && node.vtep ? vtepDeviceLines(node, node.vtep) : [];
	const fdb: string[] = [];
	const routes: string[] = [];
	for (const peer of nodes) {
		if (peer.name === node.name) continue;
		const e = peerEntries(overlay, peer);
		if (e.fdb) fdb.push(`fdb append ${e.fdb}`);
		if (e.neigh) routes.push(`neigh replace ${e.neigh}`);
		routes.push(`route add ${e.route}`);
	}

	return {device, fdb, routes};
}
