// Pure: the selected pod's path as hops (pod eth0 → host veth → bridge or /32 route), each with the
// facts the Details pane tabulates and the counters the Path pane shows. eth0's counters are its
// host peer's, mirrored (peer tx = eth0 rx): reading them inside every pod netns on every poll
// would break the engine's process budget. Every string leaves pathModel made safe to show: names,
// addresses, routes and evidence come from the API and the node.
import {displayText} from '../core/display-text.js';
import type {Link, LinkStats, NodeView, PodPath} from '../core/types.js';
import type {LinkRate} from '../store/link-rates.js';

export type HopKind = 'eth0' | 'peer' | 'bridge' | 'route' | 'note';

export interface Hop {
	kind: HopKind;
	/** The diagram's line for this hop. */
	title: string;
	/** Second line: addresses, master, state. */
	detail: string;
	state: string | null;
	stats: LinkStats | null;
	rate: LinkRate | null;
	/** Label → value rows for the Details pane. */
	facts: Array<[string, string]>;
}

export interface PathModel {
	hops: Hop[];
	/** The line drawn between hop i and i+1. */
	joints: string[];
	/** A plain-words reason when there is no path to draw (host network, other node, ...). */
	note: string | null;
	evidence: string[];
}

function mirror(stats: LinkStats | null): LinkStats | null {
	if (!stats) return null;
	return {
		rxBytes: stats.txBytes,
		txBytes: stats.rxBytes,
		rxPackets: stats.txPackets,
		txPackets: stats.rxPackets,
		rxDropped: stats.txDropped,
		txDropped: stats.rxDropped,
	};
}

function mirrorRate(rate: LinkRate | undefined): LinkRate | null {
	if (!rate) return null;
	return {rxBps: rate.txBps, txBps: rate.rxBps, rxPps: rate.txPps, txPps: rate.rxPps};
}

export function formatBytes(bytes: number): string {
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}

	return `${unit === 0 ? String(Math.round(value)) : value.toFixed(1)}${units[unit]}`;
}

export function formatRate(rate: LinkRate | null): string {
	if (!rate) return 'rx — tx —';
	return `rx ${formatBytes(rate.rxBps)}/s tx ${formatBytes(rate.txBps)}/s`;
}

function statFacts(stats: LinkStats | null, rate: LinkRate | null, mirrored: boolean): Array<[string, string]> {
	if (!stats) return [['counters', 'not reported']];
	const facts: Array<[string, string]> = [
		['rx bytes / packets', `${stats.rxBytes} / ${stats.rxPackets}`],
		['tx bytes / packets', `${stats.txBytes} / ${stats.txPackets}`],
		['rx / tx dropped', `${stats.rxDropped} / ${stats.txDropped}`],
	];
	if (rate) facts.push(['rate', formatRate(rate)]);
	if (mirrored) facts.push(['counters from', 'the host peer, mirrored (peer tx = eth0 rx)']);
	return facts;
}

function linkFacts(link: Link): Array<[string, string]> {
	return [
		['ifindex', String(link.ifindex)],
		['kind', link.kind ?? '—'],
		['state', link.operstate],
		['mac', link.mac ?? '—'],
		['mtu', String(link.mtu)],
		['flags', link.flags.join(',') || '—'],
	];
}

function podLink(path: PodPath, view: NodeView | null): Link | null {
	if (!view || !path.netns || !path.eth0) return null;
	const probe = view.namespaces.find(ns => ns.holder.inode === path.netns?.inode);
	return probe?.links.find(link => link.ifname === path.eth0?.ifname) ?? null;
}

function noPath(path: PodPath): string | null {
	if (path.hostNetwork) return 'hostNetwork: this pod uses the node\'s own interfaces; there is no veth pair.';
	switch (path.status) {
		case 'not-on-this-node': return `On node ${path.node ?? '?'}: its path is only visible from that node.`;
		case 'no-ip': return 'No IP yet: the pod has no network to show (Pending, or its sandbox is not up).';
		case 'invalid-ip': return 'The API reports an IP that is not an IP: nothing is resolved from it.';
		case 'netns-not-found': return 'No network namespace on this node holds this pod\'s IP.';
		case 'completed': return 'Finished: its old IP may be a live pod\'s now, so no path is drawn.';
		default: return null;
	}
}

/** A path found without entering the pod's netns: how, and what root would add (why not: the evidence). */
function heuristicNote(path: PodPath): string | null {
	if (!path.heuristic) return null;
	return 'heuristic: inferred from the node\'s routes, neighbours and bridge fdb. As root it would read eth0 inside the pod\'s netns and match its link_index to the node\'s ifindex exactly.';
}

/** Names the bridge's other ports by the pods behind them. */
export function bridgeNeighbours(path: PodPath, podByPeer: ReadonlyMap<string, string>): string[] {
	if (!path.bridge) return [];
	return path.bridge.ports
		.filter(port => port !== path.peer?.ifname)
		.map(port => podByPeer.get(port) ?? port);
}

