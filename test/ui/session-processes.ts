// What a TUI run in a pty leaves behind: every process of the session the pty made for it (the app
// is its leader, so its children and theirs share it, setpriv/nsenter/tcpdump and ssh included).
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';

/** "PID cmdline" of each live process in session `sid`. */
export function processesInSession(sid: number): string[] {
	const found: string[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after "pid (comm)": state ppid pgrp session ...
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[3]) === sid) found.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`);
		} catch {
			// Gone while we looked.
		}
	}

	return found;
}

export async function assertNothingLeftIn(sid: number): Promise<void> {
	// A probe started just before the end may take a moment to finish on its own.
	for (let i = 0; i < 20 && processesInSession(sid).length > 0; i++) await delay(100);
	assert.deepEqual(processesInSession(sid), [], 'nothing of the TUI is left running');
}

/** No crash report: no native stack trace, no unhandled error, no JS stack. */
export function assertQuietStderr(stderr: string): void {
	assert.doesNotMatch(stderr, /Native stack trace|Assertion failed|Unhandled|Error:|at .*\(/, `stderr stays quiet:\n${stderr}`);
}
