// Which pod the container runtime says each network namespace belongs to. A pod IP alone cannot
// choose between two namespaces that both hold it (a netns leaked by a failed CNI DEL, a sandbox
// re-created with the old address); the runtime's sandbox, read by netns inode, can. Pure.
import type {RuntimeSandbox} from './types.js';

export interface SandboxOwner {
	uid: string;
	/** namespace/name, for evidence. */
	title: string;
}

export interface SandboxOwners {
	/** pod uid → the netns inodes of its sandboxes that the runtime could read. */
	byPod: Map<string, number[]>;
	/** netns inode → every pod whose sandbox the runtime puts there (more than one: a stale pid). */
	byInode: Map<number, SandboxOwner[]>;
}

export function sandboxOwners(sandboxes: readonly RuntimeSandbox[]): SandboxOwners {
	const byPod = new Map<string, number[]>();
	const byInode = new Map<number, SandboxOwner[]>();
	for (const sandbox of sandboxes) {
		if (sandbox.netnsInode === null) continue;
		const inodes = byPod.get(sandbox.podUid) ?? [];
		if (!inodes.includes(sandbox.netnsInode)) inodes.push(sandbox.netnsInode);
		byPod.set(sandbox.podUid, inodes);
		const owners = byInode.get(sandbox.netnsInode) ?? [];
		if (!owners.some(owner => owner.uid === sandbox.podUid)) owners.push({uid: sandbox.podUid, title: `${sandbox.namespace}/${sandbox.name}`});
		byInode.set(sandbox.netnsInode, owners);
	}

	return {byPod, byInode};
}

/** The pods the runtime gives namespace `inode`, when this pod is not among them; else none. */
export function otherOwners(owners: SandboxOwners, inode: number, uid: string): SandboxOwner[] {
	const list = owners.byInode.get(inode) ?? [];
	return list.some(owner => owner.uid === uid) ? [] : list;
}
