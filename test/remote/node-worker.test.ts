// The node worker on this machine, with no network objects: the worker script run by dash (sh),
// bash and busybox sh, behind a relay that behaves like `docker exec` (the worker is not the
// client's child, and its stdin is relayed by a cat that dies with the client). Framing against
// hostile output, quoting of hostile argv, order, timeouts, cancelling, death, and what a SIGKILLed
// client leaves behind (nothing).
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {createNodeWorker, workerToken, type NodeWorker} from '../../source/node/remote/node-worker.js';
import {createInternTable, INTERN_MIN_LENGTH} from '../../source/node/remote/node-worker-intern.js';
import {WORKER_SCRIPT} from '../../source/node/remote/node-worker-script.js';
import {openClient} from '../../source/node/remote/remote-process.js';
import {createExecShell} from '../../source/node/remote/exec-shell.js';
import {alive, childrenOf} from '../support/proc.js';
import {needs} from '../support/prerequisites.js';
import {processesWith, waitUntil} from './node-fixtures.js';

const skip = needs({tools: ['sh', 'bash', 'setsid', 'setpriv', 'sleep', 'cat']});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-worker-'));
const canary = join(dir, 'canary');
const workers: NodeWorker[] = [];
after(() => {
	for (const worker of workers) worker.close();
	rmSync(dir, {recursive: true, force: true});
});

/** The relay's own pid is written to `pidFile`, so a test can SIGKILL the client side. */
const RELAY = `echo $$ >> "$1"; shift; setsid "$@" < <(setpriv --pdeathsig KILL cat 2>/dev/null) & wait $!`;

function startWorker(shell: readonly string[] = ['sh']): {worker: NodeWorker; token: string; relayPid(): number} {
	const token = workerToken();
	const pidFile = join(dir, `relay-${token}`);
	const worker = createNodeWorker(openClient(['bash', '-c', RELAY, 'bash', pidFile, ...shell, '-c', WORKER_SCRIPT, 'sh', token]), {token, what: 'test-relay'});
	workers.push(worker);
	return {worker, token, relayPid: () => Number(readFileSync(pidFile, 'utf8').trim())};
}

const comm = (pid: number) => {
	try {
		return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
	} catch {
		return '';
	}
};

const shells: Array<[string, string[]]> = [['dash', ['sh']], ['bash', ['bash']]];
if (!needs({tools: ['busybox']})) shells.push(['busybox sh', ['busybox', 'sh']]);

for (const [name, shell] of shells) {
	test(`${name}: output that prints boundary shapes, binary bytes and no final newline comes back exactly`, {skip}, async () => {
		const {worker, token} = startWorker(shell);
		assert.equal(await worker.ready, true);
		// Everything a reply is made of, with other tokens: a 32-hex word, its markers, a ready line.
		const fake = workerToken();
		const shapes = `${fake}:0\n${fake}:1 0\n${fake}:2\n${fake} ready\n:1 0\n`;
		const shaped = await worker.run(['sh', '-c', 'printf %s "$1"; printf %s "$1" >&2', 'sh', shapes]);
		assert.deepEqual(shaped, {exitCode: 0, stdout: shapes, stderr: shapes, failure: null});
		// Every byte value but NUL (which no argv holds, but output may), ending without a newline.
		const bytes = Buffer.concat([randomBytes(4096), Buffer.from([...Array(256).keys()]), Buffer.from(`${token.slice(0, 31)}:1`)]);
		const file = join(dir, `bytes-${name}`);
		writeFileSync(file, bytes);
		const binary = await worker.run(['cat', file]);
		assert.equal(binary.exitCode, 0);
		assert.equal(binary.stdout, bytes.toString('utf8'));
		assert.deepEqual(await worker.run(['printf', 'no newline']), {exitCode: 0, stdout: 'no newline', stderr: '', failure: null});
		assert.deepEqual(await worker.run(['true']), {exitCode: 0, stdout: '', stderr: '', failure: null});
	});

	test(`${name}: hostile argv and input reach the command as themselves, and run nothing`, {skip}, async () => {
		const {worker} = startWorker(shell);
		const nasty = [
			`$(touch ${canary})`,
			`\`touch ${canary}\``,
			`pod'; touch ${canary}; echo '`,
			`"; touch ${canary}; "`,
			`a\nb; touch ${canary}`,
			`\n\n`,
			`x\n$(touch ${canary})\n`,
			`x;touch ${canary}|cat&`,
			'"$nl"',
			'$nl',
			'*',
			'~root',
			'$HOME ${PATH} $1 $@ $q $tok $c',
			'\\',
			"'",
			' leading and trailing ',
			'tab\there\r',
			'-',
			'+',
			'',
		];
		const r = await worker.run(['printf', '%s\\0', ...nasty]);
		assert.equal(r.failure, null);
		assert.deepEqual(r.stdout.split('\0').slice(0, -1), nasty);
		const input = nasty.join('\n');
		assert.deepEqual(await worker.run(['cat'], {input}), {exitCode: 0, stdout: input, stderr: '', failure: null});
		assert.equal(existsSync(canary), false, 'an argument was run as a command');
		const nul = await worker.run(['printf', 'a\0b']);
		assert.match(nul.failure ?? '', /test-relay printf cannot be sent to the node: .*NUL/);
		assert.equal((await worker.run(['echo', 'still here'])).stdout, 'still here\n');
	});
}

