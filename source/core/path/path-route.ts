// A forwarding decision as a hop: what `ip route get DST from SRC iif DEV` said in that node, and
// whether it leads where the packet must go (the far pod's device, or toward the far node). The
// decision is the kernel's; this only reads it, and names nft drop rules on the forward hook.
import {quoteArgument as quote} from '../shell-quote.js';
import {parsePrefix, prefixMatcher} from '../pod-ip.js';
import {fail, linkHop, onNode, unsure, type PathNode, type Trail} from './path-trail.js';
import type {NftDropRule, NodePathFacts, PathFlow, PathHop, RouteDecision} from './types.js';

export function findDecision(facts: NodePathFacts, netnsPath: string | null, dst: string, src: string, iif: string | null): RouteDecision | undefined {
	return facts.decisions.find(d => d.netnsPath === netnsPath && d.dst === dst && d.src === src && d.iif === iif);
}

export function decisionText(d: RouteDecision): string {
	if (d.route === null) return d.error ?? 'no answer';
	const r = d.route;
	return `${r.type && r.type !== 'unicast' ? `${r.type} ` : ''}${d.dst} from ${d.src}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${d.iif ? ` ... iif ${d.iif}` : ''}`;
}

export function routeGetCommand(d: {dst: string; src: string; iif: string | null}, flow: PathFlow | null): string {
	const asked = flow === null ? '' : ` ipproto ${flow.proto}${flow.port !== null ? ` dport ${flow.port}` : ''}`;
	return `ip route get ${d.dst} from ${d.src}${d.iif ? ` iif ${quote(d.iif)}` : ''}${asked}`;
}

function matches(list: string[], ip: string): boolean {
	if (list.length === 0) return true;
	const inPrefix = prefixMatcher(ip);
	return list.some(text => {
		const prefix = parsePrefix(text);
		return prefix !== null && inPrefix(prefix);
	});
}

/** Forward-hook rules that drop packets from src to dst (a rule naming no address drops them all). */
export function dropRulesFor(facts: NodePathFacts, src: string, dst: string): NftDropRule[] {
	return (facts.dropRules ?? []).filter(r => matches(r.saddr, src) && matches(r.daddr, dst));
}

