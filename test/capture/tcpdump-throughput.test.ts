// tcpdump as the capture runs it, for real on the capture topology (test/capture/topology.ts): a
// lone ping still shows within libpcap's block timeout, and under a bounded `ping -f` the session reads
// what a plain `tcpdump -w /dev/null` beside it saw. Pings go only between the test's own pods.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {after, before, test} from 'node:test';
import {startCapture, type CaptureSession} from '../../source/capture/capture-session.js';
import {parseKernelCounters} from '../../source/capture/tcpdump.js';
import {buildIpNames} from '../../source/core/ip-names.js';
import type {CniInfo} from '../../source/core/types.js';
import {createLabShell} from '../../source/node/lab-shell.js';
import {needs} from '../support/prerequisites.js';
import {BRIDGE, createTopology, NODE_NETNS, pingBetween, type Topology} from './topology.js';

const skip = needs({root: true, tools: ['tcpdump', 'setpriv', 'nsenter', 'ping', 'ip']});
const bridgeCni: CniInfo = {kind: 'bridge', summary: 'bridge', capturePoint: 'bridge', bridge: BRIDGE, evidence: []};
/** libpcap's block timeout without immediate mode (tcpdump sets 1000 ms), and a moment to read it. */
const SHOWN_WITHIN_MS = 1250;

let topo: Topology | null = null;
const sessions: CaptureSession[] = [];

before(() => {
	if (!skip) topo = createTopology();
});

after(async () => {
	for (const s of sessions) await s.stop();
	topo?.destroy();
});

async function open(): Promise<CaptureSession> {
	const started = await startCapture({shell: createLabShell(NODE_NETNS), pod: topo!.paths[0]!, cni: bridgeCni, names: buildIpNames(topo!.paths), point: 'bridge', statsIntervalMs: 1000});
	assert.ok(started.ok, started.ok ? '' : started.reason);
	sessions.push(started.value);
	const ready = await started.value.ready();
	assert.ok(ready.ok, ready.ok ? '' : ready.reason);
	return started.value;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
	const end = Date.now() + ms;
	while (!check() && Date.now() < end) await new Promise(r => setTimeout(r, 20));
	return check();
}

test('one ping on a quiet bridge shows within the block timeout (2x slack)', {skip}, async () => {
	const session = await open();
	const before = session.getSnapshot().packets;
	const sent = Date.now();
	pingBetween(topo!.pods[0]!, topo!.pods[1]!, 1);
	assert.ok(await until(() => session.getSnapshot().packets >= before + 2, 2 * SHOWN_WITHIN_MS), `request and reply not shown within ${2 * SHOWN_WITHIN_MS} ms`);
	const shownMs = Date.now() - sent;
	await session.stop();
	console.log(`one ping shown after ${shownMs} ms`);
});

test('under a 4 s ping -f the session reads >= 95 % of what tcpdump -w /dev/null saw, and no kernel drops', {skip}, async () => {
	const [a, b] = topo!.pods as [Topology['pods'][0], Topology['pods'][0]];
	const session = await open();
	const ceiling = spawn('nsenter', [`--net=/run/netns/${NODE_NETNS}`, 'tcpdump', '-Z', 'root', '-n', '-i', BRIDGE, '-w', '/dev/null', session.getSnapshot().filter], {stdio: ['ignore', 'ignore', 'pipe']});
	let said = '';
	ceiling.stderr.on('data', (d: Buffer) => (said += d.toString()));
	const ceilingDone = new Promise(resolve => ceiling.once('close', resolve));
	try {
		assert.ok(await until(() => said.includes('listening on'), 10_000), `the ceiling tcpdump did not start: ${said}`);
		const before = session.getSnapshot().packets;
		const ping = spawn('nsenter', [`--net=${a.netnsPath}`, 'ping', '-f', '-q', '-w', '4', b.ip], {stdio: 'ignore'});
		await new Promise(resolve => ping.once('close', resolve));
		// What the kernel ring still holds comes within a block timeout once the flood stops.
		await new Promise(r => setTimeout(r, 2 * SHOWN_WITHIN_MS));
		const read = session.getSnapshot().packets - before;
		ceiling.kill('SIGINT');
		await ceilingDone;
		const seen = Object.assign({captured: 0}, ...said.split('\n').map(line => parseKernelCounters(line) ?? {})) as {captured: number};
		await session.stop();
		console.log(`read ${read} of the ceiling's ${seen.captured}; kernel drops ${session.getSnapshot().kernel?.dropped}`);
		assert.ok(seen.captured > 1000, `the flood was not seen: ${said}`);
		assert.ok(read >= 0.95 * seen.captured, `read ${read} of ${seen.captured}`);
		assert.equal(session.getSnapshot().kernel?.dropped, 0);
	} finally {
		if (ceiling.exitCode === null) ceiling.kill('SIGKILL');
	}
});
