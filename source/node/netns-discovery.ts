// Finds every network namespace on the node and what keeps it alive: /run/netns bind mounts
// (containerd, cri-o, the lab) and processes (/proc/PID/ns/net: Docker's pause containers).
// When we share the node's /proc and /run this is plain filesystem reads, no process at all.
import {readdirSync, readFileSync, readlinkSync, statSync} from 'node:fs';
import type {NetnsHolder} from '../core/types.js';
import type {NodeShell} from './node-shell.js';

export interface DiscoveredNamespaces {
	/** Every holder of every namespace except the node's own, grouped by inode. */
	byInode: Map<number, NetnsHolder[]>;
	nodeInode: number | null;
	/** Processes whose namespace we may not read (not root). */
	unreadablePids: number;
	/** Spawned processes this discovery cost (0 on a shared /proc). */
	processes: number;
}

export interface NetnsDiscovery {
	discover(): Promise<DiscoveredNamespaces>;
}

const NET_LINK = /^net:\[(\d+)\]$/;
// A process can change namespace right after it starts (unshare, runc): keep re-reading young ones.
const SETTLE_MS = 5000;

interface PidEntry {
	inode: number;
	start: number | null;
	firstSeen: number;
}

export function createNetnsDiscovery(shell: NodeShell): NetnsDiscovery {
	return shell.sharesProcfs ? createFsDiscovery(shell.nodeNetnsPath) : createShellDiscovery(shell);
}

export function createFsDiscovery(nodeNetnsPath: string | null, runNetns = '/run/netns', proc = '/proc'): NetnsDiscovery {
	const pids = new Map<number, PidEntry>();
	let nsfsDevice: number | null = null;
	return {
		async discover() {
			nsfsDevice ??= statSync(`${proc}/self/ns/net`).dev;
			const now = Date.now();
			const byInode = new Map<number, NetnsHolder[]>();
			const add = (holder: NetnsHolder) => {
				const list = byInode.get(holder.inode) ?? [];
				list.push(holder);
				byInode.set(holder.inode, list);
			};

			let nodeInode: number | null = null;
			if (nodeNetnsPath) {
				try {
					nodeInode = statSync(nodeNetnsPath).ino;
				} catch {
					nodeInode = null;
				}
			}

			for (const name of listDir(runNetns)) {
				const path = `${runNetns}/${name}`;
				try {
					const stat = statSync(path);
					// An unmounted leftover file lives on tmpfs, not nsfs: it holds nothing.
					if (stat.dev === nsfsDevice) add({inode: stat.ino, path, name, pid: null, pidStart: null});
				} catch {
					// Removed while we looked.
				}
			}

			let unreadablePids = 0;
			const seen = new Set<number>();
			for (const entry of listDir(proc)) {
				if (!/^\d+$/.test(entry)) continue;
				const pid = Number(entry);
				seen.add(pid);
				let known = pids.get(pid);
				if (!known || now - known.firstSeen < SETTLE_MS) {
					let link: string;
					try {
						link = readlinkSync(`${proc}/${pid}/ns/net`);
					} catch (error) {
						if ((error as NodeJS.ErrnoException).code === 'EACCES') unreadablePids++;
						pids.delete(pid);
						continue;
					}

					const inode = Number(NET_LINK.exec(link)?.[1] ?? Number.NaN);
					if (!Number.isFinite(inode)) continue;
					if (!known || known.inode !== inode) {
						known = {inode, start: readStartTime(`${proc}/${pid}/stat`), firstSeen: known?.firstSeen ?? now};
						pids.set(pid, known);
					}
				}

				add({inode: known.inode, path: `${proc}/${pid}/ns/net`, name: null, pid, pidStart: known.start});
			}

			for (const pid of pids.keys()) if (!seen.has(pid)) pids.delete(pid);
			if (nodeInode !== null) byInode.delete(nodeInode);
			return {byInode, nodeInode, unreadablePids, processes: 0};
		},
	};
}

function listDir(path: string): string[] {
	try {
		return readdirSync(path);
	} catch {
		return [];
	}
}

/** Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces and parens). */
export function readStartTime(statPath: string): number | null {
	try {
		const text = readFileSync(statPath, 'utf8');
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		const start = Number(fields[19]);
		return Number.isFinite(start) ? start : null;
	} catch {
		return null;
	}
}

// For nodes reached through a remote shell: one sh run lists the same facts. Start times are not
// read there, so a holder is its pid alone.
const SHELL_DISCOVERY = [
	'stat -L -c "S %i" /proc/self/ns/net',
	'for f in /run/netns/*; do [ -e "$f" ] && stat -L -c "N %i %n" "$f"; done',
	'ls -l /proc/[0-9]*/ns/net',
].join('; ');

function createShellDiscovery(shell: NodeShell): NetnsDiscovery {
	return {
		async discover() {
			const result = await shell.run(['sh', '-c', `${SHELL_DISCOVERY} 2>/dev/null; true`], {timeoutMs: 15_000});
			return {...parseShellDiscovery(result.stdout), processes: 1};
		},
	};
}

export function parseShellDiscovery(stdout: string): Omit<DiscoveredNamespaces, 'processes'> {
	const byInode = new Map<number, NetnsHolder[]>();
	let nodeInode: number | null = null;
	const add = (holder: NetnsHolder) => byInode.set(holder.inode, [...(byInode.get(holder.inode) ?? []), holder]);
	for (const line of stdout.split('\n')) {
		const self = /^S (\d+)$/.exec(line);
		const named = /^N (\d+) (\/run\/netns\/(\S+))$/.exec(line);
		const proc = /(\/proc\/(\d+)\/ns\/net) -> net:\[(\d+)\]$/.exec(line);
		if (self) nodeInode = Number(self[1]);
		else if (named) add({inode: Number(named[1]), path: named[2]!, name: named[3]!, pid: null, pidStart: null});
		else if (proc) add({inode: Number(proc[3]), path: proc[1]!, name: null, pid: Number(proc[2]), pidStart: null});
	}

	if (nodeInode !== null) byInode.delete(nodeInode);
	return {byInode, nodeInode, unreadablePids: 0};
}
