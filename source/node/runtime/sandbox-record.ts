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
	// What a runtime may add; a runtime that does not say leaves it out, and it reads as unknown (null).
	image?: string | null;
	imageID?: string | null;
	reason?: string | null;
	exitCode?: number | null;
	restarts?: number | null;
	/** ISO 8601. */
	startedAt?: string | null;
	cgroup?: string | null;
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
	/** The runtime's word for the sandbox's state (ready, notready, running, exited); absent: from `running`. */
	state?: string;
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

/** `runtime`: what runs the containers (containerd, cri-o, docker, lab), for each container's record. */
export function toRuntimeSandboxes(records: readonly SandboxRecord[], inodes: ReadonlyMap<string, number>, runtime: string): RuntimeSandbox[] {
	return records.map(record => {
		const own = sandboxNetnsPath(record);
		return {
			podUid: record.podUid,
			namespace: record.namespace,
			name: record.name,
			sandboxId: record.sandboxId,
			pid: record.pid,
			state: record.state ?? (record.running ? 'ready' : 'notready'),
			netnsPath: record.netnsPath ?? (record.pid === null ? null : procNetnsPath(record.pid)),
			netnsInode: own === null ? null : inodes.get(own) ?? null,
			containers: record.containers.map(container => ({
				name: container.name,
				id: container.id,
				image: container.image ?? null,
				imageID: container.imageID ?? null,
				state: container.state,
				reason: container.reason ?? null,
				exitCode: container.exitCode ?? null,
				restarts: container.restarts ?? null,
				startedAt: container.startedAt ?? null,
				pid: container.pid,
				netnsInode: container.pid === null ? null : inodes.get(procNetnsPath(container.pid)) ?? null,
				cgroup: container.cgroup ?? null,
				runtime,
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
