// `path` for people: the ends and the verdict, then one line per hop with ✓ or ✗ and the problem,
// for each direction. Pure; every string from the cluster or a node goes through displayText.
import {displayText} from '../display-text.js';
import {policyLine} from './path-policy.js';
import type {PathDocument, PathHop} from './types.js';

function hopLine(hop: PathHop): string {
	const mark = hop.ok ? '✓' : hop.problem?.startsWith('unknown:') ? '?' : '✗';
	const name = `${hop.ifname ?? '-'}${hop.ifindex !== null ? ` (${hop.ifindex})` : ''}`;
	const cells = [`  ${mark}`, hop.node.padEnd(18), hop.kind.padEnd(9), name.padEnd(22), hop.state.padEnd(8), hop.mtu !== null ? `mtu ${hop.mtu}` : ''];
	return displayText(`${cells.join(' ').trimEnd()}${hop.problem ? `  ${hop.problem}` : ''}`);
}

export function pathTable(doc: PathDocument): string {
	const from = `${doc.from.namespace}/${doc.from.name} (${doc.from.ip} on ${doc.from.node})`;
	const to = 'name' in doc.to ? `${doc.to.namespace}/${doc.to.name} (${doc.to.ip} on ${doc.to.node})` : doc.to.ip;
	const lines = [displayText(`${from} → ${to}: ${doc.verdict}`), ...doc.hops.map(hopLine)];
	if (doc.reverse.hops.length > 0) lines.push('reply', ...doc.reverse.hops.map(hopLine));
	if (doc.policy) lines.push(displayText(policyLine(doc.policy)), ...(doc.policy.note ? [displayText(`  ${doc.policy.note}`)] : []));
	return `${lines.join('\n')}\n`;
}
