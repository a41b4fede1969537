// Which pause container holds each pod's netns, and which containers share it. The order: the lab's
// own records when running the lab (its containerd's CRI socket when it runs one), else the CRI
// socket (containerd, cri-o: no process at all), else crictl, else docker (cri-dockerd), else
// nothing, with a note. A remote node is asked through crictl first when it has it, its socket
// forwarded otherwise. When crictl answers without any pid (cri-dockerd does), docker is asked
// too. A constant number of processes per call, whatever the pod count: CRI 0, crictl 4, docker 2,
// plus at most one `stat` for the netns inodes (none when /proc is ours).
import type {RuntimeInfo, RuntimeSandbox} from '../../core/types.js';
import type {LabState} from '../../lab/lab-state.js';
import type {NodeShell} from '../node-shell.js';
import {crictlRuntime} from './crictl-runtime.js';
import {createCriStatusCache, criRuntime, type CriStatusCache} from './cri-runtime.js';
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

export interface RuntimeOptions {
	/** --cri-socket. */
	criSocket?: string | undefined;
	/** Kept across a poll loop's calls (createRuntimeDetector makes one). */
	criCache?: CriStatusCache;
}

type AdapterName = 'cri' | 'crictl' | 'docker';
const ADAPTERS: Record<AdapterName, (shell: NodeShell, o: RuntimeOptions) => Promise<RuntimeOutcome>> = {
	cri: (shell, o) => criRuntime(shell, {socket: o.criSocket, cache: o.criCache}),
	crictl: shell => crictlRuntime(shell),
	docker: shell => dockerRuntime(shell),
};

/** Our own socket costs nothing to try; through a remote shell, crictl on the node is cheaper than forwarding. */
function adapterOrder(shell: NodeShell): AdapterName[] {
	return shell.sharesProcfs ? ['cri', 'crictl', 'docker'] : ['crictl', 'cri', 'docker'];
}

export async function detectRuntime(shell: NodeShell, lab?: LabState | null, o: RuntimeOptions = {}): Promise<RuntimeInfo> {
	return (await probeRuntime(shell, lab, new Set(), o)).info;
}

/** For a poll loop: a runtime found missing once is not asked again on every later call. */
export function createRuntimeDetector(shell: NodeShell, o: RuntimeOptions = {}): (lab?: LabState | null) => Promise<RuntimeInfo> {
	const absent = new Set<string>();
	const criCache = createCriStatusCache();
	return async lab => (await probeRuntime(shell, lab, absent, {...o, criCache})).info;
}

/** detectRuntime, with what it cost: for benches and the status line. `absent` is updated in place. */
export async function probeRuntime(shell: NodeShell, lab?: LabState | null, absent = new Set<string>(), o: RuntimeOptions = {}): Promise<RuntimeProbe> {
	const started = performance.now();
	let processes = 0;
	const finish = (info: RuntimeInfo): RuntimeProbe => ({info, processes, durationMs: performance.now() - started});
	const withInodes = async (records: SandboxRecord[], runtime: string): Promise<RuntimeSandbox[]> => {
		const paths = netnsPathsOf(records);
		if (!shell.sharesProcfs && paths.length > 0) processes++;
		return toRuntimeSandboxes(records, await readNetnsInodes(shell, paths), runtime);
	};

	if (lab?.containerd) {
		// The lab's containerd is a real one: read it as any node's, through its socket.
		const outcome = await criRuntime(shell, {socket: lab.containerd.socket, cache: o.criCache});
		if (outcome.status === 'found') return finish({kind: 'cri', sandboxes: await withInodes(outcome.records, outcome.runtime ?? 'containerd'), note: null});
		return finish({kind: 'none', sandboxes: [], note: `${outcome.status === 'failed' ? outcome.reason : `no CRI socket at ${lab.containerd.socket}`}: containers come from the API alone`});
	}

	if (lab) {
		const sandboxes = await withInodes(labRecords(lab), 'lab');
		// A recorded pid whose netns cannot be read any more belongs to a process that is gone.
		return finish({kind: 'lab', sandboxes: sandboxes.map(markGoneContainers), note: null});
	}

	const reasons: string[] = [];
	let best: FoundOutcome | null = null;
	for (const name of adapterOrder(shell)) {
		if (absent.has(name)) continue;
		const outcome = await ADAPTERS[name](shell, o);
		processes += outcome.processes;
		if (outcome.status === 'absent') absent.add(name);
		if (outcome.status === 'failed') reasons.push(outcome.reason);
		if (outcome.status !== 'found') continue;
		// crictl through cri-dockerd (minikube) lists pods but gives no pids; docker then knows more.
		if (outcome.records.some(record => record.pid !== null)) {
			best = outcome;
			break;
		}

		if (best === null || outcome.records.length > best.records.length) best = outcome;
	}

	if (best !== null) return finish({kind: best.kind, sandboxes: await withInodes(best.records, best.runtime ?? runtimeOfKind(best.kind)), note: null});
	const note = reasons.length === 0 ? NO_RUNTIME_NOTE : `${reasons.join('; ')}: containers come from the API alone`;
	return finish({kind: 'none', sandboxes: [], note});
}

/** crictl does not name the runtime behind it; docker is its own. */
function runtimeOfKind(kind: FoundOutcome['kind']): string {
	return kind === 'docker' ? 'docker' : 'cri';
}

function markGoneContainers(sandbox: RuntimeSandbox): RuntimeSandbox {
	return {
		...sandbox,
		containers: sandbox.containers.map(c => (c.pid !== null && c.netnsInode === null ? {...c, state: 'gone'} : c)),
	};
}
