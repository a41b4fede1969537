// The netns inode of many processes in one go: in-process when we see the node's /proc (local node,
// the lab), else one `stat` for all of them, whatever the pod count.
import {stat} from 'node:fs/promises';
import type {NodeShell} from '../node-shell.js';

// Only paths we built (/proc/PID/ns/net) or a runtime's netns bind mount reach argv.
const SAFE_PATH = /^\/[\w./:-]+$/;

export async function readNetnsInodes(shell: NodeShell, paths: readonly string[]): Promise<Map<string, number>> {
	const wanted = paths.filter(path => SAFE_PATH.test(path));
	if (wanted.length === 0) return new Map();
	if (shell.sharesProcfs) return statInProcess(wanted);
	const result = await shell.run(['stat', '-L', '-c', '%i %n', '--', ...wanted]);
	// stat exits 1 when some process is gone, and still prints the others.
	return parseStatInodes(result.stdout);
}

/** `stat -L -c '%i %n'` lines → path → inode. */
export function parseStatInodes(stdout: string): Map<string, number> {
	const inodes = new Map<string, number>();
	for (const line of stdout.split('\n')) {
		const match = /^(\d+) (\/\S+)$/.exec(line.trim());
		if (match?.[1] !== undefined && match[2] !== undefined) inodes.set(match[2], Number(match[1]));
	}

	return inodes;
}

async function statInProcess(paths: readonly string[]): Promise<Map<string, number>> {
	const inodes = new Map<string, number>();
	await Promise.all(
		paths.map(async path => {
			try {
				inodes.set(path, (await stat(path)).ino);
			} catch {
				// The process exited between listing and now: its inode stays unknown.
			}
		}),
	);
	return inodes;
}