export function reportDrops(t: Trail, node: PathNode, hop: PathHop, src: string, dst: string): void {
	const facts = node.facts!;
	if (facts.dropRules === null) {
		hop.evidence.push({command: onNode(node, 'nft -a list ruleset'), expect: `not read: ${facts.nftError ?? 'nft gave no answer'}`});
		return;
	}

	for (const rule of dropRulesFor(facts, src, dst)) {
		const what = [rule.saddr.length > 0 ? `from ${rule.saddr.join(', ')}` : '', rule.daddr.length > 0 ? `to ${rule.daddr.join(', ')}` : ''].filter(Boolean).join(' ') || 'of every address';
		fail(t, hop, `nft table ${rule.family} ${rule.table}, chain ${rule.chain}${rule.handle !== null ? ` (rule handle ${rule.handle})` : ''} drops forwarded packets ${what}`);
		hop.evidence.push({command: onNode(node, `nft -a list table ${quote(rule.family)} ${quote(rule.table)}`), expect: `chain ${rule.chain} { type filter hook forward ... ${rule.saddr.length > 0 ? `ip saddr ${rule.saddr[0]} ` : ''}${rule.daddr.length > 0 ? `ip daddr ${rule.daddr[0]} ` : ''}... drop${rule.handle !== null ? ` # handle ${rule.handle}` : ''}`});
	}
}

export type RouteGoal = {kind: 'device'; dev: string} | {kind: 'node'; node: PathNode | undefined} | {kind: 'anywhere'};

/** The route hop; returns the decision when the kernel forwards the packet (even the wrong way). */
export function routeHop(t: Trail, node: PathNode, asked: {dst: string; src: string; iif: string | null}, goal: RouteGoal): RouteDecision | null {
	const facts = node.facts!;
	const d = findDecision(facts, null, asked.dst, asked.src, asked.iif);
	const out = d?.route?.dev ? facts.links.find(l => l.ifname === d.route!.dev) : undefined;
	const hop = linkHop(t, node, 'route', out, d?.route?.dev ?? null);
	const command = onNode(node, routeGetCommand(asked, facts.flow));
	if (!d) {
		unsure(t, hop, `the kernel was not asked how ${node.name} forwards ${asked.dst} from ${asked.src}${asked.iif ? ` arriving on ${asked.iif}` : ''}`);
		return null;
	}

	hop.evidence.push({command, expect: decisionText(d)});
	reportDrops(t, node, hop, asked.src, asked.dst);
	if (d.route === null) {
		const error = d.error ?? '';
		// The kernel's source check: strict (1) uses the larger of "all" and the device's own value.
		const rp = asked.iif === null ? 0 : Math.max(facts.rpFilter['all'] ?? 0, facts.rpFilter[asked.iif] ?? 0);
		if (d.refusedBy !== null && d.refusedBy.type !== 'unicast') {
			fail(t, hop, `a ${d.refusedBy.type} route for ${d.refusedBy.dst} on ${node.name} discards packets to ${asked.dst}`);
			hop.evidence.push({command: onNode(node, `ip route show to match ${asked.dst}`), expect: `${d.refusedBy.type} ${d.refusedBy.dst}`});
		} else if (rp === 1 && asked.iif !== null && d.backDev !== null && d.backDev !== asked.iif) {
			fail(t, hop, `rp_filter=1 (strict) on ${asked.iif} drops packets from ${asked.src} arriving there: the route back to ${asked.src} leaves by ${d.backDev}`);
			hop.evidence.push({command: onNode(node, `sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.${asked.iif}.rp_filter`), expect: `net.ipv4.conf.all.rp_filter = ${facts.rpFilter['all'] ?? '?'}, net.ipv4.conf.${asked.iif}.rp_filter = ${facts.rpFilter[asked.iif] ?? '?'}`});
			hop.evidence.push({command: onNode(node, `ip route get ${asked.src}`), expect: `${asked.src} ... dev ${d.backDev}`});
		} else {
			fail(t, hop, `${node.name} has no route for ${asked.dst}: ${error || 'the kernel refused the lookup'}`);
		}

		return null;
	}

	const r = d.route;
	if (r.type !== null && r.type !== 'unicast' && r.type !== 'local') {
		fail(t, hop, `a ${r.type} route on ${node.name} discards packets to ${asked.dst}`);
		hop.evidence.push({command: onNode(node, `ip route show type ${quote(r.type)}`), expect: `${r.type} <prefix holding ${asked.dst}>`});
		return null;
	}

	// A decision that leads elsewhere ends the walk: the hops after it would be invented.
	if (goal.kind === 'device' && r.dev !== goal.dev) {
		fail(t, hop, `${node.name} sends ${asked.dst} out of ${r.dev ?? 'nowhere'}${r.gateway ? ` via ${r.gateway}` : ''}, not to ${goal.dev} where the pod is`);
		return null;
	}

	if (goal.kind === 'node') {
		const far = goal.node;
		const tunnel = facts.vxlan.some(v => v.ifname === r.dev) || facts.links.find(l => l.ifname === r.dev)?.kind === 'ipip';
		if (!tunnel && far && !(r.gateway !== null && far.internalIPs.includes(r.gateway))) {
			fail(t, hop, `${node.name} sends ${asked.dst} ${r.gateway ? `via ${r.gateway} ` : ''}dev ${r.dev ?? '?'}, which does not lead to node ${far.name} (${far.internalIPs.join(', ') || 'no InternalIP'}): the route for its pods' subnet is missing`);
			return null;
		}
	}

	return d;
}
