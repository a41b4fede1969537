// The remote shell machinery on the real kernel, without ssh: a "node" netns of our own reached
// through a relay that behaves like `docker exec` (the command is not the client's child, and its
// stdin is relayed by a process that dies with the client). Watchdog, signals, timeouts, and the
// one-trip poller with its cache.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {createExecShell} from '../../source/node/remote/exec-shell.js';
import {createRemoteNodePoller} from '../../source/node/remote/remote-poller.js';
import type {RemoteShell} from '../../source/node/remote/remote-shell.js';
import {needs} from '../support/prerequisites.js';
import {processesWith, waitUntil} from './node-fixtures.js';

const NODE = 'k8snet-rmt-node';
const PODS = ['k8snet-rmt-pod1', 'k8snet-rmt-pod2', 'k8snet-rmt-pod3'];
const skip = needs({root: true, tools: ['ip', 'nsenter', 'setpriv', 'setsid', 'bash']});
const ip = (...args: string[]) => execFileSync('ip', args, {encoding: 'utf8'});
let dir = '';
let shell: RemoteShell;

function wire(pod: string, veth: string, address: string): void {
	ip('-n', NODE, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod);
	ip('-n', NODE, 'link', 'set', veth, 'up');
	ip('-n', pod, 'addr', 'add', address, 'dev', 'eth0');
	ip('-n', pod, 'link', 'set', 'eth0', 'up');
}

function cleanup(): void {
	for (const ns of [NODE, ...PODS]) {
		try {
			execFileSync('ip', ['netns', 'del', ns], {stdio: 'ignore'});
		} catch {
			// Not there.
		}
	}
}

before(() => {
	if (skip) return;
	cleanup();
	for (const ns of [NODE, PODS[0]!, PODS[1]!]) ip('netns', 'add', ns);
	wire(PODS[0]!, 'k8snet-rmtv1', '10.98.0.11/24');
	dir = mkdtempSync(join(tmpdir(), 'k8snet-relay-'));
	const relay = join(dir, 'relay');
	writeFileSync(relay, `#!/bin/bash\nsetsid nsenter --net=/run/netns/${NODE} -- "$@" < <(setpriv --pdeathsig KILL cat 2>/dev/null) &\nwait $!\n`);
	chmodSync(relay, 0o755);
	shell = createExecShell([relay]);
});

after(() => {
	shell?.close();
	cleanup();
	if (dir) rmSync(dir, {recursive: true, force: true});
});

const inode = (ns: string) => statSync(`/run/netns/${ns}`).ino;
const nodeIfindex = (veth: string) => (JSON.parse(ip('-n', NODE, '-j', 'link', 'show', veth)) as Array<{ifindex: number}>)[0]!.ifindex;

test('runs a command with its exit code, stdin input and stderr', {skip}, async () => {
	assert.deepEqual((await shell.prepare()).ok, true);
	const r = await shell.run(['sh', '-c', 'cat; echo oops >&2; exit 7'], {input: 'line one\nline two'});
	assert.equal(r.exitCode, 7);
	assert.equal(r.stdout, 'line one\nline two');
	assert.equal(r.stderr, 'oops\n');
	assert.equal(r.failure, null);
});