test('long arguments cross once and come back as themselves, however many and however hostile', {skip}, async () => {
	for (const [name, shell] of shells) {
		const {worker} = startWorker(shell);
		const long = (i: number) => `${i}: $(touch ${canary}) '"$v${i}"' \n\`x\`\n${'ünï '.repeat(200)}\n`;
		// More distinct long values than the worker keeps, each used several times, two per command.
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 12; i++) {
				const argv = [long(i), long(i + 1)];
				const r = await worker.run(['printf', '%s\\0', ...argv, 'short']);
				assert.deepEqual(r.stdout.split('\0').slice(0, -1), [...argv, 'short'], `${name}, round ${round}, value ${i}`);
			}
		}

		assert.equal(existsSync(canary), false, `${name}: an argument was run as a command`);
	}
});

test('the table of long arguments never reuses a slot the same command needs', () => {
	const table = createInternTable();
	const value = (i: number) => String(i).padEnd(INTERN_MIN_LENGTH, '.');
	const first = table.plan(Array.from({length: 8}, (_, i) => value(i)));
	assert.deepEqual(first.defines.map(d => d.slot), [0, 1, 2, 3, 4, 5, 6, 7]);
	assert.deepEqual(table.plan([value(0), 'short']).defines, []);
	// Value 1 is now the least recently used; value 0 is in this very command and stays.
	const next = table.plan([value(0), value(8)]);
	assert.deepEqual(next.defines, [{slot: 1, value: value(8)}]);
	assert.equal(next.slotOf(value(0)), 0);
	assert.equal(next.slotOf('short'), undefined);
	// More long values than slots: the ones that find no slot are sent in full.
	const crowded = table.plan(Array.from({length: 10}, (_, i) => value(100 + i)));
	assert.equal(crowded.defines.length, 8);
	assert.equal(Array.from({length: 10}, (_, i) => crowded.slotOf(value(100 + i))).filter(slot => slot === undefined).length, 2);
});

test('exit codes, stderr apart from stdout, a missing command, and requests answered in order', {skip}, async () => {
	const {worker} = startWorker();
	assert.deepEqual(await worker.run(['sh', '-c', 'echo out; echo err >&2; exit 7']), {exitCode: 7, stdout: 'out\n', stderr: 'err\n', failure: null});
	const missing = await worker.run(['k8snet-no-such-command']);
	assert.equal(missing.exitCode, 127);
	assert.match(missing.stderr, /k8snet-no-such-command/);
	// Sent together: each waits for the one before, and each gets its own answer.
	const many = await Promise.all(Array.from({length: 20}, (_, i) => worker.run(['sh', '-c', 'sleep 0.0$1; echo "$1"', 'sh', String(9 - (i % 10))])));
	assert.deepEqual(many.map(r => r.stdout), Array.from({length: 20}, (_, i) => `${9 - (i % 10)}\n`));
});

test('huge output (32 MiB) arrives whole', {skip}, async () => {
	const {worker} = startWorker();
	const started = Date.now();
	const r = await worker.run(['sh', '-c', 'yes 0123456789abcdef0123456789abcde | head -c 33554432'], {timeoutMs: 30_000});
	assert.equal(r.failure, null);
	assert.equal(r.stdout.length, 33_554_432);
	assert.equal(r.stdout.slice(0, 33), '0123456789abcdef0123456789abcde\n0');
	assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
});

test('a command past its deadline is killed, the worker lives on', {skip}, async () => {
	const {worker, token} = startWorker();
	const started = Date.now();
	const r = await worker.run(['sleep', '31101'], {timeoutMs: 500});
	assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
	assert.deepEqual(r, {exitCode: null, stdout: '', stderr: '', failure: 'test-relay sleep did not finish within 500 ms'});
	assert.ok(await waitUntil(() => processesWith('31101').length === 0, 3000), 'sleep survived its deadline');
	assert.equal(worker.alive, true);
	assert.deepEqual(await worker.run(['echo', 'next']), {exitCode: 0, stdout: 'next\n', stderr: '', failure: null});
	// Between requests the worker is one process: no watcher is left behind.
	const shells = () => processesWith(token).filter(pid => comm(pid) === 'sh');
	assert.ok(await waitUntil(() => shells().length === 1, 3000), `left: ${shells().length} processes`);
});

