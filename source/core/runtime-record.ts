// Pure: each pod's `sandbox` and `containers[]` as the node's runtime reports them (CRI, crictl,
// docker or the lab's records), the one record `dump --json` and the Containers pane both show.
// A pod the runtime does not know has `sandbox: null` and no containers: unknown, not empty.
import type {PodPath, RuntimeContainer, RuntimeSandbox} from './types.js';

export interface PodRuntimeRecord {
	sandbox: {id: string; pid: number | null; state: string; netnsPath: string | null; netnsInode: number | null} | null;
	containers: RuntimeContainer[];
}

export function sandboxOfPod(sandboxes: readonly RuntimeSandbox[], pod: {uid: string; namespace: string; name: string}): RuntimeSandbox | null {
	return sandboxes.find(s => s.podUid === pod.uid) ?? sandboxes.find(s => s.namespace === pod.namespace && s.name === pod.name) ?? null;
}

export function runtimeRecord(sandbox: RuntimeSandbox | null): PodRuntimeRecord {
	if (sandbox === null) return {sandbox: null, containers: []};
	return {
		sandbox: {id: sandbox.sandboxId, pid: sandbox.pid, state: sandbox.state, netnsPath: sandbox.netnsPath, netnsInode: sandbox.netnsInode},
		containers: sandbox.containers,
	};
}

export function withRuntimeRecords(paths: readonly PodPath[], sandboxes: readonly RuntimeSandbox[]): Array<PodPath & PodRuntimeRecord> {
	return paths.map(path => ({...path, ...runtimeRecord(sandboxOfPod(sandboxes, path))}));
}
