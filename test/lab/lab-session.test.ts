// Bare `k8snet-tui lab`: up (with traffic), the tool on the lab, down on quit, on a signal, and
// without a terminal (then it shows `dump` once). Run in a real pty, as a user would.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {startCli} from '../ui/pty-screen.js';
import {assertQuietStderr} from '../ui/session-processes.js';
import {aroundLabSuite} from './lab-checks.js';
import {lab, labLeftovers, rootSnapshot, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'kubectl'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
const rootBefore = aroundLabSuite(skip);

test('without a terminal: up, dump of the lab, down', {skip}, async () => {
	const r = await lab(['--pods', '2']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /lab up: 2 pods/);
	assert.match(r.stdout, /nginx-1 +10\.244\./);
	assert.match(r.stderr, /lab down: removed 2 pods/);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
});

for (const how of ['q', 'SIGTERM'] as const) {
	test(`in a terminal: the TUI on the lab, and down after ${how}`, {skip}, async () => {
		// Ink renders nothing but the last frame when it thinks it runs under CI.
		const screen = startCli(['lab', '--pods', '2'], {columns: 120, rows: 30, env: {CI: 'false'}});
		try {
			await screen.waitFor((t) => t.includes('nginx-2'), 30_000, 'the lab pods in the TUI');
			const st = await status();
			assert.equal(st.up, true);
			assert.equal(st.trafficPids?.length, 2, 'bare lab runs with --traffic');
			if (how === 'q') screen.write('q');
			else screen.kill('SIGTERM');
			const exit = await screen.exited;
			assert.equal(exit.exitCode, how === 'q' ? 0 : 143);
		} finally {
			screen.kill('SIGKILL');
		}

		assert.deepEqual(labLeftovers(), []);
		assert.equal(await rootSnapshot(), rootBefore());
	});
}

test('in a terminal that goes away (ssh drops): the lab comes down, quietly', {skip}, async () => {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-lab-session-'));
	const stderr = join(dir, 'stderr');
	const screen = startCli(['lab', '--pods', '2'], {columns: 120, rows: 30, env: {CI: 'false'}, stderrFile: stderr});
	try {
		await screen.waitFor((t) => t.includes('nginx-2'), 30_000, 'the lab pods in the TUI');
		screen.hangUp();
		const exit = await Promise.race([screen.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit within 20 s of the hangup')), 20_000))]);
		assertQuietStderr(existsSync(stderr) ? readFileSync(stderr, 'utf8') : '');
		assert.deepEqual(exit, {exitCode: 129, signal: 0}, 'a hangup exit (128 + SIGHUP), not a crash');
	} finally {
		screen.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	}

	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
});
