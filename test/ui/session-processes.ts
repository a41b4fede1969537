// What a TUI run in a pty leaves behind: every process of the session the pty made for it (the app
// is its leader), and every process it started: the one process wrapper makes each child lead a
// session of its own (setsid), so setpriv/nsenter/tcpdump and ssh are found by ancestry, not by session.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';

interface ProcEntry {
	pid: number;
	ppid: number;
	session: number;
	line: string;
}

function allProcesses(): ProcEntry[] {
	const found: ProcEntry[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after "pid (comm)": state ppid pgrp session ...
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const line = `${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`;
			found.push({pid: Number(entry), ppid: Number(fields[1]), session: Number(fields[3]), line});
		} catch {
			// Gone while we looked.
		}
	}

	return found;
}

/** "PID cmdline" of each live process in session `sid` or descended from its leader `sid`. */
export function processesInSession(sid: number): string[] {
	const all = allProcesses();
	const ours = new Set(all.filter(p => p.session === sid || p.pid === sid).map(p => p.pid));
	for (let grew = true; grew;) {
		grew = false;
		for (const p of all) {
			if (!ours.has(p.pid) && ours.has(p.ppid)) {
				ours.add(p.pid);
				grew = true;
			}
		}
	}

	return all.filter(p => ours.has(p.pid)).map(p => p.line);
}

/**
 * Nothing of the TUI is left: its session is empty, and none of `seen` (what processesInSession
 * found while it ran: once it has exited, its children are orphans that ancestry no longer finds) lives.
 */
export async function assertNothingLeftIn(sid: number, seen: readonly string[] = []): Promise<void> {
	const left = () => {
		const live = new Set(allProcesses().map(p => p.line));
		return [...new Set([...processesInSession(sid), ...seen.filter(line => live.has(line))])];
	};

	// A probe started just before the end may take a moment to finish on its own.
	for (let i = 0; i < 20 && left().length > 0; i++) await delay(100);
	assert.deepEqual(left(), [], 'nothing of the TUI is left running');
}

/** No crash report: no native stack trace, no unhandled error, no JS stack. */
export function assertQuietStderr(stderr: string): void {
	assert.doesNotMatch(stderr, /Native stack trace|Assertion failed|Unhandled|Error:|at .*\(/, `stderr stays quiet:\n${stderr}`);
}
