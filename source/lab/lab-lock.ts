// One lab command changes the lab at a time: two `lab up`s at once would both find the ground
// clear and build over each other, and two `lab pod add`s would each write a state file that lacks
// the other's pod. The lock is a file naming its owner (pid and start time), which appears only
// complete: it is written under a private name and link()ed into place, and link() never replaces
// (O_EXCL + write would show racers an empty file for a moment, which reads as "owner dead").
// A lock whose owner died (a crash, kill -9) is taken over, one taker at a time.
import {linkSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {LAB_PREFIX} from './lab-state.js';

export const LAB_LOCK_FILE = `/run/${LAB_PREFIX}.lock`;

/** A guard left by a taker killed inside its few-microsecond critical section is this old at least. */
const STALE_GUARD_MS = 5000;

/** Field 22 of /proc/PID/stat: with the pid, it names a process even after the pid is reused. */
function startTime(pid: number): string | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}

function ownerLine(): string {
	return `${process.pid} ${startTime(process.pid) ?? '?'}\n`;
}

function ownerAlive(text: string): boolean {
	const [pidText, started] = text.trim().split(' ');
	const pid = Number(pidText);
	if (!Number.isInteger(pid) || pid <= 0) return false;
	const now = startTime(pid);
	// A lock from an older version holds a bare pid: then the pid alone decides.
	return now !== null && (started === undefined || started === '?' || started === now);
}

/** Creates `file` holding `text`, or returns false if it exists. Never shows a partial file. */
function createWhole(file: string, text: string): boolean {
	const tmp = `${file}.${process.pid}.tmp`;
	writeFileSync(tmp, text, {mode: 0o644});
	try {
		linkSync(tmp, file);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		return false;
	} finally {
		rmSync(tmp, {force: true});
	}
}

function readLock(file: string): {text: string; ino: number; mtimeMs: number} | null {
	try {
		const {ino, mtimeMs} = statSync(file);
		return {text: readFileSync(file, 'utf8'), ino, mtimeMs};
	} catch {
		return null;
	}
}

/**
 * Removes `file` if it still is the dead owner's lock we saw (same inode). Two takers that both saw
 * the dead owner would otherwise both remove "it", the second removing the first one's new lock;
 * so takers go one at a time through a guard, and each re-checks under it.
 */
function removeIfStale(file: string, seen: {ino: number}): void {
	const guard = `${file}.takeover`;
	if (!createWhole(guard, ownerLine())) {
		const g = readLock(guard);
		if (g && !ownerAlive(g.text) && Date.now() - g.mtimeMs > STALE_GUARD_MS) rmSync(guard, {force: true});
		return;
	}

	try {
		const now = readLock(file);
		if (now && now.ino === seen.ino && !ownerAlive(now.text)) rmSync(file, {force: true});
	} finally {
		rmSync(guard, {force: true});
	}
}

/** The inode of the lock we now hold, or null if another owner holds it. */
function tryTake(file: string): number | null {
	if (createWhole(file, ownerLine())) return statSync(file).ino;
	const held = readLock(file);
	if (held && !ownerAlive(held.text)) removeIfStale(file, held);
	return null;
}

/** Runs fn holding the lab lock; waits up to timeoutMs for another lab command to finish. */
export async function withLabLock<T>(fn: () => Promise<T>, o: {timeoutMs?: number; file?: string} = {}): Promise<T> {
	const file = o.file ?? LAB_LOCK_FILE;
	const deadline = Date.now() + (o.timeoutMs ?? 120_000);
	let ino: number | null;
	while ((ino = tryTake(file)) === null) {
		if (Date.now() > deadline) {
			const owner = readLock(file)?.text.trim().split(' ')[0];
			throw new Error(`another lab command${owner ? ` (pid ${owner})` : ''} holds ${file}; if none runs, remove that file`);
		}

		await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
	}

	try {
		return await fn();
	} finally {
		// Only our own lock: should it ever have been taken over, the new owner's stays.
		if (readLock(file)?.ino === ino) rmSync(file, {force: true});
	}
}
