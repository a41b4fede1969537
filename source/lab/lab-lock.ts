// One lab command changes the lab at a time: two `lab up`s at once would both find the ground
// clear and build over each other. The lock is a file holding the owner's pid, taken with O_EXCL;
// a lock whose owner died (a crash, kill -9) is taken over.
import {closeSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs';
import {LAB_PREFIX} from './lab-state.js';

export const LAB_LOCK_FILE = `/run/${LAB_PREFIX}.lock`;

function ownerAlive(file: string): boolean {
	try {
		const pid = Number(readFileSync(file, 'utf8').trim());
		if (!Number.isInteger(pid) || pid <= 0) return false;
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: alive but not ours to signal; anything else: no owner.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function tryTake(file: string): boolean {
	try {
		const fd = openSync(file, 'wx', 0o644);
		writeSync(fd, `${process.pid}\n`);
		closeSync(fd);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		if (!ownerAlive(file)) rmSync(file, {force: true});
		return false;
	}
}

/** Runs fn holding the lab lock; waits up to timeoutMs for another lab command to finish. */
export async function withLabLock<T>(fn: () => Promise<T>, o: {timeoutMs?: number; file?: string} = {}): Promise<T> {
	const file = o.file ?? LAB_LOCK_FILE;
	const deadline = Date.now() + (o.timeoutMs ?? 120_000);
	while (!tryTake(file)) {
		if (Date.now() > deadline) throw new Error(`another lab command holds ${file}; if none runs, remove that file`);
		await new Promise((r) => setTimeout(r, 50));
	}

	try {
		return await fn();
	} finally {
		rmSync(file, {force: true});
	}
}
