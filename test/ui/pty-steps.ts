// Steps the real-pty tests share: narrow the pod list to one pod with `/`, and quit with `q`
// checking that the TUI exits 0, leaves nothing running in its session and wrote nothing alarming.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import type {PtyScreen} from './pty-screen.js';
import {assertNothingLeftIn, assertQuietStderr} from './session-processes.js';

export async function filterToOnePod(s: PtyScreen, name: string): Promise<void> {
	s.write('/');
	s.write(name);
	s.write('\r');
	await s.waitFor(text => /Pods 1\/\d+/.test(text), 5000, 'the filter to narrow to one pod');
}

export async function quitCleanly(s: PtyScreen, sid: number, seen: readonly string[], stderrFile: string): Promise<void> {
	s.write('q');
	const exit = await s.exited;
	assert.equal(exit.exitCode, 0);
	await assertNothingLeftIn(sid, seen);
	assertQuietStderr(readFileSync(stderrFile, 'utf8'));
}
