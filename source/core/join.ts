// The join: pod IP → the netns holding it → the interface with that IP (eth0) → its host-side peer
// (the node-namespace interface whose ifindex equals eth0's link_index, matched exactly: the pod
// side's ifindex repeats across pods, and "18" must never match 118) → the peer's bridge, or the
// routes that send the pod IP to the peer. Pure: everything it knows is in the NodeView, plus the
// runtime's sandboxes when it has them (they decide between namespaces that hold the same IP).
import type {Link, NetnsHolder, NetnsProbe, NodeNetSnapshot, NodeView, PodPath, PodRef, Route, RuntimeSandbox} from './types.js';
import {canonicalIp, parsePrefix, prefixMatcher, type Prefix} from './pod-ip.js';
import {otherOwners, sandboxOwners, type SandboxOwners} from './sandbox-owners.js';

interface Holding {
	probe: NetnsProbe;
	link: Link;
}

interface NodeIndex {
	byIfindex: Map<number, Link>;
	byName: Map<string, Link>;
	/** canonical IP → every (netns, interface) that carries it. */
	holders: Map<string, Holding[]>;
	/** Unicast routes through an interface, destinations parsed once per view (not once per pod). */
	routes: Array<{route: Route; prefix: Prefix}>;
}

export function resolvePods(pods: PodRef[], view: NodeView, nodeName: string, sandboxes: readonly RuntimeSandbox[] = []): PodPath[] {
	const index = indexView(view);
	const owners = sandboxOwners(sandboxes);
	return pods.map(pod => resolvePod(pod, view, index, owners, nodeName));
}

function indexView(view: NodeView): NodeIndex {
	const byIfindex = new Map<number, Link>();
	const byName = new Map<string, Link>();
	for (const link of view.snapshot.links) {
		byIfindex.set(link.ifindex, link);
		byName.set(link.ifname, link);
	}

	const holders = new Map<string, Holding[]>();
	for (const probe of view.namespaces) {
		for (const link of probe.links) {
			for (const address of link.addresses) {
				// A pod IP is never link- or host-scoped; ip prints the rest in canonical form already,
				// so only the rare mixed form (::ffff:1.2.3.4) needs the parser.
				if (address.scope === 'link' || address.scope === 'host') continue;
				const ip = address.family === 'inet6' && address.local.includes('.') ? canonicalIp(address.local) : address.local;
				if (ip === null) continue;
				const list = holders.get(ip) ?? [];
				list.push({probe, link});
				holders.set(ip, list);
			}
		}
	}

	const routes: NodeIndex['routes'] = [];
	for (const route of view.snapshot.routes) {
		const prefix = isUnicast(route) && route.dev !== null ? parsePrefix(route.dst) : null;
		if (prefix) routes.push({route, prefix});
	}

	return {byIfindex, byName, holders, routes};
}

function emptyPath(pod: PodRef, ips: string[]): PodPath {
	return {
		namespace: pod.namespace,
		name: pod.name,
		uid: pod.uid,
		node: pod.nodeName,
		ip: ips[0] ?? null,
		ips,
		hostNetwork: pod.hostNetwork,
		status: 'partial',
		netns: null,
		eth0: null,
		peer: null,
		bridge: null,
		routes: [],
		evidence: [],
		heuristic: false,
	};
}