test('an aborted run answers at once, its command is killed, and the next runs', {skip}, async () => {
	const {worker} = startWorker();
	const abort = new AbortController();
	const running = worker.run(['sleep', '31103'], {signal: abort.signal});
	const queued = worker.run(['echo', 'queued, then cancelled'], {signal: abort.signal});
	const after = worker.run(['echo', 'after']);
	assert.ok(await waitUntil(() => processesWith('31103').length > 0, 5000));
	abort.abort();
	assert.match((await running).failure ?? '', /test-relay sleep was cancelled/);
	assert.match((await queued).failure ?? '', /test-relay echo was cancelled/);
	assert.deepEqual(await after, {exitCode: 0, stdout: 'after\n', stderr: '', failure: null});
	assert.ok(await waitUntil(() => processesWith('31103').length === 0, 3000), 'the cancelled sleep survived');
});

test('a worker that dies under a command fails it and what is queued in one line each', {skip}, async () => {
	const {worker, token} = startWorker();
	const running = worker.run(['sh', '-c', 'echo about to die >&2; kill -KILL $PPID; sleep 31104']);
	const queued = worker.run(['echo', 'never']);
	const [a, b] = [await running, await queued];
	assert.equal(a.exitCode, null);
	assert.match(a.failure ?? '', /^the node worker ended/);
	assert.doesNotMatch(a.failure ?? '', /\n/);
	assert.equal(b.failure, a.failure);
	assert.equal(worker.alive, false);
	assert.match((await worker.run(['true'])).failure ?? '', /ended/);
	await worker.ended;
	assert.equal(processesWith(token).length, 0);
	// A worker killed by someone else cannot end its command: that one is the test's to end.
	for (const pid of processesWith('31104')) if (comm(pid) === 'sleep') process.kill(pid, 'SIGKILL');
});

test('SIGKILL of the client side ends the worker and its command on the node within 3 s', {skip}, async () => {
	const {worker, token, relayPid} = startWorker();
	assert.equal(await worker.ready, true);
	const running = worker.run(['sleep', '31105']);
	assert.ok(await waitUntil(() => processesWith('31105').length > 0, 5000), 'sleep never started');
	const nodeSide = processesWith(token);
	assert.ok(nodeSide.length >= 1);
	process.kill(relayPid(), 'SIGKILL');
	assert.ok(await waitUntil(() => processesWith('31105').length === 0 && nodeSide.every(pid => !alive(pid)), 3000), `left: ${processesWith(token).join(', ')} ${processesWith('31105').join(', ')}`);
	assert.match((await running).failure ?? '', /node worker ended/);
});

test('a worker that never says it is ready is given up on in one line', {skip}, async () => {
	const token = workerToken();
	const worker = createNodeWorker(openClient(['sh', '-c', 'echo "not a worker: $1" >&2; exec sleep 31106', 'sh', token]), {token, what: 'test', readyTimeoutMs: 500});
	workers.push(worker);
	assert.equal(await worker.ready, false);
	const end = await worker.ended;
	assert.equal(end.failure, 'the node worker did not start within 500 ms');
	assert.match(end.stderr, /not a worker/);
	assert.ok(await waitUntil(() => processesWith('31106').length === 0, 3000));
});

test('a remote shell keeps one worker for its runs, and starts a new one after it died, idle or under a command', {skip: skip || needs({root: true, tools: ['ip', 'bridge', 'nsenter', 'tcpdump']})}, async () => {
	const pidFile = join(dir, 'relay-shell');
	const shell = createExecShell(['bash', '-c', RELAY, 'bash', pidFile]);
	try {
		assert.ok((await shell.prepare()).ok);
		const nodeWorker = () => {
			const relay = Number(readFileSync(pidFile, 'utf8').trim().split('\n').at(-1));
			return childrenOf(relay).find(pid => comm(pid) === 'sh')!;
		};
		for (let i = 0; i < 5; i++) assert.equal((await shell.run(['echo', String(i)])).stdout, `${i}\n`);
		assert.equal(shell.sessions(), 1, 'the node check and five runs share one client process');

		// Died while idle: the next run does not notice, but for a new client.
		const idle = nodeWorker();
		process.kill(idle, 'SIGKILL');
		assert.ok(await waitUntil(() => !alive(idle), 3000));
		await new Promise(resolve => setTimeout(resolve, 200));
		assert.deepEqual(await shell.run(['echo', 'again']), {exitCode: 0, stdout: 'again\n', stderr: '', failure: null, hint: null});
		assert.equal(shell.sessions(), 2);

		// Died under a command: that command fails in one line, the next gets a new worker.
		const died = await shell.run(['sh', '-c', 'kill -KILL $PPID']);
		assert.equal(died.exitCode, null);
		assert.match(died.failure ?? '', /^the node worker ended/);
		assert.doesNotMatch(died.failure ?? '', /\n/);
		assert.match(died.hint ?? '', /a new node worker starts with the next command/);
		assert.deepEqual(await shell.run(['echo', 'back']), {exitCode: 0, stdout: 'back\n', stderr: '', failure: null, hint: null});
		assert.equal(shell.sessions(), 3);
	} finally {
		shell.close();
	}
});
