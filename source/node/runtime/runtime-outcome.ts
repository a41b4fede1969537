// What one runtime adapter found out. 'absent' means its CLI is not on the node (try the next one);
// 'failed' means the CLI is there but could not answer (its reason ends up in the note).
import type {RunResult} from '../node-shell.js';
import type {SandboxRecord} from './sandbox-record.js';

export type RuntimeOutcome = (
	| {status: 'found'; kind: 'docker' | 'crictl' | 'cri'; records: SandboxRecord[]; /** What runs the containers: containerd, cri-o, docker. */ runtime?: string}
	| {status: 'absent'}
	| {status: 'failed'; reason: string}
) & {
	/** Commands it ran, to keep the per-poll process count honest. */
	processes: number;
};

/**
 * The CLI is not on the node: spawn's ENOENT (which local shells report as "not installed"), or
 * the shell's `command not found` (127) through ssh / docker exec.
 */
export function notInstalled(result: RunResult): boolean {
	return result.exitCode === 127 || (result.failure !== null && /not installed|ENOENT|not found/i.test(result.failure));
}

/** The first meaningful line a failing CLI printed, for a one-line reason. */
export function firstErrorLine(result: RunResult): string {
	if (result.failure !== null) return result.failure;
	const line = result.stderr.split('\n').map(l => l.trim()).find(l => l !== '');
	return line ?? `exit code ${result.exitCode ?? 'unknown'}`;
}