test('the poll is one round trip; new namespaces are probed in it, re-wired ones in a second', {skip}, async () => {
	const poller = createRemoteNodePoller(shell);
	const first = await poller.poll();
	assert.ok(first.ok, JSON.stringify(first));
	assert.equal(poller.lastPollStats().roundTrips, 1);
	const probe = (view: typeof first.value, ns: string) => view.namespaces.find(n => n.holder.inode === inode(ns));
	const eth0 = (view: typeof first.value, ns: string) => probe(view, ns)?.links.find(l => l.ifname === 'eth0');
	assert.equal(eth0(first.value, PODS[0]!)?.linkIndex, nodeIfindex('k8snet-rmtv1'));
	assert.equal(probe(first.value, PODS[0]!)?.holder.path, `/run/netns/${PODS[0]}`);
	assert.ok(first.value.canEnterNetns);
	assert.ok(first.value.snapshot.links.some(l => l.ifname === 'k8snet-rmtv1' && l.kind === 'veth'));

	const steady = await poller.poll();
	assert.ok(steady.ok);
	assert.deepEqual({...poller.lastPollStats(), durationMs: 0}, {durationMs: 0, processes: 0, newNamespaces: 0, roundTrips: 1});

	// A namespace never seen before: found and probed in the same single trip.
	ip('netns', 'add', PODS[2]!);
	wire(PODS[2]!, 'k8snet-rmtv3', '10.98.0.13/24');
	const grown = await poller.poll();
	assert.ok(grown.ok);
	assert.deepEqual({...poller.lastPollStats(), durationMs: 0}, {durationMs: 0, processes: 0, newNamespaces: 1, roundTrips: 1});
	assert.equal(eth0(grown.value, PODS[2]!)?.linkIndex, nodeIfindex('k8snet-rmtv3'));

	// Pod 2 was probed while it had no eth0: its new veth is accounted for by no namespace, so it is probed again.
	assert.equal(eth0(grown.value, PODS[1]!), undefined);
	wire(PODS[1]!, 'k8snet-rmtv2', '10.98.0.12/24');
	const wired = await poller.poll();
	assert.ok(wired.ok);
	assert.equal(poller.lastPollStats().roundTrips, 2);
	assert.equal(eth0(wired.value, PODS[1]!)?.linkIndex, nodeIfindex('k8snet-rmtv2'));

	// Pod 1 re-wired: its cached pair is gone from the node, so it is probed again (second trip).
	ip('-n', NODE, 'link', 'del', 'k8snet-rmtv1');
	wire(PODS[0]!, 'k8snet-rmtv1', '10.98.0.11/24');
	const rewired = await poller.poll();
	assert.ok(rewired.ok);
	assert.equal(poller.lastPollStats().roundTrips, 2);
	assert.equal(eth0(rewired.value, PODS[0]!)?.linkIndex, nodeIfindex('k8snet-rmtv1'));
	assert.equal((await poller.poll()).ok, true);
	assert.equal(poller.lastPollStats().roundTrips, 1);
});

test('SIGKILL of the local client stops the node-side command within 3 s', {skip}, async () => {
	const handle = shell.stream(['sleep', '31001'], {onStdoutLine: () => undefined});
	assert.ok(await waitUntil(() => processesWith('31001').some(pid => readComm(pid) === 'sleep'), 5000), 'sleep never started');
	process.kill(handle.pid!, 'SIGKILL');
	const killedAt = Date.now();
	assert.ok(await waitUntil(() => processesWith('31001').length === 0, 3000), `still running: ${processesWith('31001').map(readComm).join(', ')}`);
	assert.ok(Date.now() - killedAt <= 3000);
	await handle.exited;
});

test('a stream asked for before the node was checked starts once it is', {skip}, async () => {
	const fresh = createExecShell([join(dir, 'relay')]);
	const lines: string[] = [];
	const handle = fresh.stream(['sh', '-c', 'echo one; echo two'], {onStdoutLine: line => lines.push(line)});
	assert.deepEqual(await handle.exited, {exitCode: 0, signal: null, failure: null});
	assert.deepEqual(lines, ['one', 'two']);
});

test('signals are passed on by name; SIGTERM ends the command', {skip}, async () => {
	const lines: string[] = [];
	const handle = shell.stream(['sh', '-c', 'trap "echo got-usr1" USR1; echo ready; while :; do sleep 0.1; done', 'k8snet-31002'], {onStdoutLine: line => lines.push(line)});
	assert.ok(await waitUntil(() => lines.includes('ready'), 5000));
	handle.kill('SIGUSR1');
	assert.ok(await waitUntil(() => lines.includes('got-usr1'), 3000), lines.join('|'));
	handle.kill('SIGTERM');
	const exit = await handle.exited;
	assert.equal(exit.exitCode, 143);
	assert.ok(await waitUntil(() => processesWith('k8snet-31002').length === 0, 3000));
});

test('a run that overruns its timeout fails in one line and leaves nothing behind', {skip}, async () => {
	const started = Date.now();
	const r = await shell.run(['sleep', '31003'], {timeoutMs: 500});
	assert.ok(Date.now() - started < 2000);
	assert.match(r.failure ?? '', /did not finish within 500 ms/);
	assert.ok(await waitUntil(() => processesWith('31003').length === 0, 3000), 'sleep survived the timeout');
});

test('a node command that cannot start is one line with a hint', {skip}, async () => {
	const broken = createExecShell(['k8snet-no-such-client', 'exec', '-i', 'x']);
	const ready = await broken.prepare();
	assert.deepEqual(ready, {ok: false, reason: "'k8snet-no-such-client' is not installed on this machine", hint: 'install it, or reach the node another way (--node-ssh, --node-exec)'});
	const poll = await createRemoteNodePoller(broken).poll();
	assert.equal(poll.ok, false);
});

function readComm(pid: number): string {
	try {
		return execFileSync('cat', [`/proc/${pid}/comm`], {encoding: 'utf8'}).trim();
	} catch {
		return '';
	}
}
