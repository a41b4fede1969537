// The shipped bundle in a real pty, against an in-process lab API that serves this host as the node
// (read-only: no lab, no namespaces of our own). How the TUI starts and ends: it waits for an API
// server that is down and comes up when it returns; it leaves quietly when its terminal goes away;
// it exits on `q` even with a probe in flight; and a start that failed for good exits non-zero.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {startLabApiServer, type LabApiServer} from '../../source/lab/api/server.js';
import {needs} from '../support/prerequisites.js';
import {alive, killRecordedPids, recordedPids} from '../support/proc.js';
import {hostNodeState} from './host-node-state.js';
import {ROOT, startCli, type PtyScreen} from './pty-screen.js';
import {assertNothingLeftIn, assertQuietStderr, processesInSession} from './session-processes.js';

const skip = needs({tools: ['ip', 'openssl', 'sh'], files: [join(ROOT, 'dist', 'cli.js')]});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-lifecycle-'));
const screens = new Set<PtyScreen>();
const servers = new Set<LabApiServer>();

const state = hostNodeState(12);

async function serve(port?: number): Promise<LabApiServer> {
	const server = await startLabApiServer({getState: () => state, dir: join(dir, 'api'), port});
	servers.add(server);
	return server;
}

function open(args: string[], name: string): {screen: PtyScreen; stderr: () => string} {
	const file = join(dir, `${name}.stderr`);
	const screen = startCli(args, {entry: 'bundle', stderrFile: file});
	screens.add(screen);
	void screen.exited.then(() => screens.delete(screen));
	return {screen, stderr: () => (existsSync(file) ? readFileSync(file, 'utf8') : '')};
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	return Promise.race([promise, delay(ms).then(() => {
		throw new Error(`${what} within ${ms} ms`);
	})]);
}

before(() => {
	if (skip) return;
	writeFileSync(join(dir, 'slow-node.sh'), `#!/bin/sh\necho $$ >> '${join(dir, 'slow-pids')}'\nexec sleep 120\n`);
	chmodSync(join(dir, 'slow-node.sh'), 0o755);
});

after(async () => {
	for (const s of screens) s.kill('SIGKILL');
	for (const server of servers) await server.close();
	killRecordedPids(join(dir, 'slow-pids'));
	rmSync(dir, {recursive: true, force: true});
});

test('the terminal goes away (tmux kill-pane, ssh drops): the TUI exits quietly and leaves nothing behind', {skip}, async () => {
	const server = await serve();
	const {screen, stderr} = open(['--kubeconfig', server.kubeconfigPath, '--all-nodes'], 'hangup');
	await screen.waitFor(text => /pods 12/.test(text) && text.includes('▶ Pods'), 20_000, 'the pods of every node');
	const sid = screen.pty.pid;
	const running = processesInSession(sid);
	screen.hangUp();
	const exit = await withTimeout(screen.exited, 10_000, 'the TUI to exit after its terminal closed');
	assertQuietStderr(stderr());
	assert.deepEqual(exit, {exitCode: 129, signal: 0}, 'a hangup exit (128 + SIGHUP), not a crash');
	await assertNothingLeftIn(sid, running);
});

test('with the API server down at start, the TUI says why, retries, and comes up when it returns', {skip}, async () => {
	// A port that served the API a moment ago and now refuses connections.
	const first = await serve();
	const {port, kubeconfigPath} = first;
	const kubeconfig = join(dir, 'down.kubeconfig');
	writeFileSync(kubeconfig, readFileSync(kubeconfigPath));
	await first.close();
	servers.delete(first);

	const {screen, stderr} = open(['--kubeconfig', kubeconfig, '--all-nodes'], 'retry');
	await screen.waitFor(text => text.includes('connecting…') && text.includes(`cannot reach the API server https://127.0.0.1:${port}: connection refused`), 20_000, 'connecting… with the reason');
	await delay(1500);
	assert.ok(!/could not|failed/.test(screen.text()), `still waiting, not failed:\n${screen.text()}`);

	// `dump` does not wait: it says the same and exits 1 at once.
	const dumpStarted = Date.now();
	const dump = spawnSync(process.execPath, [join(ROOT, 'bin', 'k8snet-tui.js'), 'dump', '--kubeconfig', kubeconfig], {encoding: 'utf8', timeout: 20_000});
	assert.equal(dump.status, 1, `dump exits 1: ${dump.stderr}`);
	assert.match(dump.stderr, /connection refused/);
	assert.ok(Date.now() - dumpStarted < 10_000, 'dump fails fast');

	await serve(port);
	// The backoff is at most a few seconds this early; the first poll follows.
	await screen.waitFor(text => /pods 12/.test(text) && !text.includes('connecting…'), 30_000, 'the pods once the API is back');
	screen.write('q');
	const exit = await withTimeout(screen.exited, 10_000, 'q to quit');
	assert.equal(exit.exitCode, 0);
	assertQuietStderr(stderr());
});

test('a start that failed for good (a kubeconfig that is not there) exits 1 after q', {skip}, async () => {
	const {screen} = open(['--kubeconfig', join(dir, 'no-such-kubeconfig')], 'fatal');
	await screen.waitFor(text => text.includes('q quits') && /kubeconfig/i.test(text), 20_000, 'the failure screen');
	screen.write('q');
	const exit = await withTimeout(screen.exited, 10_000, 'q to quit');
	assert.equal(exit.exitCode, 1);
});

test('q exits at once even while a node probe hangs', {skip}, async () => {
	const server = await serve();
	// A node reached through a command that never answers: the TUI waits in "connecting…".
	const {screen, stderr} = open(['--kubeconfig', server.kubeconfigPath, '--node', hostname(), '--node-exec', join(dir, 'slow-node.sh')], 'slow');
	await screen.waitFor(text => text.includes('connecting…'), 20_000, 'the first frame');
	for (let i = 0; i < 50 && !existsSync(join(dir, 'slow-pids')); i++) await delay(100);
	assert.ok(existsSync(join(dir, 'slow-pids')), 'the node probe is in flight');
	const quitAt = Date.now();
	screen.write('q');
	// The stop race is 2 s; the probe's own timeout (20 s) must not keep the process alive.
	const exit = await withTimeout(screen.exited, 8000, 'q to quit with a probe in flight');
	assert.equal(exit.exitCode, 0);
	assert.ok(Date.now() - quitAt < 8000);
	assertQuietStderr(stderr());
	// Nor does its client outlive the TUI (it dies with us: setpriv --pdeathsig).
	const [pid] = recordedPids(join(dir, 'slow-pids'));
	for (let i = 0; i < 20 && alive(pid!); i++) await delay(100);
	assert.ok(!alive(pid!), `the hung node client (pid ${pid}) was stopped`);
});
