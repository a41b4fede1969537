// One direction's hops as they are walked, and whether any is broken or not known. A hop not known
// (a fact the node did not give) is never counted as broken: the path then says unknown, and why.
import {onNodeCommand} from '../evidence.js';
import {quoteArgument as quote} from '../shell-quote.js';
import type {Link, NodeAccess} from '../types.js';
import type {HopKind, NodePathFacts, PathHop} from './types.js';

/** A node as the walk sees it: how a person reaches it, and what it said (or why it said nothing). */
export interface PathNode {
	name: string;
	access: NodeAccess;
	facts: NodePathFacts | null;
	factsError: string | null;
	internalIPs: readonly string[];
}

export interface Trail {
	hops: PathHop[];
	broken: boolean;
	unknown: boolean;
}

export function newTrail(): Trail {
	return {hops: [], broken: false, unknown: false};
}

export function fail(t: Trail, hop: PathHop, problem: string): void {
	hop.ok = false;
	hop.problem = hop.problem === null ? problem : `${hop.problem}; ${problem}`;
	t.broken = true;
}

export function unsure(t: Trail, hop: PathHop, why: string): void {
	hop.ok = false;
	hop.problem = hop.problem === null ? `unknown: ${why}` : `${hop.problem}; unknown: ${why}`;
	t.unknown = true;
}

/** A hop for a kernel link (or for one that should be there and is not: state "unknown"). */
export function linkHop(t: Trail, node: PathNode, kind: HopKind, link: Link | undefined, ifname: string | null): PathHop {
	const hop: PathHop = {
		node: node.name,
		kind,
		ifname: link?.ifname ?? ifname,
		ifindex: link?.ifindex ?? null,
		state: link?.operstate ?? 'unknown',
		mtu: link?.mtu ?? null,
		counters: link?.stats ? {rxPackets: link.stats.rxPackets, txPackets: link.stats.txPackets, rxDropped: link.stats.rxDropped, txDropped: link.stats.txDropped} : null,
		ok: true,
		problem: null,
		evidence: [],
	};
	t.hops.push(hop);
	return hop;
}

export const isUp = (link: Link) => link.flags.includes('UP');

/** The command a person runs on that node, through that node's access. */
export function onNode(node: PathNode, command: string): string {
	return onNodeCommand(node.access, command);
}

export function inNetns(node: PathNode, netnsPath: string, command: string): string {
	return onNode(node, `nsenter --net=${quote(netnsPath)} ${command}`);
}

/** `ip -d link` as a person reads it: the first line's shape, with what matters filled in. */
export function linkLine(link: Link): string {
	const at = link.linkIndex !== null ? `@if${link.linkIndex}` : '';
	return `${link.ifindex}: ${link.ifname}${at}: <${link.flags.join(',')}> mtu ${link.mtu}${link.master ? ` master ${link.master}` : ''} state ${link.operstate}`;
}
