// Which pause container holds each pod's netns, and which containers share it. The order: the lab's
// own records when running the lab, else crictl (containerd, cri-o), else docker (cri-dockerd),
// else nothing, with a note. When crictl answers without any pid (cri-dockerd does), docker is
// asked too. A constant number of processes per call, whatever the pod count: crictl 4, docker 2,
// plus at most one `stat` for the netns inodes (none when /proc is ours).
import type {RuntimeInfo, RuntimeSandbox} from '../../core/types.js';
import type {LabState} from '../../lab/lab-state.js';
import type {NodeShell} from '../node-shell.js';
import {crictlRuntime} from './crictl-runtime.js';
import {dockerRuntime} from './docker-runtime.js';
import {labRecords} from './lab-runtime.js';
import {readNetnsInodes} from './netns-inodes.js';
import type {RuntimeOutcome} from './runtime-outcome.js';
import {netnsPathsOf, toRuntimeSandboxes, type SandboxRecord} from './sandbox-record.js';

type FoundOutcome = Extract<RuntimeOutcome, {status: 'found'}>;

export const NO_RUNTIME_NOTE = 'no container runtime CLI on this node: containers come from the API alone';

export interface RuntimeProbe {
	info: RuntimeInfo;
	/** Processes spawned for this call (failed attempts at absent CLIs included). */
	processes: number;
	durationMs: number;
}

type RuntimeAdapter = (shell: NodeShell) => Promise<RuntimeOutcome>;

export async function detectRuntime(shell: NodeShell, lab?: LabState | null): Promise<RuntimeInfo> {
	return (await probeRuntime(shell, lab)).info;
}

/** For a poll loop: a runtime CLI found missing once is not spawned again on every later call. */
export function createRuntimeDetector(shell: NodeShell): (lab?: LabState | null) => Promise<RuntimeInfo> {
	const absent = new Set<RuntimeAdapter>();
	return async lab => (await probeRuntime(shell, lab, absent)).info;
}

/** detectRuntime, with what it cost: for benches and the status line. `absent` is updated in place. */
export async function probeRuntime(shell: NodeShell, lab?: LabState | null, absent = new Set<RuntimeAdapter>()): Promise<RuntimeProbe> {
	const started = performance.now();
	let processes = 0;
	const finish = (info: RuntimeInfo): RuntimeProbe => ({info, processes, durationMs: performance.now() - started});
	const withInodes = async (records: SandboxRecord[]): Promise<RuntimeSandbox[]> => {
		const paths = netnsPathsOf(records);
		if (!shell.sharesProcfs && paths.length > 0) processes++;
		return toRuntimeSandboxes(records, await readNetnsInodes(shell, paths));
	};

	if (lab) {
		const sandboxes = await withInodes(labRecords(lab));
		// A recorded pid whose netns cannot be read any more belongs to a process that is gone.
		return finish({kind: 'lab', sandboxes: sandboxes.map(markGoneContainers), note: null});
	}

	const reasons: string[] = [];
	let best: FoundOutcome | null = null;
	for (const adapter of [crictlRuntime, dockerRuntime]) {
		if (absent.has(adapter)) continue;
		const outcome = await adapter(shell);
		processes += outcome.processes;
		if (outcome.status === 'absent') absent.add(adapter);
		if (outcome.status === 'failed') reasons.push(outcome.reason);
		if (outcome.status !== 'found') continue;
		// crictl through cri-dockerd (minikube) lists pods but gives no pids; docker then knows more.
		if (outcome.records.some(record => record.pid !== null)) {
			best = outcome;
			break;
		}

		if (best === null || outcome.records.length > best.records.length) best = outcome;
	}

	if (best !== null) return finish({kind: best.kind, sandboxes: await withInodes(best.records), note: null});
	const note = reasons.length === 0 ? NO_RUNTIME_NOTE : `${reasons.join('; ')}: containers come from the API alone`;
	return finish({kind: 'none', sandboxes: [], note});
}

function markGoneContainers(sandbox: RuntimeSandbox): RuntimeSandbox {
	return {
		...sandbox,
		containers: sandbox.containers.map(c => (c.pid !== null && c.netnsInode === null ? {...c, state: 'gone'} : c)),
	};
}
