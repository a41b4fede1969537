// The lab's long-lived processes: pause sandboxes, containers, traffic pingers and the API daemons.
// Each runs detached (own session, stdio ignored) so it outlives `lab up`, and carries an argv0
// title starting with `k8snet-lab` so `lab down` can find it even when a crash lost the state file.
import {readFileSync, readdirSync, readlinkSync} from 'node:fs';
import {startDaemon} from '../node/child-process.js';
import {LAB_DIR, LAB_PREFIX} from './lab-state.js';

/** Where the process starts: the caller's netns, an existing one, or a fresh unnamed one. */
export type NetnsPlacement = {kind: 'inherit'} | {kind: 'join'; path: string} | {kind: 'new'};

// `exec -a` is the only portable way to set argv0 through nsenter/unshare; title and command
// arrive as positional parameters, never inside the script text.
const EXEC_TITLED = 'exec -a "$0" "$@"';
const EXEC_TITLED_LO_UP = 'ip link set lo up && exec -a "$0" "$@"';

export interface SpawnTitledOptions {
	title: string;
	argv: string[];
	netns: NetnsPlacement;
	/** Bring lo up in the netns first (a pause process does, as the CNI loopback plugin would). */
	loUp?: boolean;
	/** Append stdout and stderr here (daemons), instead of discarding them. */
	log?: string;
}

export function spawnTitled(o: SpawnTitledOptions): number {
	if (!o.title.startsWith(LAB_PREFIX)) throw new Error(`lab process title must start with ${LAB_PREFIX}`);
	const prefix =
		o.netns.kind === 'join' ? ['nsenter', `--net=${o.netns.path}`, '--'] : o.netns.kind === 'new' ? ['unshare', '--net', '--'] : [];
	const argv = [...prefix, 'bash', '-c', o.loUp ? EXEC_TITLED_LO_UP : EXEC_TITLED, o.title, ...o.argv];
	// Started in the lab's folder: the cwd marks the process as this lab's (see isLabProcess).
	const pid = startDaemon(argv, {cwd: LAB_DIR, log: o.log});
	if (pid === null) throw new Error(`could not start ${argv[0]}`);
	return pid;
}

export function readArgv(pid: number): string[] | null {
	try {
		const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		return raw.length === 0 ? null : raw.replace(/\0$/, '').split('\0');
	} catch {
		return null;
	}
}

export function isAlive(pid: number): boolean {
	return !isZombieOrGone(pid);
}

function isZombieOrGone(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return true;
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until pid runs under its title: then nsenter/unshare are done and the process sits in its
 * netns. Before that, /proc/<pid>/ns/net may still be ours, and wiring it would wire the wrong netns.
 * `anyLabTitle`: a daemon retitles itself (process.title) to another lab name, and that counts too.
 */
export async function waitForTitle(pid: number, title: string, o: {anyLabTitle?: boolean; timeoutMs?: number} = {}): Promise<boolean> {
	const deadline = Date.now() + (o.timeoutMs ?? 5000);
	for (let delay = 2; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
		const argv0 = readArgv(pid)?.[0];
		if (argv0 === title || (o.anyLabTitle && argv0?.startsWith(LAB_PREFIX))) return true;
		if (isZombieOrGone(pid)) return false;
		await sleep(delay);
	}

	return false;
}

/**
 * Titled k8snet-lab* and started in the lab's folder (its cwd stays there, "(deleted)" once the
 * folder is gone). The title alone is not enough: lab API tests run titled daemons elsewhere.
 */
export function isLabProcess(pid: number): boolean {
	// meow retitles every run of our CLI `k8snet-tui` for a moment, daemons included.
	const argv0 = readArgv(pid)?.[0] ?? '';
	if (!argv0.startsWith(LAB_PREFIX) && argv0 !== 'k8snet-tui') return false;
	try {
		const cwd = readlinkSync(`/proc/${pid}/cwd`);
		return cwd === LAB_DIR || cwd.startsWith(`${LAB_DIR}/`) || cwd === `${LAB_DIR} (deleted)`;
	} catch {
		return false;
	}
}

/** Every live lab process (see isLabProcess), ours or left by a crashed run. */
export function findLabProcesses(): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		if (pid !== process.pid && isLabProcess(pid)) pids.push(pid);
	}

	return pids;
}

/** TERM, then KILL what is left after a second; resolves when all are gone (or zombies). */
export async function killProcesses(pids: number[]): Promise<void> {
	const send = (sig: NodeJS.Signals, list: number[]) => {
		for (const pid of list) {
			try {
				process.kill(pid, sig);
			} catch {
				// Already gone.
			}
		}
	};

	const waitGone = async (list: number[], ms: number) => {
		const deadline = Date.now() + ms;
		let left = list;
		while (left.length > 0 && Date.now() < deadline) {
			await sleep(10);
			left = left.filter((pid) => !isZombieOrGone(pid));
		}

		return left;
	};

	send('SIGTERM', pids);
	const left = await waitGone(pids, 1000);
	send('SIGKILL', left);
	await waitGone(left, 2000);
}
