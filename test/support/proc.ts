// What /proc says about a process, for tests that check the process tree.
import {readdirSync, readFileSync} from 'node:fs';

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
