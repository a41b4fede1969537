// Pure: what the CRI's four read calls answer → one sandbox record per pod.
//   ListPodSandbox        items[]: id, metadata {name, namespace, uid}, state, createdAt
//   PodSandboxStatus (v)  info.info: JSON {pid, runtimeSpec.linux.namespaces[type=network].path}
//   ListContainers        containers[]: id, podSandboxId, metadata {name, attempt}, labels, state
//   ContainerStatus (v)   status {state, startedAt, exitCode, reason, image, imageRef, annotations};
//                         info.info: JSON {pid, runtimeSpec.linux.cgroupsPath}
// The verbose info is the same document crictl inspect prints, so crictl's reader reads it too.
// A container joins its pod by podSandboxId, else by the io.kubernetes.pod.uid label kubelet sets.
import type {CriMessage} from './cri-client.js';
import {criState, nanosToMs, parseCrictlInspect} from './crictl-json.js';
import {isContainerId} from './container-id.js';
import {asArray, asObject, asString, dig, stringMap} from './json-fields.js';
import {onePerPod, type ContainerRecord, type SandboxRecord} from './sandbox-record.js';

export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';

export interface CriAnswers {
	sandboxes: CriMessage;
	containers: CriMessage;
	/** sandbox id → PodSandboxStatusResponse (verbose). */
	sandboxStatus: ReadonlyMap<string, CriMessage>;
	/** container id → ContainerStatusResponse (verbose). */
	containerStatus: ReadonlyMap<string, CriMessage>;
}

export function criRecords(a: CriAnswers): SandboxRecord[] {
	const inspected = parseCrictlInspect([...a.sandboxStatus.values(), ...a.containerStatus.values()].map(inspectDocument));
	const records = new Map<string, SandboxRecord>();
	for (const item of asArray(dig(a.sandboxes, 'items'))) {
		const id = asString(dig(item, 'id'));
		const uid = asString(dig(item, 'metadata', 'uid'));
		if (!isContainerId(id) || !uid) continue;
		const ready = dig(item, 'state') === 'SANDBOX_READY';
		const process = inspected.get(id);
		records.set(id, {
			podUid: uid,
			namespace: asString(dig(item, 'metadata', 'namespace')) ?? '',
			name: asString(dig(item, 'metadata', 'name')) ?? '',
			sandboxId: id,
			pid: ready ? process?.pid ?? null : null,
			netnsPath: process?.netnsPath ?? null,
			createdAt: nanosToMs(dig(item, 'createdAt')),
			running: ready,
			state: ready ? 'ready' : 'notready',
			containers: [],
		});
	}

	const newestOfPod = new Map(onePerPod([...records.values()]).map(record => [record.podUid, record]));
	for (const item of asArray(dig(a.containers, 'containers'))) {
		const id = asString(dig(item, 'id'));
		if (!isContainerId(id)) continue;
		const labels = stringMap(dig(item, 'labels'));
		const uid = labels[POD_UID_LABEL];
		const record = records.get(asString(dig(item, 'podSandboxId')) ?? '') ?? (uid === undefined ? undefined : newestOfPod.get(uid));
		if (record === undefined) continue;
		record.containers.push(containerRecord(id, item, a.containerStatus.get(id), inspected.get(id)?.pid ?? null));
	}

	return onePerPod([...records.values()]);
}

function containerRecord(id: string, listed: unknown, statusResponse: CriMessage | undefined, pid: number | null): ContainerRecord {
	const status = asObject(dig(statusResponse, 'status'));
	const state = criState(asString(dig(status ?? listed, 'state')));
	const annotations = stringMap(dig(status ?? listed, 'annotations'));
	const restarts = Number(annotations[RESTART_COUNT_ANNOTATION] ?? dig(listed, 'metadata', 'attempt'));
	const exitCode = dig(status, 'exitCode');
	const info = infoOf(statusResponse);
	return {
		name: asString(dig(listed, 'metadata', 'name')) ?? '',
		id,
		pid: state === 'running' ? pid : null,
		state,
		image: nonEmpty(dig(status, 'image', 'image')) ?? nonEmpty(dig(listed, 'image', 'image')),
		imageID: nonEmpty(dig(status, 'imageRef')) ?? nonEmpty(dig(listed, 'imageRef')),
		reason: nonEmpty(dig(status, 'reason')),
		// A container that never exited has exit code 0 in CRI: only an exited one's is news.
		exitCode: state === 'exited' && typeof exitCode === 'number' ? exitCode : null,
		restarts: Number.isSafeInteger(restarts) && restarts >= 0 ? restarts : null,
		startedAt: nanosToIso(dig(status, 'startedAt')),
		cgroup: nonEmpty(dig(info, 'runtimeSpec', 'linux', 'cgroupsPath')),
	};
}

/** A verbose PodSandboxStatus's pause pid and netns file. */
export function sandboxProcess(response: CriMessage): {pid: number | null; netnsPath: string | null} {
	return [...parseCrictlInspect([inspectDocument(response)]).values()][0] ?? {pid: null, netnsPath: null};
}

/** The verbose status as `crictl inspect` prints it: {status: {id}, info: {...}}. */
function inspectDocument(response: CriMessage): unknown {
	return {status: dig(response, 'status'), info: infoOf(response)};
}

function infoOf(response: CriMessage | undefined): unknown {
	const text = asString(dig(response, 'info', 'info'));
	if (text === null) return null;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return null;
	}
}

function nonEmpty(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/** CRI times are int64 nanoseconds since the epoch; 0 means never. */
function nanosToIso(value: unknown): string | null {
	const ms = nanosToMs(value);
	return ms > 0 ? new Date(ms).toISOString() : null;
}