function resolvePod(pod: PodRef, view: NodeView, index: NodeIndex, owners: SandboxOwners, nodeName: string): PodPath {
	const valid: string[] = [];
	const invalid: string[] = [];
	for (const raw of pod.ips) {
		const ip = canonicalIp(raw);
		if (ip === null) invalid.push(raw);
		else if (!valid.includes(ip)) valid.push(ip);
	}

	const path = emptyPath(pod, valid);
	const say = (line: string) => path.evidence.push(line);

	if (pod.nodeName !== nodeName) {
		path.status = 'not-on-this-node';
		say(pod.nodeName === null ? 'the pod is not scheduled to any node yet' : `the pod runs on node ${pod.nodeName}, not on ${nodeName}`);
		return path;
	}

	if (pod.phase === 'Succeeded' || pod.phase === 'Failed') {
		path.status = 'completed';
		say(valid.length === 0
			? `the pod finished (phase ${pod.phase}): it has no network any more`
			: `the pod finished (phase ${pod.phase}); the API still lists ${valid.join(' and ')}, which the node may have given to a live pod since, so no namespace or interface is joined to it`);
		return path;
	}

	if (pod.hostNetwork) {
		path.status = 'host-network';
		say('hostNetwork: the pod shares the node\'s network namespace and interfaces; it has no eth0 or veth of its own');
		return path;
	}

	for (const raw of invalid) say(`the API reports IP ${JSON.stringify(raw)}, which is not an IP address; it was not used in any command`);
	if (valid.length === 0) {
		path.status = invalid.length > 0 ? 'invalid-ip' : 'no-ip';
		if (invalid.length === 0) say('the API reports no IP for this pod yet (its sandbox may not be wired)');
		return path;
	}

	return view.canEnterNetns ? joinByNetns(path, view, index, owners) : joinByRoutes(path, view, index);
}

