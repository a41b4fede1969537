// Pure: in the lab, `lab up` recorded what a runtime would know (sandbox pid, netns file, container
// pids), so the lab's state file plays the container runtime.
import type {LabState} from '../../lab/lab-state.js';
import type {SandboxRecord} from './sandbox-record.js';

export function labRecords(lab: LabState): SandboxRecord[] {
	const records: SandboxRecord[] = [];
	for (const pod of lab.pods) {
		// A pending pod has no sandbox yet, as on a real node.
		if (pod.kind === 'pending' || pod.sandboxId === '') continue;
		const createdAt = Date.parse(pod.createdAt);
		records.push({
			podUid: pod.uid,
			namespace: pod.namespace,
			name: pod.name,
			sandboxId: pod.sandboxId,
			pid: pod.sandboxPid,
			netnsPath: pod.netnsPath,
			createdAt: Number.isFinite(createdAt) ? createdAt : 0,
			// A pod whose sandbox is gone keeps its netnsPath in the state but has no pid: not running.
			running: pod.sandboxPid !== null,
			containers: pod.containers.map(container => ({
				name: container.name,
				id: container.id,
				pid: container.pid,
				state: container.pid === null ? 'exited' : 'running',
				image: container.image,
			})),
		});
	}

	return records;
}
