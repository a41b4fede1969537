// Pure: the Containers pane's rows (the pause sandbox first) and its one fact: do they all share
// one netns and one IP, as the seed's first rule says? Checked on this node, from the runtime.
// Names, states and images come from the API and the runtime: they leave here made safe to show.
import {displayText} from '../core/display-text.js';
import {runtimeRecord, sandboxOfPod} from '../core/runtime-record.js';
import type {PodInfo, PodPath, RuntimeInfo, RuntimeSandbox} from '../core/types.js';
import {containerFacts, sandboxFacts, type Facts} from './container-details.js';

export interface ContainerRow {
	name: string;
	kind: 'sandbox' | 'init' | 'regular' | 'ephemeral';
	/** The runtime's id (else the API's), null when neither knows one. */
	id: string | null;
	state: string;
	restarts: number | null;
	image: string;
	pid: number | null;
	netns: number | null;
	/** False when this container's netns differs from the sandbox's. */
	shares: boolean | null;
	/** Every field of the runtime record, for the Details pane: the columns that do not fit are here. */
	facts: Facts;
}

export interface ContainersModel {
	rows: ContainerRow[];
	fact: string;
	/** ok: shared (or nothing to compare); warn: one does not share; unknown: no runtime data. */
	tone: 'ok' | 'warn' | 'unknown';
}

/** The Details pane's title for a row. */
export function rowSubject(row: ContainerRow): string {
	return row.kind === 'sandbox' ? 'pause sandbox' : `container ${row.name} (${row.kind})`;
}

function sandboxFor(pod: PodInfo, runtime: RuntimeInfo | null): RuntimeSandbox | null {
	return runtime === null ? null : sandboxOfPod(runtime.sandboxes, pod);
}

export function containersModel(pod: PodInfo, path: PodPath | undefined, runtime: RuntimeInfo | null): ContainersModel {
	const {rows, fact, tone} = rawModel(pod, path, runtime);
	const safeRows = rows.map(row => ({
		...row,
		name: displayText(row.name),
		id: row.id === null ? null : displayText(row.id),
		state: displayText(row.state),
		image: displayText(row.image),
		facts: row.facts.map(([key, value]): [string, string] => [key, displayText(value)]),
	}));
	return {rows: safeRows, fact: displayText(fact), tone};
}

function rawModel(pod: PodInfo, path: PodPath | undefined, runtime: RuntimeInfo | null): ContainersModel {
	const sandbox = sandboxFor(pod, runtime);
	const record = runtimeRecord(sandbox);
	const noRecord = whyNoRecord(runtime);
	const sandboxNetns = sandbox?.netnsInode ?? path?.netns?.inode ?? null;
	const rows: ContainerRow[] = [];
	if (!pod.hostNetwork || sandbox) {
		rows.push({
			name: 'pause',
			kind: 'sandbox',
			id: sandbox?.sandboxId ?? null,
			state: sandbox ? (sandbox.pid === null ? 'exited' : 'running') : (path?.netns ? 'running' : 'unknown'),
			restarts: null,
			image: sandbox ? `sandbox ${sandbox.sandboxId.slice(0, 12)}` : '(sandbox)',
			pid: sandbox?.pid ?? path?.netns?.pid ?? null,
			netns: sandboxNetns,
			shares: null,
			facts: sandboxFacts(record.sandbox, runtime?.kind ?? null, noRecord),
		});
	}

	for (const container of pod.containers) {
		const seen = record.containers.find(c => c.name === container.name);
		const netns = seen?.netnsInode ?? null;
		rows.push({
			name: container.name,
			kind: container.kind,
			id: seen?.id ?? container.containerID?.replace(/^[^:]+:\/\//, '') ?? null,
			state: container.reason ? `${container.state} (${container.reason})` : container.state,
			restarts: seen?.restarts ?? container.restarts,
			image: container.image,
			pid: seen?.pid ?? null,
			netns,
			shares: netns === null || sandboxNetns === null ? null : netns === sandboxNetns,
			facts: containerFacts(container, seen, sandbox ? 'the runtime has no such container in this sandbox' : noRecord),
		});
	}

	const ip = path?.ip ?? pod.ips[0] ?? null;
	if (pod.hostNetwork) {
		return {rows, fact: 'hostNetwork: every container uses the node\'s netns and the node\'s IPs', tone: 'ok'};
	}

	const odd = rows.filter(row => row.shares === false);
	if (odd.length > 0) {
		const names = odd.map(row => `${row.name} (net:[${row.netns}])`).join(', ');
		return {rows, fact: `! not shared: ${names} differ from the sandbox's net:[${sandboxNetns}]`, tone: 'warn'};
	}

	const known = rows.filter(row => row.netns !== null).length;
	if (sandboxNetns !== null && known > 1) {
		return {rows, fact: `all ${known} share netns net:[${sandboxNetns}] and IP ${ip ?? '(none yet)'}`, tone: 'ok'};
	}

	const netnsText = sandboxNetns === null ? 'unknown' : `net:[${sandboxNetns}]`;
	return {rows, fact: `pod netns ${netnsText}, IP ${ip ?? '(none yet)'}; per-container netns unknown: ${noRecord}`, tone: 'unknown'};
}

function whyNoRecord(runtime: RuntimeInfo | null): string {
	return runtime?.note ?? (runtime ? `no ${runtime.kind} record of this pod's containers` : 'runtime not probed yet');
}