function joinByNetns(path: PodPath, view: NodeView, index: NodeIndex, owners: SandboxOwners): PodPath {
	const say = (line: string) => path.evidence.push(line);
	const candidates = path.ips.flatMap(ip => (index.holders.get(ip) ?? []).map(holding => ({ip, ...holding})));
	const ips = path.ips.join(' or ');
	if (candidates.length === 0) {
		path.status = 'netns-not-found';
		const named = view.namespaces.filter(probe => probe.holder.name !== null).length;
		say(`no network namespace on this node holds ${ips} (looked inside ${view.namespaces.length} namespaces: ${named} named under /run/netns, ${view.namespaces.length - named} held by processes); the sandbox may be gone`);
		return path;
	}

	// A namespace the runtime gives another pod's sandbox is that pod's, whatever address it carries.
	const own = candidates.filter(c => otherOwners(owners, c.probe.holder.inode, path.uid).length === 0);
	const mine = owners.byPod.get(path.uid) ?? [];
	const inodes = [...new Set(candidates.map(c => c.probe.holder.inode))];
	const claims = inodes.flatMap(inode => {
		const others = otherOwners(owners, inode, path.uid);
		return others.length > 0 ? [`inode ${inode} is the sandbox of ${others.map(o => o.title).join(', ')}`] : [];
	});
	if (own.length === 0) {
		path.status = 'netns-not-found';
		say(`${ips} is held only by namespaces the runtime gives other pods (${claims.join('; ')})${mine.length > 0 ? `; this pod's sandbox netns is inode ${mine.join(', ')}` : ''}: none of them is this pod's`);
		return path;
	}

	const byRuntime = own.filter(c => mine.includes(c.probe.holder.inode));
	if (mine.length > 0 && byRuntime.length === 0) say(`the runtime puts this pod's sandbox in netns inode ${mine.join(', ')}, which does not hold ${ips}; going by the IP alone`);
	const pool = byRuntime.length > 0 ? byRuntime : own;
	// The namespace whose interface pairs up with a node interface both ways is the pod's; another
	// namespace carrying the same address (a stale copy, a different node's lab) is not.
	const paired = pool.filter(c => {
		const peer = c.link.linkIndex === null ? undefined : index.byIfindex.get(c.link.linkIndex);
		return peer !== undefined && isPeerOf(peer, c.link, c.probe.holder, view.snapshot.netnsIds);
	});
	const chosen = paired[0] ?? pool[0]!;
	if (inodes.length > 1) {
		const why = byRuntime.length > 0 ? ', the runtime\'s sandbox netns for this pod' : paired.length > 0 ? ', whose veth pairs with a node interface' : '';
		say(`${inodes.length} namespaces carry ${chosen.ip} (inodes ${inodes.join(', ')}); using ${chosen.probe.holder.path}${why}${claims.length > 0 ? ` (${claims.join('; ')})` : ''}`);
	}

	const {probe, link: eth0} = chosen;
	path.netns = {inode: probe.holder.inode, path: probe.holder.path, pid: probe.holder.pid};
	path.eth0 = {
		ifname: eth0.ifname,
		ifindex: eth0.ifindex,
		linkIndex: eth0.linkIndex,
		mac: eth0.mac,
		mtu: eth0.mtu,
		addresses: eth0.addresses.filter(a => a.scope !== 'link').map(a => `${a.local}/${a.prefixlen}`),
	};
	say(`${probe.holder.path} (netns inode ${probe.holder.inode}) holds ${chosen.ip} on ${eth0.ifname} (ifindex ${eth0.ifindex} inside the pod)`);

	if (eth0.linkIndex === null) {
		path.status = 'partial';
		say(`${eth0.ifname} has no link_index (kind ${eth0.kind ?? 'unknown'}): it is not one end of a veth pair, so there is no host-side peer to find`);
		return path;
	}

	const peer = index.byIfindex.get(eth0.linkIndex);
	if (peer === undefined) {
		path.status = 'partial';
		say(`${eth0.ifname} in ${probe.holder.path} has link_index ${eth0.linkIndex}, but the node namespace has no interface with ifindex ${eth0.linkIndex}: the peer lives in another namespace`);
		return path;
	}

	if (!isPeerOf(peer, eth0, probe.holder, view.snapshot.netnsIds)) {
		path.status = 'partial';
		say(`${eth0.ifname} in ${probe.holder.path} has link_index ${eth0.linkIndex}; node interface ${eth0.linkIndex} is ${peer.ifname}, but ${peer.linkIndex === eth0.ifindex ? `its link_netnsid ${peer.linkNetnsid} is another namespace` : `its own link_index is ${peer.linkIndex ?? 'none'}, not ${eth0.ifindex}`}: they are not a pair`);
		return path;
	}

	say(`${eth0.ifname} in ${probe.holder.path} has link_index ${eth0.linkIndex}; node interface ${eth0.linkIndex} is ${peer.ifname} (exact ifindex match in the node namespace; its link_index ${peer.linkIndex} points back at ${eth0.ifname})`);
	attachPeer(path, peer, view, index);
	path.status = 'resolved';
	return path;
}

/**
 * True when node interface `peer` is the other end of `podLink` (inside the namespace `holder`
 * keeps): each one's link_index is the other's ifindex, and, when the node can name the peer's
 * namespace (nsid → /run/netns name), it is the holder's.
 */
export function isPeerOf(peer: Link, podLink: Link, holder: NetnsHolder, netnsIds: NodeNetSnapshot['netnsIds']): boolean {
	if (podLink.linkIndex !== peer.ifindex || peer.linkIndex !== podLink.ifindex) return false;
	const id = peer.linkNetnsid === null ? undefined : netnsIds?.find(entry => entry.nsid === peer.linkNetnsid);
	if (id === undefined) return true;
	return id.name === holder.name;
}

/** Without entering namespaces: a /32 (/128) route names the peer, or neighbour MAC → bridge fdb port does. */
function joinByRoutes(path: PodPath, view: NodeView, index: NodeIndex): PodPath {
	const say = (line: string) => path.evidence.push(line);
	path.heuristic = true;
	say(`cannot enter network namespaces (${view.enterDeniedReason ?? 'not permitted'}); mapped from the node's routes, neighbours and bridge fdb instead`);
	const rootWould = 'as root the tool would read eth0 inside the pod\'s netns and match its link_index to the node\'s ifindex exactly, and fill in the netns and eth0';

	for (const ip of path.ips) {
		const host = view.snapshot.routes.find(r => isUnicast(r) && r.dev !== null && isHostRoute(r, ip));
		const peer = host?.dev ? index.byName.get(host.dev) : undefined;
		if (host && peer) {
			say(`route ${formatRoute(host)} sends ${ip} to ${peer.ifname} (ifindex ${peer.ifindex}) alone`);
			attachPeer(path, peer, view, index);
			path.status = 'resolved';
			say(rootWould);
			return path;
		}

		const neighbour = view.snapshot.neighbours.find(n => n.dst === ip && n.lladdr !== null);
		if (neighbour?.lladdr) {
			const mac = neighbour.lladdr.toLowerCase();
			const learned = view.snapshot.fdb.find(f => f.mac.toLowerCase() === mac && f.master !== null && f.ifname !== f.master && f.state !== 'permanent');
			const port = learned ? index.byName.get(learned.ifname) : undefined;
			if (learned && port) {
				say(`neighbour ${ip} is at ${mac} on ${neighbour.dev}; bridge ${learned.master} learned ${mac} on port ${port.ifname} (ifindex ${port.ifindex})`);
				attachPeer(path, port, view, index);
				path.status = 'resolved';
				say(rootWould);
				return path;
			}

			say(`neighbour ${ip} is at ${mac} on ${neighbour.dev}, but no bridge port has learned that MAC`);
		}
	}

	path.routes = coveringRoutes(index, path.ips);
	path.status = 'partial';
	say(`no /32 route and no neighbour + fdb entry names the interface for ${path.ips.join(' or ')}${path.routes.length > 0 ? `; it is reached through ${path.routes.join('; ')}` : ''}`);
	say(rootWould);
	return path;
}

function attachPeer(path: PodPath, peer: Link, view: NodeView, index: NodeIndex): void {
	path.peer = {ifname: peer.ifname, ifindex: peer.ifindex, mac: peer.mac, kind: peer.kind, master: peer.master};
	const master = peer.master === null ? undefined : index.byName.get(peer.master);
	if (master) {
		const ports = view.snapshot.links.filter(l => l.master === master.ifname).map(l => l.ifname);
		path.bridge = {
			ifname: master.ifname,
			addresses: master.addresses.filter(a => a.scope !== 'link').map(a => `${a.local}/${a.prefixlen}`),
			ports,
		};
		path.evidence.push(`${peer.ifname} is a port of ${master.kind ?? 'master'} '${master.ifname}' (port state ${peer.portState ?? 'unknown'}; ${ports.length} ports)`);
		path.routes = coveringRoutes(index, path.ips, master.ifname);
		return;
	}

	const matchers = path.ips.map(prefixMatcher);
	path.routes = index.routes.filter(r => r.route.dev === peer.ifname && matchers.some(holds => holds(r.prefix))).map(r => formatRoute(r.route));
	if (path.routes.length > 0) path.evidence.push(`no bridge: the node routes the pod through ${peer.ifname}: ${path.routes.join('; ')}`);
	else path.evidence.push(`${peer.ifname} has no master bridge and no route on the node sends ${path.ips.join(' or ')} to it`);
}

function isUnicast(route: Route): boolean {
	return route.type === null || route.type === 'unicast';
}

function isHostRoute(route: Route, ip: string): boolean {
	const bits = ip.includes(':') ? 128 : 32;
	return route.dst === ip || route.dst === `${ip}/${bits}`;
}

/** The most specific unicast routes (through `dev`, if given) that cover any of the IPs, as `ip route` prints them. */
function coveringRoutes(index: NodeIndex, ips: string[], dev?: string): string[] {
	const out: string[] = [];
	const candidates = dev === undefined ? index.routes : index.routes.filter(r => r.route.dev === dev);
	for (const ip of ips) {
		const holds = prefixMatcher(ip);
		const covering = candidates.filter(r => holds(r.prefix));
		const best = Math.max(-1, ...covering.map(r => r.prefix.bits));
		for (const {route, prefix} of covering) if (prefix.bits === best) out.push(formatRoute(route));
	}

	return out;
}

export function formatRoute(route: Route): string {
	const parts = [route.dst];
	if (route.gateway) parts.push(`via ${route.gateway}`);
	if (route.dev) parts.push(`dev ${route.dev}`);
	if (route.table && route.table !== 'main') parts.push(`table ${route.table}`);
	if (route.protocol && route.protocol !== 'boot') parts.push(`proto ${route.protocol}`);
	if (route.scope && route.scope !== 'global' && route.scope !== 'universe') parts.push(`scope ${route.scope}`);
	return parts.join(' ');
}
