// What `dump` prints: the JSON document (names fixed by the issue; more may be added) and the
// table NAMESPACE NAME IP STATUS ETH0 PEER MASTER/ROUTE. Pure, so tests need no node.
// The table goes to a terminal: every cell is made safe there. JSON escapes control characters
// itself, so the document keeps the data as it is.
import {displayText} from './display-text.js';
import type {PodRuntimeRecord} from './runtime-record.js';
import type {CniInfo, NodeAccess, PodPath} from './types.js';

export interface DumpDocument {
	node: string;
	cni: {kind: string; summary: string; capturePoint: CniInfo['capturePoint']; bridge: string | null};
	/** Each pod's path, with its sandbox and containers from the node's runtime. */
	pods: Array<PodPath & PodRuntimeRecord>;
	/** Which runtime answered (cri, crictl, docker, lab, none), and why none when none did. */
	runtime: {kind: string; note: string | null};
	access: NodeAccess;
	canEnterNetns: boolean;
	enterDeniedReason: string | null;
	poll: {durationMs: number; processes: number; namespaces: number};
}

export function dumpTable(document: DumpDocument): string {
	const rows = document.pods.map(path => [
		path.namespace,
		path.name,
		path.ip ?? '-',
		path.heuristic ? `${path.status}*` : path.status,
		path.eth0 ? `${path.eth0.ifname}@if${path.eth0.linkIndex ?? '?'}` : '-',
		path.peer ? `${path.peer.ifname} (${path.peer.ifindex})` : '-',
		path.bridge ? path.bridge.ifname : path.routes[0] ?? '-',
	].map(displayText));
	const header = ['NAMESPACE', 'NAME', 'IP', 'STATUS', 'ETH0', 'PEER', 'MASTER/ROUTE'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
	const out = [displayText(`node ${document.node} (${document.access.kind}: ${document.access.target}) · ${document.cni.summary}`), line(header), ...rows.map(line)];
	if (document.pods.some(path => path.heuristic)) out.push(displayText(`* heuristic: ${document.enterDeniedReason ?? 'could not enter namespaces'}; mapped from routes and neighbours + fdb`));
	return `${out.join('\n')}\n`;
}
