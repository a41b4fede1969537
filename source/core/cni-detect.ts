// How this node wires pods, read from what the node shows (interfaces, routes) and, when readable,
// the CNI config files. One line for the user plus where a capture should run by default.
import type {CniInfo, Link, NodeNetSnapshot} from './types.js';

const BRIDGE_NAMES = ['bridge', 'cni0', 'kube-bridge', 'weave', 'docker0'];

interface Sign {
	kind: string;
	evidence: string;
}

export function detectCni(snapshot: NodeNetSnapshot, conflists: string[] = []): CniInfo {
	const links = snapshot.links;
	const has = (name: string) => links.find(l => l.ifname === name);
	const prefixed = (prefix: string) => links.filter(l => l.ifname.startsWith(prefix) && l.ifname !== prefix);
	const evidence: string[] = [];

	const configured = conflistKinds(conflists);
	for (const sign of configured) evidence.push(sign.evidence);

	// Interface signs, most specific first.
	const signs: Sign[] = [];
	if (has('cilium_host') || prefixed('lxc').length > 0) {
		signs.push({kind: 'cilium', evidence: has('cilium_host') ? 'the node has cilium_host' : `the node has ${prefixed('lxc').length} lxc* interfaces`});
	}

	if (has('vxlan.calico') || prefixed('cali').length > 0) {
		signs.push({kind: 'calico', evidence: has('vxlan.calico') ? 'the node has vxlan.calico' : `the node has ${prefixed('cali').length} cali* interfaces${has('tunl0') ? ' and tunl0' : ''}`});
	}

	if (prefixed('eni').length > 0) signs.push({kind: 'aws-vpc', evidence: `the node has ${prefixed('eni').length} eni* interfaces`});
	if (prefixed('azv').length > 0) signs.push({kind: 'azure', evidence: `the node has ${prefixed('azv').length} azv* interfaces`});
	if (has('weave')) signs.push({kind: 'weave', evidence: 'the node has a bridge named weave'});
	if (has('kube-bridge')) signs.push({kind: 'kube-router', evidence: 'the node has a bridge named kube-bridge'});
	if (has('flannel.1')) signs.push({kind: 'flannel', evidence: 'the node has flannel.1'});

	const bridges = links.filter(l => l.kind === 'bridge');
	const busiest = bridges
		.map(bridge => ({bridge, ports: links.filter(l => l.master === bridge.ifname && l.kind === 'veth').length}))
		.sort((a, b) => b.ports - a.ports || BRIDGE_NAMES.indexOf(a.bridge.ifname) - BRIDGE_NAMES.indexOf(b.bridge.ifname));
	const podBridge = busiest.find(b => b.ports > 0)?.bridge ?? bridges.find(b => BRIDGE_NAMES.includes(b.ifname)) ?? null;
	const routedVeths = links.filter(l => l.kind === 'veth' && l.master === null && l.linkNetnsid !== null && hasHostRoute(snapshot, l));
	if (podBridge) {
		const ports = links.filter(l => l.master === podBridge.ifname && l.kind === 'veth').length;
		signs.push({kind: 'bridge', evidence: `bridge ${podBridge.ifname} has ${ports} veth ports`});
	}

	if (routedVeths.length > 0) signs.push({kind: 'ptp', evidence: `${routedVeths.length} veths without a bridge have /32 routes to them`});
	evidence.push(...signs.map(s => s.evidence));

	const kind = configured[0]?.kind ?? signs[0]?.kind ?? 'unknown';
	return describe(kind, podBridge, routedVeths.length, evidence);
}

function hasHostRoute(snapshot: NodeNetSnapshot, link: Link): boolean {
	return snapshot.routes.some(r => r.dev === link.ifname && (r.dst.endsWith('/32') || r.dst.endsWith('/128') || !r.dst.includes('/')) && (r.type === null || r.type === 'unicast'));
}

function describe(kind: string, bridge: Link | null, routed: number, evidence: string[]): CniInfo {
	const bridgeText = bridge ? `${bridge.addresses[0] ? ` (${bridge.addresses[0].local}/${bridge.addresses[0].prefixlen})` : ''}` : null;
	const onBridge = (what: string): CniInfo => ({
		kind,
		summary: `${what}: pods hang off bridge '${bridge?.ifname}'${bridgeText} through veth pairs; capture on the bridge to see pod-to-pod traffic`,
		capturePoint: 'bridge',
		bridge: bridge?.ifname ?? null,
		evidence,
	});
	const onPeer = (what: string): CniInfo => ({
		kind,
		summary: `${what}: each pod's veth ends on the node with no bridge and a route per pod; capture on the pod's host-side peer`,
		capturePoint: 'peer',
		bridge: null,
		evidence,
	});
	switch (kind) {
		case 'cilium':
			return {
				kind,
				summary: 'Cilium: its eBPF datapath can redirect packets past the host-side lxc veth, so a capture there may miss them; capture inside the pod netns',
				capturePoint: 'pod',
				bridge: null,
				evidence,
			};
		case 'calico':
			return onPeer('Calico (routed)');
		case 'aws-vpc':
			return onPeer('AWS VPC CNI (routed, eni* peers)');
		case 'azure':
			return onPeer('Azure CNI (azv* peers)');
		case 'flannel':
			return bridge ? onBridge('flannel (vxlan between nodes)') : onPeer('flannel');
		case 'weave':
		case 'kube-router':
		case 'bridge':
			return bridge ? onBridge(kind === 'bridge' ? 'bridge CNI' : kind) : onPeer(kind);
		case 'ptp':
			return onPeer(`ptp CNI (${routed} routed veths)`);
		default:
			if (bridge) return onBridge('unknown CNI');
			return {
				kind: 'unknown',
				summary: 'no known CNI sign on this node (no pod bridge, no routed veths); capture inside the pod netns',
				capturePoint: 'pod',
				bridge: null,
				evidence,
			};
	}
}

const PLUGIN_KINDS: Record<string, string> = {
	calico: 'calico',
	'cilium-cni': 'cilium',
	flannel: 'flannel',
	'weave-net': 'weave',
	'aws-cni': 'aws-vpc',
	'azure-vnet': 'azure',
	bridge: 'bridge',
	ptp: 'ptp',
};

function conflistKinds(conflists: string[]): Sign[] {
	const signs: Sign[] = [];
	for (const text of conflists) {
		let config: unknown;
		try {
			config = JSON.parse(text);
		} catch {
			continue;
		}

		if (typeof config !== 'object' || config === null) continue;
		const record = config as {name?: unknown; type?: unknown; plugins?: unknown};
		const plugins = Array.isArray(record.plugins) ? record.plugins : [record];
		for (const plugin of plugins) {
			const type = typeof plugin === 'object' && plugin !== null ? (plugin as {type?: unknown}).type : undefined;
			const kind = typeof type === 'string' ? PLUGIN_KINDS[type] : undefined;
			if (kind) {
				signs.push({kind, evidence: `CNI config ${typeof record.name === 'string' ? record.name : ''} uses the ${String(type)} plugin`.replace('  ', ' ')});
				break;
			}
		}
	}

	return signs;
}
