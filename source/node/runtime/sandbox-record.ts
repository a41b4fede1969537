// What every runtime adapter (docker, crictl, the lab's records) reports before the netns inodes
// are read: one record per pod, holding the pause process and the pod's containers. Reading the
// inodes is one batched step for all of them (netns-inodes.ts), so no adapter stats anything itself.
import type {RuntimeSandbox} from '../../core/types.js';

export interface ContainerRecord {
	name: string;
	id: string;
	pid: number | null;
	/** running | exited | created | paused | unknown ... as the runtime says, lowercased. */
	state: string;
}

export interface SandboxRecord {
	podUid: string;
	namespace: string;
	name: string;
	sandboxId: string;
	pid: number | null;
	/** A netns file the runtime names (/var/run/netns/cni-...); used when there is no pid to follow. */
	netnsPath: string | null;
	/** When the runtime created it (epoch ms), to prefer the newest of a pod's sandboxes. */
	createdAt: number;
	running: boolean;
	containers: ContainerRecord[];
}

export function procNetnsPath(pid: number): string {
	return `/proc/${pid}/ns/net`;
}

function sandboxNetnsPath(record: SandboxRecord): string | null {
	return record.pid === null ? record.netnsPath : procNetnsPath(record.pid);
}

/** Every file whose inode the records need, once each. */
export function netnsPathsOf(records: readonly SandboxRecord[]): string[] {
	const paths = new Set<string>();
	for (const record of records) {
		const own = sandboxNetnsPath(record);
		if (own !== null) paths.add(own);
		for (const container of record.containers) if (container.pid !== null) paths.add(procNetnsPath(container.pid));
	}

	return [...paths];
}

export function toRuntimeSandboxes(records: readonly SandboxRecord[], inodes: ReadonlyMap<string, number>): RuntimeSandbox[] {
	return records.map(record => {
		const own = sandboxNetnsPath(record);
		return {
			podUid: record.podUid,
			namespace: record.namespace,
			name: record.name,
			sandboxId: record.sandboxId,
			pid: record.pid,
			netnsInode: own === null ? null : inodes.get(own) ?? null,
			containers: record.containers.map(container => ({
				name: container.name,
				id: container.id,
				pid: container.pid,
				netnsInode: container.pid === null ? null : inodes.get(procNetnsPath(container.pid)) ?? null,
				state: container.state,
			})),
		};
	});
}

/**
 * A pod can have several sandboxes (a restarted pause container leaves the old one behind):
 * keep one per pod uid, the running one, else the newest.
 */
export function onePerPod(records: readonly SandboxRecord[]): SandboxRecord[] {
	const best = new Map<string, SandboxRecord>();
	for (const record of records) {
		const current = best.get(record.podUid);
		if (current === undefined || rank(record) > rank(current)) best.set(record.podUid, record);
	}

	return [...best.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

function rank(record: SandboxRecord): number {
	return (record.running ? 1e15 : 0) + record.createdAt;
}
