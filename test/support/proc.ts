// What /proc says about a process, for tests that check the process tree.
import {existsSync, readdirSync, readFileSync} from 'node:fs';

/** The parent pid, from /proc/PID/stat (the field after the state; comm may hold spaces). */
export function parentOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** The pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
	const children: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (parentOf(Number(entry)) === pid) children.push(Number(entry));
		} catch {
			// exited while we looked
		}
	}
	return children;
}

/** Whether pid runs: a zombie still has /proc/<pid>, and is dead for our purposes. */
export function alive(pid: number): boolean {
	try {
		return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return false;
	}
}

/** The pids a test's stand-in script appended to `file`, one a line (none when it never ran). */
export function recordedPids(file: string): number[] {
	return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

/** SIGKILLs what a stand-in recorded in `file`, for an after() hook: a failed test leaves nothing. */
export function killRecordedPids(file: string): void {
	for (const pid of recordedPids(file)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
}
