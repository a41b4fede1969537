import assert from 'node:assert/strict';
import {test} from 'node:test';
import {startPtyTerminal} from '../../scripts/demo/pty-terminal.js';
import {gridText} from '../../scripts/demo/screen-grid.js';
import {needs} from '../support/prerequisites.js';

test('a screen is never read half-way through a synchronized update', {skip: needs({tools: ['bash', 'sleep']})}, async () => {
	const program = String.raw`printf '\e[?2026hfirst half'; sleep 0.3; printf ', second half\e[?2026l'; sleep 0.5`;
	const t = startPtyTerminal({command: 'bash', args: ['-c', program], columns: 40, rows: 3, cwd: '/'});
	try {
		await t.waitForText(text => text.includes('first half'), 5000, 'the first half');
		assert.doesNotMatch(t.text(), /second/, 'the raw buffer has only the first half yet');
		assert.match(gridText(await t.screen()), /first half, second half/);
	} finally {
		t.kill();
	}
});

test('a program that exits ends the wait for its text, with the screen in the error', {skip: needs({tools: ['bash']})}, async () => {
	const t = startPtyTerminal({command: 'bash', args: ['-c', 'echo bye'], columns: 40, rows: 3, cwd: '/'});
	await assert.rejects(t.waitForText(text => text.includes('never'), 5000, 'never'), /exited while waiting for never; screen:\nbye/);
	assert.equal((await t.exited).exitCode, 0);
	assert.equal(t.hasExited(), true);
});
