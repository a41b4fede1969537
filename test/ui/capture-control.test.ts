// Item 7: capture starts are serialized. Real capture sessions (startCapture) on a fake node shell
// whose tcpdump streams are counted: however the `t` presses and Esc interleave with the starts in
// flight, exactly the capture the pane shows is alive, and every other stream has been stopped.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {setTimeout as delay} from 'node:timers/promises';
import {startCapture} from '../../source/capture/capture-session.js';
import {createCaptureControl} from '../../source/app/capture-control.js';
import {buildIpNames} from '../../source/core/ip-names.js';
import type {NodeShell, StreamHandle} from '../../source/node/node-shell.js';
import {fixtureState} from './tui-fixture.js';

interface FakeStream {
	pid: number;
	alive: boolean;
}

/** A node whose tcpdump takes `exitMs` to die after a signal, as a real one does. */
function fakeShell(exitMs: number): {shell: NodeShell; streams: FakeStream[]} {
	const streams: FakeStream[] = [];
	const shell: NodeShell = {
		access: {kind: 'local', target: 'fake'},
		sharesProcfs: false,
		nodeNetnsPath: null,
		run: async () => ({exitCode: 0, stdout: '', stderr: '', failure: null}),
		stream(_argv, options): StreamHandle {
			const stream: FakeStream = {pid: 10_000 + streams.length, alive: true};
			streams.push(stream);
			let exit!: (e: {exitCode: number | null; signal: string | null; failure: string | null}) => void;
			const exited = new Promise<{exitCode: number | null; signal: string | null; failure: string | null}>(resolve => {
				exit = resolve;
			});
			setImmediate(() => options.onStderrLine?.('tcpdump: listening on bridge, link-type EN10MB (Ethernet), snapshot length 262144 bytes'));
			return {
				pid: stream.pid,
				exited,
				kill(signal = 'SIGTERM') {
					if (signal === 'SIGUSR1' || !stream.alive) return;
					setTimeout(() => {
						stream.alive = false;
						exit({exitCode: null, signal, failure: null});
					}, exitMs);
				},
			};
		},
	};
	return {shell, streams};
}

function control(shell: NodeShell, openDelayMs: number) {
	const state = fixtureState();
	return createCaptureControl(async uid => {
		// The session's own work before tcpdump starts (names, the path lookup) takes a moment.
		if (openDelayMs > 0) await delay(openDelayMs);
		return startCapture({shell, pod: state.paths.get(uid)!, cni: state.cni, names: buildIpNames([...state.paths.values()]), statsIntervalMs: 60_000});
	});
}

async function settle(c: ReturnType<typeof control>) {
	// Every queued command has run once a no-op stop behind them has.
	await delay(50);
	await c.captures.getSnapshot().session?.ready(2000);
}

for (const [gapMs, openDelayMs, exitMs] of [[0, 0, 5], [0, 5, 5], [1, 5, 20], [10, 5, 1], [3, 0, 30]] as const) {
	test(`two quick t presses (${gapMs} ms apart, start takes ${openDelayMs} ms, tcpdump dies in ${exitMs} ms) leave one tcpdump, the pane's`, async () => {
		const {shell, streams} = fakeShell(exitMs);
		const c = control(shell, openDelayMs);
		void c.start('uid-web-1');
		if (gapMs > 0) await delay(gapMs);
		void c.start('uid-web-2');
		await settle(c);
		const shown = c.captures.getSnapshot();
		assert.equal(shown.uid, 'uid-web-2', 'the pane shows the last pod asked for');
		assert.ok(shown.session, 'a capture runs');
		const alive = streams.filter(s => s.alive);
		assert.deepEqual(alive.map(s => s.pid), [shown.session.pid()], `one tcpdump alive, the pane's (streams: ${JSON.stringify(streams)})`);
		await c.close();
		assert.deepEqual(streams.filter(s => s.alive), [], 'close stops it');
	});
}

test('t then Esc before the start finishes leaves no tcpdump at all', async () => {
	const {shell, streams} = fakeShell(5);
	const c = control(shell, 5);
	void c.start('uid-web-1');
	await delay(1);
	void c.stop();
	await settle(c);
	await delay(50);
	assert.equal(c.captures.getSnapshot().session, null);
	assert.deepEqual(streams.filter(s => s.alive), [], `no tcpdump left (streams: ${JSON.stringify(streams)})`);
});

test('a start still in flight when the session closes is stopped, and nothing starts after', async () => {
	const {shell, streams} = fakeShell(5);
	const c = control(shell, 10);
	void c.start('uid-web-1');
	await delay(2);
	await c.close();
	await c.start('uid-web-2');
	await delay(50);
	assert.equal(c.captures.getSnapshot().session, null);
	assert.deepEqual(streams.filter(s => s.alive), [], `no tcpdump left (streams: ${JSON.stringify(streams)})`);
});
