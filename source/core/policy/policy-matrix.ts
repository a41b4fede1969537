// The `policy` command's output, pure: the truth table as the e2e suite prints it (rows FROM,
// columns TO, `.` allowed, `X` denied, `?` unknown) and as the JSON document issue 14 specifies.
import {podKey} from './compile-policies.js';
import type {TruthTable} from './truth-table.js';
import type {Endpoint} from './types.js';

export interface PolicyDocument {
	port: number;
	protocol: string;
	pods: string[];
	matrix: Record<string, Record<string, boolean | null>>;
	enforced: boolean | null;
	enforcedReason: string;
	cniKind: string | null;
}

const nameOf = (e: Endpoint) => (e.kind === 'pod' ? podKey(e.pod) : e.kind === 'node' ? e.name : e.ip);

export function policyDocument(t: TruthTable, enforcement: {enforced: boolean | null; enforcedReason: string}, cniKind: string | null): PolicyDocument {
	const pods = t.endpoints.map(nameOf);
	const matrix: PolicyDocument['matrix'] = {};
	t.cells.forEach((row, i) => {
		const out: Record<string, boolean | null> = {};
		row.forEach((cell, j) => {
			out[pods[j]!] = cell.verdict === 'unknown' ? null : cell.verdict === 'allowed';
		});
		matrix[pods[i]!] = out;
	});
	return {port: t.port, protocol: t.protocol, pods, matrix, ...enforcement, cniKind};
}

const MARK = {allowed: '.', denied: 'X', unknown: '?'} as const;

export function policyTable(d: PolicyDocument, t: TruthTable): string {
	const width = Math.max(4, ...d.pods.map(p => p.length));
	const pad = (s: string) => s.padEnd(width);
	const lines = [`${d.protocol}/${d.port}: rows FROM, columns TO; . allowed, X denied, ? unknown`, [pad('FROM \\ TO'), ...d.pods.map(pad)].join(' ').trimEnd()];
	t.cells.forEach((row, i) => lines.push([pad(d.pods[i]!), ...row.map(c => pad(MARK[c.verdict]))].join(' ').trimEnd()));
	lines.push(`enforced: ${d.enforced === null ? 'unknown' : String(d.enforced)} (${d.enforcedReason})`);
	return `${lines.join('\n')}\n`;
}
