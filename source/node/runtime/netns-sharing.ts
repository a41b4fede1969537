// Pure: does every container of a pod live in its pause container's netns? The Kubernetes model
// says they must; a container that does not (hostNetwork-like hacks, a runtime bug, a debug
// container started wrong) is what the UI flags.
import type {RuntimeSandbox} from '../../core/types.js';

export type RuntimeContainer = RuntimeSandbox['containers'][number];

export interface NetnsSharing {
	sandboxInode: number | null;
	/** Same netns inode as the sandbox. */
	shared: RuntimeContainer[];
	/** A different netns inode: flag these. */
	separate: RuntimeContainer[];
	/** Not running, or an inode could not be read: nothing to say. */
	unknown: RuntimeContainer[];
}

export function netnsSharing(sandbox: RuntimeSandbox): NetnsSharing {
	const sharing: NetnsSharing = {sandboxInode: sandbox.netnsInode, shared: [], separate: [], unknown: []};
	for (const container of sandbox.containers) {
		if (sandbox.netnsInode === null || container.netnsInode === null) sharing.unknown.push(container);
		else if (container.netnsInode === sandbox.netnsInode) sharing.shared.push(container);
		else sharing.separate.push(container);
	}

	return sharing;
}
