// tcpdump for real, through the lab shell, on a two-pod bridge network built with /usr/lib/cni/bridge.
// Pings go only between the test's own pod namespaces, with a bounded count.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname} from 'node:path';
import {after, before, test} from 'node:test';
import {startCapture, type CaptureSession, type CaptureSnapshot} from '../../source/capture/capture-session.js';
import type {CapturePointKind} from '../../source/capture/capture-points.js';
import {annotateLine, buildIpNames} from '../../source/core/ip-names.js';
import type {CniInfo, PodPath} from '../../source/core/types.js';
import {createLabShell} from '../../source/node/lab-shell.js';
import {createLocalShell} from '../../source/node/local-shell.js';
import type {NodeShell} from '../../source/node/node-shell.js';
import {needs} from '../support/prerequisites.js';
import {childrenOf, parentOf} from '../support/proc.js';
import {createTopology, NODE_NETNS, pingBetween, UPLINK, type Topology} from './topology.js';

const skip = needs({root: true, tools: ['tcpdump', 'setpriv', 'nsenter', 'ping', 'ip']});
const bridgeCni: CniInfo = {kind: 'bridge', summary: 'bridge', capturePoint: 'bridge', bridge: 'k8snet-cap-br', evidence: []};

let topo: Topology | null = null;
const sessions: CaptureSession[] = [];
const savedFiles: string[] = [];

before(() => {
	if (!skip) topo = createTopology();
});

after(async () => {
	for (const s of sessions) await s.stop();
	topo?.destroy();
	// Only a directory save() made is removed whole: a path anywhere else (old code saved straight
	// into /tmp) loses just its file.
	for (const file of savedFiles) rmSync(/\/k8snet-pcap-[A-Za-z0-9]+\/[^/]+$/.test(file) ? dirname(file) : file, {recursive: true, force: true});
});

function shell(): NodeShell {
	return createLabShell(NODE_NETNS);
}

function lineTexts(snapshot: CaptureSnapshot): string[] {
	return snapshot.lines(snapshot.firstSeq, snapshot.endSeq).flatMap(e => (e.kind === 'item' ? [annotateLine(e.value.text, snapshot.names)] : []));
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 50));
	}
}

async function open(point: CapturePointKind, extra: {pod?: PodPath; shell?: NodeShell; expression?: string} = {}): Promise<CaptureSession> {
	const t = topo!;
	const started = await startCapture({
		shell: extra.shell ?? shell(),
		pod: extra.pod ?? t.paths[0]!,
		cni: bridgeCni,
		uplink: {iface: UPLINK},
		names: buildIpNames(t.paths, [{name: 'k8snet-cap-node', ips: ['198.51.100.101']}]),
		point,
		expression: extra.expression,
		statsIntervalMs: 1000,
	});
	assert.ok(started.ok, started.ok ? '' : `${started.reason} (${started.hint})`);
	sessions.push(started.value);
	const ready = await started.value.ready();
	assert.ok(ready.ok, ready.ok ? '' : `${ready.reason} (${ready.hint})`);
	return started.value;
}

for (const point of ['pod', 'peer', 'bridge', 'any'] as const) {
	test(`a capture at ${point} shows pod-a's ICMP, annotated with pod names`, {skip}, async () => {
		const t = topo!;
		const session = await open(point);
		assert.match(session.getSnapshot().command, /^setpriv --pdeathsig KILL -- .*tcpdump -Z root -n -B 65536 -U -w - -i \S+ 'host 10\.244\.200\.\d+'$/);
		assert.doesNotMatch(session.getSnapshot().command, / -p /);
		pingBetween(t.pods[0]!, t.pods[1]!, 3);
		const a = t.pods[0]!.ip;
		const b = t.pods[1]!.ip;
		await waitFor('echo replies', () => lineTexts(session.getSnapshot()).filter(l => l.includes('ICMP echo reply')).length >= 3);
		const lines = lineTexts(session.getSnapshot());
		assert.ok(lines.some(l => l.includes(`${a}[capture-test/pod-a] > ${b}[capture-test/pod-b]: ICMP echo request`)), lines.join('\n'));
		const snapshot = session.getSnapshot();
		assert.equal(snapshot.state, 'running');
		assert.equal(snapshot.point.kind, point);
		assert.ok(snapshot.packets >= 6);
		await waitFor('kernel counters (SIGUSR1)', () => session.getSnapshot().kernel !== null, 4000);
		assert.equal(session.getSnapshot().kernel!.dropped, 0);
		await session.stop();
		assert.equal(session.getSnapshot().state, 'stopped');
	});
}

