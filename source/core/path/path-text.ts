// `path` for people: the ends and the verdict, then one line per hop with ✓ or ✗ and the problem,
// for each direction; for a Service, its endpoints and what disagrees, and the probe's answer.
// Pure; every string from the cluster or a node goes through displayText.
import {displayText} from '../display-text.js';
import {policyLine} from './path-policy.js';
import type {PathDocument, PathHop, PathService} from './types.js';

function mark(hop: PathHop): string {
	if (hop.ok) return '✓';
	if (hop.problem?.startsWith('unknown:')) return '?';
	return hop.problem?.startsWith('warning:') ? '!' : '✗';
}

function hopLine(hop: PathHop, service: PathService | undefined): string {
	const name = hop.kind === 'service' && service
		? `svc/${service.namespace}/${service.name}:${service.port}`
		: `${hop.ifname ?? '-'}${hop.ifindex !== null ? ` (${hop.ifindex})` : ''}`;
	const cells = [`  ${mark(hop)}`, hop.node.padEnd(18), hop.kind.padEnd(9), name.padEnd(22), hop.state.padEnd(8), hop.mtu !== null ? `mtu ${hop.mtu}` : ''];
	return displayText(`${cells.join(' ').trimEnd()}${hop.problem ? `  ${hop.problem}` : ''}`);
}

function serviceLines(s: PathService): string[] {
	const lines = [`service ${s.namespace}/${s.name} ${s.clusterIP}:${s.port}/${s.protocol} (${s.proxyMode}); to ${s.chosen.endpoint ?? 'no endpoint'}: ${s.chosen.why}`];
	for (const e of s.endpoints) {
		const ready = e.ready === true ? 'ready' : e.ready === false ? 'not ready' : 'gone from the API';
		lines.push(`  endpoint ${e.ip}:${e.port}${e.pod ? ` ${e.pod}` : ''}${e.node ? ` on ${e.node}` : ''}: ${ready}, ${e.inRules ? 'in the rules' : 'not in the rules'}`);
	}

	for (const p of s.problems) lines.push(`  problem: ${p.reason} (${p.hint})`);
	return lines.map(l => displayText(l));
}

export function pathTable(doc: PathDocument): string {
	const from = `${doc.from.namespace}/${doc.from.name} (${doc.from.ip} on ${doc.from.node})`;
	const to = 'name' in doc.to ? `${doc.to.namespace}/${doc.to.name} (${doc.to.ip} on ${doc.to.node})` : doc.to.ip;
	const via = doc.service ? ` via svc/${doc.service.namespace}/${doc.service.name}` : '';
	const lines = [displayText(`${from} → ${to}${via}: ${doc.verdict}`), ...(doc.service ? serviceLines(doc.service) : []), ...doc.hops.map(h => hopLine(h, doc.service))];
	if (doc.reverse.hops.length > 0) lines.push('reply', ...doc.reverse.hops.map(h => hopLine(h, doc.service)));
	for (const p of doc.paths ?? []) {
		if (`${p.endpoint.ip}:${p.endpoint.port}` === doc.service?.chosen.endpoint) continue;
		lines.push(displayText(`to endpoint ${p.endpoint.ip}:${p.endpoint.port}${p.endpoint.pod ? ` (${p.endpoint.pod})` : ''}: ${p.verdict}`), ...p.hops.map(h => hopLine(h, doc.service)));
	}

	if (doc.policy) lines.push(displayText(policyLine(doc.policy)), ...(doc.policy.note ? [displayText(`  ${doc.policy.note}`)] : []));
	if (doc.probe) {
		const pr = doc.probe;
		const result = pr.result === null ? 'not run' : `${pr.result} in ${pr.ms ?? '?'} ms with ${pr.tool}`;
		const served = pr.endpoint ? `; served by ${pr.endpoint.pod ?? pr.endpoint.ip} (${pr.endpoint.ip}:${pr.endpoint.port})` : '';
		lines.push(displayText(`probe: ${result}${served}${pr.answer ? `; answer "${pr.answer}"` : ''}${pr.note ? `; ${pr.note}` : ''}`));
		if (pr.conntrack) lines.push(displayText(`  conntrack: ${pr.conntrack}`));
	}

	return `${lines.join('\n')}\n`;
}
