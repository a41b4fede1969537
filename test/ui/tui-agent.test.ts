// --agent on the lab, run from the host (not inside the node netns): the shipped bundle reaches the
// lab node only through an agent pod the lab API "runs" in the node's namespace. dump and the TUI
// resolve every lab pod as the kernel says; a capture runs through the agent and tshark reads it;
// and every way out leaves no agent pod, as the real kubectl shows: q, ctrl-c, SIGTERM and SIGHUP
// of the TUI delete it at once, a SIGKILLed TUI's agent ends by itself (its heartbeat shortened)
// and the next start deletes it, and dump and capture delete theirs on SIGINT and SIGTERM.
// Brings the lab up (3 pods, traffic) and always takes it down: run under the machine lock.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, beforeEach, test} from 'node:test';
import {CoreV1Api} from '@kubernetes/client-node';
import {MANAGED_BY, MANAGED_BY_LABEL} from '../../source/cluster/agent-pod-spec.js';
import {loadKubeTarget} from '../../source/cluster/kube-target.js';
import type {DumpDocument} from '../../source/core/dump-output.js';
import type {LabState} from '../../source/lab/lab-state.js';
import {WORKER_MARKER} from '../../source/node/remote/node-worker-script.js';
import {kubectlFor} from '../agent/kubectl.js';
import {kernelTruth, labDown, labUp} from '../dump/lab-cli.js';
import {processesWith, waitUntil} from '../remote/node-fixtures.js';
import {needs} from '../support/prerequisites.js';
import {ROOT, startCli, type PtyScreen} from './pty-screen.js';

const skip = needs({root: true, tools: ['kubectl', 'tshark', 'tcpdump', 'nsenter', 'setpriv', 'ip', 'openssl'], files: [join(ROOT, 'dist', 'cli.js'), '/usr/lib/cni/bridge']});
const BIN = join(ROOT, 'bin', 'k8snet-tui.js');
const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-agent-'));
let lab: LabState;
const screens = new Set<PtyScreen>();
const children = new Set<ChildProcess>();
const kubectl = kubectlFor(() => lab.kubeconfig, () => join(dir, 'kube-cache'));

/** The agent pods as `kubectl get pods -A` lists them: "NAME PHASE" lines. */
async function agents(): Promise<string> {
	const r = await kubectl(['get', 'pods', '-A', '-l', `${MANAGED_BY_LABEL}=${MANAGED_BY}`, '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}']);
	assert.equal(r.code, 0, r.err);
	return r.out.trim();
}

async function noAgentLeft(what: string): Promise<void> {
	assert.equal(await agents(), '', `${what}: kubectl get pods shows no agent pod`);
	assert.ok(await waitUntil(() => processesWith(WORKER_MARKER).length === 0, 5000), `${what}: no node worker left`);
}

/** Polls the API in-process (kubectl is too slow to catch a pod's first moments) until an agent pod exists. */
async function agentCreated(ms: number): Promise<boolean> {
	const loaded = loadKubeTarget({kubeconfig: lab.kubeconfig, context: undefined});
	assert.ok(loaded.ok);
	const api = loaded.value.kc.makeApiClient(CoreV1Api);
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		const listed = await api.listPodForAllNamespaces({labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}`});
		if (listed.items.length > 0) return true;
		await new Promise(resolve => setTimeout(resolve, 20));
	}

	return false;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): {child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null>} {
	const child = spawn(process.execPath, [BIN, ...args, '--kubeconfig', lab.kubeconfig, '--agent'], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, ...env}});
	children.add(child);
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const exit = new Promise<number | null>(resolve => child.on('close', code => {
		children.delete(child);
		resolve(code);
	}));
	return {child, stdout: () => out, stderr: () => err, exit};
}

function tui(env: NodeJS.ProcessEnv = {}): PtyScreen {
	const screen = startCli(['--kubeconfig', lab.kubeconfig, '--agent'], {entry: 'bundle', columns: 120, rows: 30, env, stderrFile: join(dir, `tui-${screens.size}.stderr`)});
	screens.add(screen);
	void screen.exited.then(() => screens.delete(screen));
	return screen;
}

const normalPods = () => lab.pods.filter(pod => pod.kind === 'normal' && pod.netnsPath !== null);

/** Every lab pod listed with the veth the kernel pairs with its eth0. */
async function resolvedOnScreen(screen: PtyScreen): Promise<void> {
	const truths = normalPods().map(pod => ({ref: `${pod.namespace}/${pod.name}`, peer: kernelTruth(pod.netnsPath!).peer}));
	await screen.waitFor(text => truths.every(t => text.split('\n').some(line => line.includes(t.ref) && line.includes(t.peer))), 60_000, `every lab pod with its kernel peer (${JSON.stringify(truths)})`);
}

before(async () => {
	if (skip) return;
	lab = await labUp(['--pods', '3', '--traffic']);
});

// A test that failed may have left its agent: the next one starts without it, so each failure is its own.
beforeEach(async () => {
	if (skip) return;
	await kubectl(['delete', 'pods', '-A', '-l', `${MANAGED_BY_LABEL}=${MANAGED_BY}`, '--wait=true']);
});

after(async () => {
	for (const screen of screens) screen.kill('SIGKILL');
	for (const child of children) child.kill('SIGKILL');
	if (!skip) {
		// A SIGKILLed run's agent, if a test failed before its sweep.
		await kubectl(['delete', 'pods', '-A', '-l', `${MANAGED_BY_LABEL}=${MANAGED_BY}`, '--wait=false']).catch(() => undefined);
		await labDown();
	}

	rmSync(dir, {recursive: true, force: true});
});

test('dump --json -A --agent resolves every lab pod as the kernel says, and deletes its agent before it exits', {skip}, async () => {
	const ran = cli(['dump', '--json', '-A']);
	assert.equal(await ran.exit, 0, ran.stderr());
	const document = JSON.parse(ran.stdout()) as DumpDocument;
	assert.equal(document.access.kind, 'agent');
	for (const pod of normalPods()) {
		const path = document.pods.find(p => p.uid === pod.uid);
		assert.ok(path, `${pod.namespace}/${pod.name} listed`);
		const truth = kernelTruth(pod.netnsPath!);
		assert.equal(path.status, 'resolved', `${pod.name}: ${path.evidence.join(' | ')}`);
		assert.equal(path.netns?.inode, truth.inode, `${pod.name} netns`);
		assert.equal(path.peer?.ifname, truth.peer, `${pod.name} peer`);
		assert.equal(path.peer?.ifindex, truth.linkIndex);
	}

	assert.ok(!document.pods.some(p => p.name.startsWith('k8snet-agent-')), 'the agent pod is not in the list');
	await noAgentLeft('dump');
});

for (const [how, end, code] of [
	['q', (s: PtyScreen) => s.write('q'), 0],
	['ctrl-c', (s: PtyScreen) => s.write('\u0003'), 0],
	['SIGTERM', (s: PtyScreen) => s.kill('SIGTERM'), 143],
	['SIGHUP', (s: PtyScreen) => s.kill('SIGHUP'), 129],
] as const) {
	test(`the TUI with --agent shows every pod's path; ${how} deletes the agent pod at once`, {skip}, async () => {
		const screen = tui();
		await resolvedOnScreen(screen);
		assert.match(await agents(), /^k8snet-agent-k8snet-lab-\w{5} Running$/);
		end(screen);
		const exit = await Promise.race([screen.exited, new Promise<null>(resolve => setTimeout(() => resolve(null), 15_000))]);
		assert.ok(exit, `the TUI exits after ${how}`);
		assert.equal(exit.exitCode, code);
		await noAgentLeft(how);
	});
}