test('the pod point enters the pod netns; the bridge is the default for a bridge CNI', {skip}, async () => {
	const pod = await open('pod');
	assert.match(pod.getSnapshot().command, /nsenter --net=\/run\/netns\/k8snet-cap-a -- tcpdump .* -i eth0 /);
	await pod.stop();
	const t = topo!;
	const started = await startCapture({shell: shell(), pod: t.paths[0]!, cni: bridgeCni, names: new Map()});
	assert.ok(started.ok);
	sessions.push(started.value);
	assert.equal(started.value.getSnapshot().point.kind, 'bridge');
	assert.match(started.value.getSnapshot().command, /-i k8snet-cap-br /);
	await started.value.stop();
});

test('pod-to-pod traffic never crosses the uplink', {skip}, async () => {
	const t = topo!;
	const uplink = await open('uplink');
	const bridge = await open('bridge');
	pingBetween(t.pods[0]!, t.pods[1]!, 3);
	await waitFor('ICMP on the bridge', () => lineTexts(bridge.getSnapshot()).filter(l => l.includes('ICMP echo reply')).length >= 3);
	await new Promise(r => setTimeout(r, 300));
	assert.deepEqual(lineTexts(uplink.getSnapshot()), []);
	assert.match(uplink.getSnapshot().point.note ?? '', /masquerade/);
	await uplink.stop();
	await bridge.stop();
});

