// The one process wrapper, on plain local commands: a timeout or an abort ends the whole process
// group at the deadline, whatever a grandchild does with the pipes, and leaves nothing running.
// Each test's sleep carries a duration no other test uses, so /proc tells its processes apart.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runProcess, streamProcess} from '../../source/node/child-process.js';
import {processesWith, waitUntil} from '../remote/node-fixtures.js';

/** The sleeps a test started, gone within `ms` (SIGKILL is not instant, and init reaps orphans). */
async function assertNoneLeft(marker: string, ms = 1000): Promise<void> {
	assert.ok(await waitUntil(() => processesWith(marker).length === 0, ms), `still running: ${processesWith(marker).join(', ')}`);
}

async function timed<T>(work: Promise<T>): Promise<{value: T; ms: number}> {
	const started = performance.now();
	const value = await work;
	return {value, ms: performance.now() - started};
}

test('a timeout ends the grandchild too, and resolves at the deadline', async () => {
	const {value: r, ms} = await timed(runProcess(['sh', '-c', 'sleep 100.311 & echo started; wait'], {timeoutMs: 300}));
	assert.ok(ms < 1000, `resolved after ${Math.round(ms)} ms`);
	assert.equal(r.failure, 'sh did not finish within 300 ms');
	assert.equal(r.exitCode, null);
	assert.equal(r.stdout, 'started\n', 'what it printed before the deadline is kept');
	await assertNoneLeft('100.311');
});

test('a grandchild that outlives its parent and holds stdout does not hold the run', async () => {
	const {value: r, ms} = await timed(runProcess(['sh', '-c', 'sleep 100.312 & echo started'], {timeoutMs: 300}));
	assert.ok(ms < 1000, `resolved after ${Math.round(ms)} ms`);
	assert.match(r.failure ?? '', /did not finish within 300 ms/);
	await assertNoneLeft('100.312');
});

test('a grandchild that left the process group cannot be killed, and still does not hold the run past its deadline', async () => {
	try {
		const {value: r, ms} = await timed(runProcess(['setsid', '-f', 'sleep', '100.313'], {timeoutMs: 300}));
		assert.ok(ms < 1000, `resolved after ${Math.round(ms)} ms`);
		assert.match(r.failure ?? '', /did not finish within 300 ms/);
	} finally {
		for (const pid of processesWith('100.313')) process.kill(pid, 'SIGKILL');
	}
});

test('an abort ends the process group at once', async () => {
	const abort = new AbortController();
	setTimeout(() => abort.abort(), 100);
	const {value: r, ms} = await timed(runProcess(['sh', '-c', 'sleep 100.314; echo never'], {signal: abort.signal}));
	assert.ok(ms < 1000, `resolved after ${Math.round(ms)} ms`);
	assert.equal(r.failure, 'sh was cancelled');
	assert.equal(r.stdout, '');
	await assertNoneLeft('100.314');
});

test('an already aborted run starts nothing', async () => {
	const abort = new AbortController();
	abort.abort();
	const r = await runProcess(['sleep', '100.315'], {signal: abort.signal});
	assert.equal(r.failure, 'sleep was cancelled');
	assert.deepEqual(processesWith('100.315'), []);
});

test('input, exit code and both outputs of a run that finishes', async () => {
	const r = await runProcess(['sh', '-c', 'cat; echo oops >&2; exit 3'], {input: 'one\ntwo'});
	assert.deepEqual(r, {exitCode: 3, stdout: 'one\ntwo', stderr: 'oops\n', failure: null});
});

test('a command that is not installed fails at once, in one line', async () => {
	const {value: r, ms} = await timed(runProcess(['k8snet-no-such-command', '-x'], {timeoutMs: 5000}));
	assert.ok(ms < 1000, `resolved after ${Math.round(ms)} ms`);
	assert.deepEqual(r, {exitCode: null, stdout: '', stderr: '', failure: "'k8snet-no-such-command' is not installed on this machine"});
});

test('SIGKILL of a stream ends its process group, grandchildren included', async () => {
	const lines: string[] = [];
	const handle = streamProcess(['sh', '-c', 'sleep 100.316 & echo ready; wait'], {onStdoutLine: line => lines.push(line)});
	assert.ok(await waitUntil(() => lines.includes('ready'), 5000), 'the stream never started');
	handle.kill('SIGKILL');
	const {value: exit, ms} = await timed(handle.exited);
	assert.ok(ms < 1000, `exited after ${Math.round(ms)} ms`);
	assert.equal(exit.signal, 'SIGKILL');
	await assertNoneLeft('100.316');
});

test('a stream of a command that is not installed ends with the reason', async () => {
	const handle = streamProcess(['k8snet-no-such-command'], {onStdoutLine: () => undefined});
	assert.deepEqual(await handle.exited, {exitCode: null, signal: null, failure: "'k8snet-no-such-command' is not installed on this machine"});
});

test('what still runs when we exit is ended with us', async () => {
	const wrapper = new URL('../../source/node/child-process.ts', import.meta.url).href;
	const script = `import {runProcess} from '${wrapper}'; void runProcess(['sh', '-c', 'sleep 100.317; true']); setTimeout(() => process.exit(0), 300);`;
	const r = await runProcess([process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], {timeoutMs: 10_000});
	assert.equal(r.exitCode, 0, r.stderr);
	await assertNoneLeft('100.317');
});

test('a stream ends soon after its process, even when a grandchild that left the group holds stdout', async () => {
	try {
		const lines: string[] = [];
		const handle = streamProcess(['sh', '-c', 'echo last words; setsid -f sleep 100.319'], {onStdoutLine: line => lines.push(line)});
		const {value: exit, ms} = await timed(handle.exited);
		assert.ok(ms < 2000, `exited after ${Math.round(ms)} ms`);
		assert.equal(exit.exitCode, 0);
		assert.deepEqual(lines, ['last words']);
	} finally {
		for (const pid of processesWith('100.319')) process.kill(pid, 'SIGKILL');
	}
});