export function pathModel(
	path: PodPath,
	view: NodeView | null,
	rates: ReadonlyMap<string, LinkRate>,
	podByPeer: ReadonlyMap<string, string>,
): PathModel {
	const hops: Hop[] = [];
	const joints: string[] = [];
	const note = noPath(path) ?? heuristicNote(path);
	const nodeLinks = new Map((view?.snapshot.links ?? []).map(link => [link.ifname, link]));
	const peerLink = path.peer ? nodeLinks.get(path.peer.ifname) ?? null : null;

	if (path.eth0) {
		const eth0 = path.eth0;
		const inside = podLink(path, view);
		const stats = mirror(peerLink?.stats ?? null);
		const rate = path.peer ? mirrorRate(rates.get(path.peer.ifname)) : null;
		hops.push({
			kind: 'eth0',
			title: `[${path.namespace}/${path.name}]  ${eth0.ifname}@if${eth0.linkIndex ?? '?'}`,
			detail: `${eth0.addresses.join(' ') || '(no address)'}  ${eth0.mac ?? ''}`.trim(),
			state: inside?.operstate ?? null,
			stats,
			rate,
			facts: [
				['pod', `${path.namespace}/${path.name}`],
				['interface', eth0.ifname],
				['ifindex (in the pod netns)', String(eth0.ifindex)],
				['peer ifindex (iflink)', String(eth0.linkIndex ?? '—')],
				['addresses', eth0.addresses.join(', ') || '—'],
				['mac', eth0.mac ?? '—'],
				['mtu', String(eth0.mtu)],
				['state', inside?.operstate ?? '—'],
				['netns', path.netns ? `net:[${path.netns.inode}] ${path.netns.path}` : '—'],
				['netns holder pid', path.netns?.pid === null || path.netns?.pid === undefined ? '— (bind mount)' : String(path.netns.pid)],
				...statFacts(stats, rate, true),
			],
		});
	}

	if (path.peer) {
		const peer = path.peer;
		const rate = rates.get(peer.ifname) ?? null;
		if (hops.length > 0) joints.push('veth pair');
		hops.push({
			kind: 'peer',
			title: `${peer.ifname} (ifindex ${peer.ifindex})${peer.master ? `  master ${peer.master}` : ''}`,
			detail: formatRate(rate),
			state: peerLink?.operstate ?? null,
			stats: peerLink?.stats ?? null,
			rate,
			facts: [
				['interface', peer.ifname],
				...(peerLink ? linkFacts(peerLink) : [['ifindex', String(peer.ifindex)] as [string, string], ['kind', peer.kind ?? '—'] as [string, string]]),
				['master', peer.master ?? '— (no bridge: routed)'],
				['bridge port state', peerLink?.portState ?? '—'],
				['link netnsid', String(peerLink?.linkNetnsid ?? '—')],
				['peer ifindex (pod side)', String(peerLink?.linkIndex ?? '—')],
				...statFacts(peerLink?.stats ?? null, rate, false),
			],
		});
	}

	if (path.bridge) {
		const bridge = path.bridge;
		const link = nodeLinks.get(bridge.ifname) ?? null;
		const rate = rates.get(bridge.ifname) ?? null;
		const others = bridgeNeighbours(path, podByPeer);
		joints.push('bridge port');
		hops.push({
			kind: 'bridge',
			title: `${bridge.ifname} ${bridge.addresses.join(' ')} — ${bridge.ports.length} ports`,
			detail: others.length > 0 ? `also on it: ${others.join(', ')}` : 'no other pods on it',
			state: link?.operstate ?? null,
			stats: link?.stats ?? null,
			rate,
			facts: [
				['bridge', bridge.ifname],
				['addresses', bridge.addresses.join(', ') || '—'],
				...(link ? linkFacts(link) : []),
				['ports', String(bridge.ports.length)],
				['other pods on it', others.join(', ') || '—'],
				...statFacts(link?.stats ?? null, rate, false),
			],
		});
	} else if (path.peer && path.routes.length > 0) {
		joints.push('routed');
		hops.push({
			kind: 'route',
			title: path.routes[0] ?? '',
			detail: path.routes.length > 1 ? path.routes.slice(1).join('; ') : 'no bridge: the node routes the pod IP to its veth',
			state: null,
			stats: null,
			rate: null,
			facts: path.routes.map((route, i) => [`route ${i + 1}`, route] as [string, string]),
		});
	}

	return {
		hops: hops.map(safeHop),
		joints,
		note: note === null ? null : displayText(note),
		evidence: path.evidence.map(displayText),
	};
}

function safeHop(hop: Hop): Hop {
	return {
		...hop,
		title: displayText(hop.title),
		detail: displayText(hop.detail),
		state: hop.state === null ? null : displayText(hop.state),
		facts: hop.facts.map(([label, value]) => [label, displayText(value)]),
	};
}

/** ifname of each pod's host peer → pod name, to name a bridge's ports. */
export function podsByPeer(paths: Iterable<PodPath>): Map<string, string> {
	const byPeer = new Map<string, string>();
	for (const path of paths) if (path.peer) byPeer.set(path.peer.ifname, path.name);
	return byPeer;
}
