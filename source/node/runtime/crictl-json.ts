// Pure: crictl's JSON (containerd and cri-o speak CRI; crictl prints it) → one sandbox record per pod.
//   crictl pods -o json          {items: [{id, metadata: {name, namespace, uid}, state, createdAt}]}
//   crictl inspectp -o json IDs  {status: {id, ...}, info: {pid, runtimeSpec.linux.namespaces[type=network].path}}
//                                (older containerd: info.netNamespace)
//   crictl ps -a -o json         {containers: [{id, podSandboxId, metadata: {name}, state}]}
//   crictl inspect -o json IDs   {status: {id, ...}, info: {sandboxID, pid}}
// Field shapes are checked against real outputs in test/fixtures/crictl (see SOURCES.md there).
import {isContainerId} from './container-id.js';
import {asArray, asPid, asString, dig} from './json-fields.js';
import {onePerPod, type SandboxRecord} from './sandbox-record.js';

export interface CrictlPod {
	id: string;
	name: string;
	namespace: string;
	uid: string;
	ready: boolean;
	createdAt: number;
}

export interface CrictlContainer {
	id: string;
	sandboxId: string;
	name: string;
	state: string;
}

export interface CrictlProcess {
	pid: number | null;
	netnsPath: string | null;
}

export function parseCrictlPods(json: unknown): CrictlPod[] {
	const pods: CrictlPod[] = [];
	for (const item of asArray(dig(json, 'items'))) {
		const id = asString(dig(item, 'id'));
		const uid = asString(dig(item, 'metadata', 'uid'));
		if (!isContainerId(id) || uid === null) continue;
		pods.push({
			id,
			name: asString(dig(item, 'metadata', 'name')) ?? '',
			namespace: asString(dig(item, 'metadata', 'namespace')) ?? '',
			uid,
			ready: dig(item, 'state') === 'SANDBOX_READY',
			createdAt: nanosToMs(dig(item, 'createdAt')),
		});
	}

	return pods;
}

export function parseCrictlContainers(json: unknown): CrictlContainer[] {
	const containers: CrictlContainer[] = [];
	for (const item of asArray(dig(json, 'containers'))) {
		const id = asString(dig(item, 'id'));
		const sandboxId = asString(dig(item, 'podSandboxId'));
		if (!isContainerId(id) || sandboxId === null) continue;
		containers.push({
			id,
			sandboxId,
			name: asString(dig(item, 'metadata', 'name')) ?? '',
			state: criState(asString(dig(item, 'state'))),
		});
	}

	return containers;
}

/** inspectp / inspect documents → id → pid and netns file. Works for sandboxes and containers. */
export function parseCrictlInspect(documents: readonly unknown[]): Map<string, CrictlProcess> {
	const byId = new Map<string, CrictlProcess>();
	for (const document of documents) {
		const id = asString(dig(document, 'status', 'id'));
		if (!isContainerId(id)) continue;
		const info = dig(document, 'info');
		byId.set(id, {pid: asPid(dig(info, 'pid')), netnsPath: networkNamespacePath(info)});
	}

	return byId;
}

function networkNamespacePath(info: unknown): string | null {
	for (const ns of asArray(dig(info, 'runtimeSpec', 'linux', 'namespaces'))) {
		if (dig(ns, 'type') === 'network') return asString(dig(ns, 'path'));
	}

	return asString(dig(info, 'netNamespace'));
}

export function crictlRecords(
	pods: readonly CrictlPod[],
	containers: readonly CrictlContainer[],
	inspected: ReadonlyMap<string, CrictlProcess>,
): SandboxRecord[] {
	const records = new Map<string, SandboxRecord>();
	for (const pod of pods) {
		const process = inspected.get(pod.id);
		records.set(pod.id, {
			podUid: pod.uid,
			namespace: pod.namespace,
			name: pod.name,
			sandboxId: pod.id,
			pid: pod.ready ? process?.pid ?? null : null,
			netnsPath: process?.netnsPath ?? null,
			createdAt: pod.createdAt,
			running: pod.ready,
			containers: [],
		});
	}

	for (const container of containers) {
		const record = records.get(container.sandboxId);
		if (record === undefined) continue;
		const pid = container.state === 'running' ? inspected.get(container.id)?.pid ?? null : null;
		record.containers.push({name: container.name, id: container.id, pid, state: container.state});
	}

	return onePerPod([...records.values()]);
}

/** CONTAINER_RUNNING → running, as docker words it. */
export function criState(state: string | null): string {
	return state?.replace(/^CONTAINER_/, '').toLowerCase() ?? 'unknown';
}

/** crictl prints createdAt as nanoseconds since the epoch, in a string. */
export function nanosToMs(value: unknown): number {
	const text = typeof value === 'number' ? String(value) : asString(value);
	return text !== null && /^\d+$/.test(text) ? Number(BigInt(text) / 1_000_000n) : 0;
}