test('w writes a pcapng on this machine, into a private directory, from the same tcpdump: lines go on, tcpdump -r reads it', {skip}, async () => {
	const t = topo!;
	const session = await open('bridge');
	pingBetween(t.pods[0]!, t.pods[1]!, 1);
	await waitFor('first reply', () => lineTexts(session.getSnapshot()).some(l => l.includes('echo reply')));
	const before = session.getSnapshot().endSeq;
	const pid = session.pid();
	const command = session.getSnapshot().command;
	const saved = await session.save();
	assert.ok(saved.ok, saved.ok ? '' : saved.reason);
	const file = saved.value;
	savedFiles.push(file);
	assert.deepEqual(await session.save(), {ok: true, value: file}, 'a second w while saving names the same file');
	// A directory of its own (mkdtemp style) in this machine's TMPDIR, not a predictable name.
	const named = `k8snet-${t.paths[0]!.namespace}-${t.paths[0]!.name}`;
	assert.match(file, new RegExp(`^${tmpdir()}/k8snet-pcap-[A-Za-z0-9]{6,}/${named}-\\d{8}-\\d{6}\\.pcapng$`));
	assert.equal(session.pid(), pid, 'tcpdump was not restarted');
	assert.equal(session.getSnapshot().command, command);
	pingBetween(t.pods[0]!, t.pods[1]!, 2);
	await waitFor('replies after the save', () => lineTexts(session.getSnapshot()).filter(l => l.includes('echo reply')).length >= 3);
	const snapshot = session.getSnapshot();
	assert.equal(snapshot.savePath, file);
	const entries = snapshot.lines(0, snapshot.endSeq);
	assert.ok(entries.slice(0, before).some(e => e.kind === 'item' && e.value.text.includes('echo reply')), 'lines before the save are kept');
	assert.ok(entries.some(e => e.kind === 'gap' && e.note.includes(file)), 'where the file starts is marked');
	assert.equal(statSync(dirname(file)).mode & 0o777, 0o700);
	assert.equal(statSync(file).mode & 0o777, 0o600);
	await session.stop();
	const read = execFileSync('tcpdump', ['-n', '-r', file], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	assert.equal(read.split('\n').filter(l => l.includes('ICMP echo reply')).length, 2, read);
});

test('c cycles the capture point, skipping none that exist', {skip}, async () => {
	const session = await open('pod');
	const seen: string[] = [];
	for (let i = 0; i < 5; i++) {
		const next = await session.cyclePoint();
		assert.ok(next.ok, next.ok ? '' : next.reason);
		seen.push(next.value.kind);
	}
	assert.deepEqual(seen, ['peer', 'bridge', 'uplink', 'any', 'pod']);
	const gaps = session.getSnapshot().lines(0, Infinity).filter(e => e.kind === 'gap');
	assert.equal(gaps.length, 5);
	await session.stop();
});

test('requests in quick succession run one after another: one tcpdump, two steps', {skip}, async () => {
	const session = await open('pod');
	const [first, second, saved] = await Promise.all([session.cyclePoint(), session.cyclePoint(), session.save()]);
	assert.ok(first.ok && second.ok && saved.ok);
	savedFiles.push(saved.value);
	assert.equal(session.getSnapshot().point.kind, 'bridge');
	const filter = `host ${topo!.pods[0]!.ip}`;
	const running = readdirSync('/proc').filter(pid => {
		try {
			const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			return argv[0] === 'tcpdump' && argv.includes(filter) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
		} catch {
			return false;
		}
	});
	assert.equal(running.length, 1);
	assert.equal(parentOf(Number(running[0])), session.pid(), 'it runs under the watchdog the session started');
	await session.stop();
});

test('the interface vanishing mid-capture stops the capture with the reason', {skip}, async () => {
	const t = topo!;
	const session = await open('peer', {pod: t.paths[1]!});
	execFileSync('ip', ['netns', 'exec', NODE_NETNS, 'ip', 'link', 'del', t.pods[1]!.peer]);
	await waitFor('the stop', () => session.getSnapshot().state === 'stopped');
	const snapshot = session.getSnapshot();
	assert.match(snapshot.stopped!.reason, new RegExp(`interface ${t.pods[1]!.peer} vanished`));
	const last = snapshot.lines(0, snapshot.endSeq).at(-1)!;
	assert.equal(last.kind, 'gap');
});

test('the pod being deleted stops the capture and says so', {skip}, async () => {
	const session = await open('bridge');
	const pid = session.pid();
	await session.podGone();
	assert.equal(session.getSnapshot().state, 'stopped');
	assert.match(session.getSnapshot().stopped!.reason, /pod capture-test\/pod-a was deleted/);
	assert.equal(existsSync(`/proc/${pid}`), false, 'tcpdump is gone');
});

test('tcpdump killed from outside: the capture stops and says so', {skip}, async () => {
	const session = await open('bridge');
	const tcpdump = childrenOf(session.pid()!).find(pid => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'tcpdump');
	assert.ok(tcpdump !== undefined, 'no tcpdump under the session');
	process.kill(tcpdump, 'SIGKILL');
	await waitFor('the stop', () => session.getSnapshot().state === 'stopped');
	assert.equal(session.getSnapshot().stopped!.reason, 'tcpdump was killed (SIGKILL)');
});

test('a pod IP that is not an IP is rejected before any process starts', {skip}, async () => {
	const calls: string[][] = [];
	const real = shell();
	const recording: NodeShell = {
		...real,
		run: (argv, o) => {
			calls.push([...argv]);
			return real.run(argv, o);
		},
		stream: (argv, o) => {
			calls.push([...argv]);
			return real.stream(argv, o);
		},
	};
	for (const bad of ['10.244.0.5; reboot', 'not-an-ip', '010.244.0.5', '0x0a.0.0.1', 'fe80::1%eth0', '10.244.0.5/24', '']) {
		const pod: PodPath = {...topo!.paths[0]!, ip: bad, ips: [bad]};
		const started = await startCapture({shell: recording, pod, cni: bridgeCni, names: new Map(), expression: 'icmp'});
		assert.equal(started.ok, false, bad);
		assert.ok(!started.ok && started.reason.includes('is not an IP'), bad);
	}
	assert.deepEqual(calls, []);
});

test('a free expression is compiled by tcpdump first; its error is shown and nothing streams', {skip}, async () => {
	const streams: string[][] = [];
	const real = shell();
	const recording: NodeShell = {
		...real,
		stream: (argv, o) => {
			streams.push([...argv]);
			return real.stream(argv, o);
		},
	};
	const bad = await startCapture({shell: recording, pod: topo!.paths[0]!, cni: bridgeCni, names: new Map(), expression: 'icmp and (foo'});
	assert.equal(bad.ok, false);
	const paren = await startCapture({shell: recording, pod: topo!.paths[0]!, cni: bridgeCni, names: new Map(), expression: 'port 99999'});
	assert.ok(!paren.ok && /tcpdump rejects the filter: .*port/.test(paren.reason), paren.ok ? '' : paren.reason);
	const unknown = await startCapture({shell: recording, pod: topo!.paths[0]!, cni: bridgeCni, names: new Map(), expression: 'host nosuchhost.invalid'});
	assert.ok(!unknown.ok && unknown.reason.startsWith('tcpdump rejects the filter'), unknown.ok ? '' : unknown.reason);
	assert.deepEqual(streams, []);
	const good = await open('bridge', {expression: 'icmp'});
	assert.match(good.getSnapshot().filter, /^\(host 10\.244\.200\.\d+\) and \(icmp\)$/);
	const changed = await good.setFilter({kind: 'all'}, 'tcp port (80');
	assert.equal(changed.ok, false);
	assert.equal(good.getSnapshot().state, 'running', 'a rejected filter leaves the capture running');
	const rejected = await good.setFilter({kind: 'all'}, 'tcp port 99999');
	assert.equal(rejected.ok, false);
	assert.match(good.getSnapshot().notice?.reason ?? '', /^tcpdump rejects the filter/, 'the pane shows why');
	const quick = await good.setFilter({kind: 'port', port: 53}, '');
	assert.deepEqual(quick, {ok: true, value: `(host ${topo!.pods[0]!.ip}) and (port 53)`});
	assert.equal(good.getSnapshot().notice, null);
	assert.match(good.getSnapshot().command, /'\(host 10\.244\.200\.\d+\) and \(port 53\)'$/);
	await good.stop();
});

test('tcpdump missing on the node: the stop reason says how to install it', {skip}, async () => {
	const real = createLabShell(NODE_NETNS);
	// The node's PATH without tcpdump: setpriv is found by its full path, tcpdump is not found at all.
	const noTcpdump: NodeShell = {
		...real,
		stream: (argv, o) => real.stream(['env', 'PATH=/nonexistent-k8snet-cap', `/usr/bin/${argv[0]}`, ...argv.slice(1)], o),
	};
	const started = await startCapture({shell: noTcpdump, pod: topo!.paths[0]!, cni: bridgeCni, names: new Map()});
	assert.ok(started.ok);
	sessions.push(started.value);
	const ready = await started.value.ready();
	assert.equal(ready.ok, false);
	const snapshot = started.value.getSnapshot();
	assert.equal(snapshot.state, 'stopped');
	assert.equal(snapshot.stopped!.reason, 'tcpdump is not installed on the node');
	assert.match(snapshot.stopped!.hint, /apt-get install tcpdump/);
});

test('no permission to capture: the hint says root or CAP_NET_RAW', {skip}, async () => {
	const real = createLocalShell();
	// An unprivileged user without capabilities, capturing on the loopback of the root netns: tcpdump
	// refuses before it opens anything, so no packet is ever seen or sent.
	const nobody: NodeShell = {
		...real,
		stream: (argv, o) => real.stream(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', ...argv], o),
	};
	const pod: PodPath = {...topo!.paths[0]!, bridge: {ifname: 'lo', addresses: [], ports: []}};
	const started = await startCapture({shell: nobody, pod, cni: bridgeCni, names: new Map(), point: 'bridge'});
	assert.ok(started.ok);
	sessions.push(started.value);
	await started.value.ready();
	const stopped = started.value.getSnapshot().stopped;
	assert.ok(stopped !== null);
	assert.match(stopped.reason, /no permission to capture on lo/);
	assert.match(stopped.hint, /root.*CAP_NET_RAW/);
});
