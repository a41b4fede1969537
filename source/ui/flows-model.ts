// The Flows section as rows, pure: one fixed line per flow (the readable form, the TCP state, the
// NAT it went through, the timeout), the selected flow's two tuples as the kernel holds them, and,
// when there is no flow to show, why.
import type {ConntrackTuple, Flow} from '../core/flows.js';
import type {Failure, OpenFlows} from '../store/tui-state.js';

export interface FlowRow {
	text: string;
	/** "dnat → 10.244.1.2:80, snat → 10.244.0.1", or "" when the kernel rewrote nothing. */
	nat: string;
	timeout: string;
	unreplied: boolean;
}

export interface FlowsModel {
	title: string;
	rows: FlowRow[];
	/** Clamped to the rows. */
	index: number;
	/** The selected flow's tuples: orig and reply, as conntrack prints them. */
	tuples: string[];
	/** No rows: why (a failure is reason + hint; else a plain line). */
	empty: Failure | string | null;
	source: string | null;
	namesProblem: Failure | null;
}

const hostPort = (ip: string, port: number | null) => (port === null ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
const tuple = (t: ConntrackTuple) => `${hostPort(t.src, t.sport)} → ${hostPort(t.dst, t.dport)}`;

function nat(flow: Flow): string {
	const parts: string[] = [];
	if (flow.servedBy !== null) parts.push(`dnat → ${hostPort(flow.servedBy.ip, flow.servedBy.port)}`);
	if (flow.snatTo !== null) parts.push(`snat → ${flow.snatTo}`);
	return parts.join(', ');
}

export function flowsModel(open: OpenFlows, index: number): FlowsModel {
	const flows = open.flows ?? [];
	const at = Math.max(0, Math.min(index, flows.length - 1));
	const selected = flows[at];
	const source = open.source === 'conntrack' ? 'conntrack -L' : open.source === 'proc' ? '/proc/net/nf_conntrack' : null;
	let empty: FlowsModel['empty'] = null;
	if (open.error !== null) empty = open.error;
	else if (open.flows === null) empty = 'reading the node\'s conntrack…';
	else if (flows.length === 0) empty = `no flows now: the node tracks no connection of ${open.pod} (read with ${source ?? 'conntrack'}); they appear on the next poll after one starts`;
	return {
		title: `Flows of ${open.pod}${open.flows ? ` (${flows.length})` : ''}`,
		rows: flows.map(flow => ({text: flow.text, nat: nat(flow), timeout: `${flow.entry.timeout}s`, unreplied: flow.entry.unreplied})),
		index: at,
		tuples: selected ? [`orig  ${selected.entry.protocol} ${tuple(selected.entry.orig)}`, `reply ${selected.entry.protocol} ${tuple(selected.entry.reply)}`] : [],
		empty,
		source,
		namesProblem: open.namesProblem,
	};
}

/** The window of rows that keeps the selection in view, for a pane of `room` row lines. */
export function flowsWindow(count: number, index: number, room: number): {start: number; end: number} {
	const size = Math.max(1, room);
	const start = Math.max(0, Math.min(index - Math.floor(size / 2), count - size));
	return {start, end: Math.min(count, start + size)};
}