test('SIGKILL of the TUI: within 90 s its agent is no longer Running or Pending (heartbeat stale), and the next start deletes it', {skip}, async () => {
	const screen = tui({K8SNET_TEST_AGENT_IDLE_SECONDS: '3'});
	await resolvedOnScreen(screen);
	const [name] = (await agents()).split(' ');
	screen.kill('SIGKILL');
	await screen.exited;
	let phase = 'Running';
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline && (phase === 'Running' || phase === 'Pending')) {
		await new Promise(resolve => setTimeout(resolve, 500));
		phase = (await kubectl(['get', 'pod', name!, '-o', 'jsonpath={.status.phase}'])).out;
	}

	assert.equal(phase, 'Succeeded', 'the agent ended by itself');
	const next = cli(['dump', '-A']);
	assert.equal(await next.exit, 0, next.stderr());
	await noAgentLeft('the next start');
});

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
	test(`dump --agent: ${signal} while it starts deletes its agent pod before it exits`, {skip}, async () => {
		const ran = cli(['dump', '-A']);
		assert.ok(await agentCreated(30_000), 'the agent pod was created');
		ran.child.kill(signal);
		assert.equal(await ran.exit, code, `dump still running when signalled: ${ran.stderr()}`);
		await noAgentLeft(`dump ${signal}`);
	});

	test(`capture --agent: ${signal} ends it with ${code} and deletes its agent pod`, {skip}, async () => {
		const pod = normalPods()[0]!;
		const marker = signal === 'SIGINT' ? '31121' : '31122';
		const ran = cli(['capture', `${pod.namespace}/${pod.name}`, '-f', `icmp or udp port ${marker}`]);
		assert.ok(await waitUntil(() => ran.stdout().includes('ICMP echo'), 60_000), ran.stderr());
		ran.child.kill(signal);
		assert.equal(await ran.exit, code, ran.stderr());
		await noAgentLeft(`capture ${signal}`);
		assert.ok(await waitUntil(() => processesWith(`udp port ${marker}`).length === 0, 5000), 'no tcpdump left');
	});
}

test('capture NS/POD -w - --agent -c 8 | tshark -r -: the pings, named by the pcapng NRB, and no agent left', {skip}, async () => {
	const pod = normalPods()[0]!;
	const ref = `${pod.namespace}/${pod.name}`;
	const script = `"$@" 2>"$DIR/err" | tshark -N n -r - 2>/dev/null; echo "\${PIPESTATUS[*]}" > "$DIR/codes"`;
	const child = spawn('bash', ['-c', script, 'bash', process.execPath, BIN, 'capture', ref, '-f', 'icmp or udp port 31123', '-c', '8', '-w', '-', '--kubeconfig', lab.kubeconfig, '--agent'], {
		stdio: ['ignore', 'pipe', 'ignore'],
		env: {...process.env, DIR: dir},
	});
	children.add(child);
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	await new Promise(resolve => child.on('close', resolve));
	children.delete(child);
	const err = readFileSync(join(dir, 'err'), 'utf8');
	assert.deepEqual(readFileSync(join(dir, 'codes'), 'utf8').trim().split(' ').map(Number), [0, 0], err);
	assert.match(err, /capture: 8 packets/);
	const lines = out.trim().split('\n');
	assert.equal(lines.length, 8, out);
	assert.ok(lines.some(l => (l.includes(`${ref} → `) || l.includes(` → ${ref} `)) && /ICMP .*Echo \(ping\)/.test(l)), out);
	await noAgentLeft('capture -c');
});
