// The real CLI (the shipped bundle, `npm run build` first) in a real pty at the two sizes the issue
// names, against a lab whose pods a real containerd made through its CRI (`lab up --runtime
// containerd`): a container picked in the Containers pane shows its real record in Details; at 80×24
// an open capture keeps 8 packet lines and no pane is drawn empty; `:ns` and `:ctx` switch in-session
// (a second context in a temp kubeconfig points at the same lab API).
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import yaml from 'js-yaml';
import type {LabPod, LabState} from '../../source/lab/lab-state.js';
import {labDown, labUp} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {startCli, type PtyScreen} from './pty-screen.js';

const skip = needs({
	root: true,
	tools: ['ip', 'nsenter', 'bridge', 'tcpdump', 'containerd', 'containerd-shim-runc-v2', 'runc', 'tar'],
	files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/loopback', '/bin/busybox'],
});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-sizes-'));
const screens = new Set<PtyScreen>();
let lab: LabState;
let kubeconfig: string;
let firstContext: string;
let pod: LabPod;

before(async () => {
	if (skip) return;
	lab = await labUp(['--runtime', 'containerd', '--pods', '4', '--namespaces', 'default,lab', '--traffic']);
	const config = yaml.load(readFileSync(lab.kubeconfig, 'utf8')) as {contexts: Array<{name: string; context: Record<string, unknown>}>};
	firstContext = config.contexts[0]!.name;
	config.contexts.push({name: 'second', context: {...config.contexts[0]!.context}});
	kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(kubeconfig, yaml.dump(config), {mode: 0o600});
	pod = lab.pods.find(p => p.kind === 'normal' && p.containers.length > 0)!;
	assert.ok(pod, 'a lab pod with containers');
});

after(async () => {
	for (const s of screens) s.kill('SIGKILL');
	if (!skip) await labDown();
	rmSync(dir, {recursive: true, force: true});
});

// A tcpdump line of an ICMP packet, as cut at 80 columns ("…: ICM…").
const PACKET = /IP \S+ > \S+: ICM/g;

function open(columns: number, rows: number): PtyScreen {
	const s = startCli(['--kubeconfig', kubeconfig], {columns, rows, entry: 'bundle'});
	screens.add(s);
	void s.exited.then(() => screens.delete(s));
	return s;
}

/** Filter the pods to `target` and wait until its path is drawn. */
async function select(s: PtyScreen, target: LabPod): Promise<void> {
	await s.waitFor(text => /veth/.test(text), 60_000, 'the lab pods and their paths');
	s.write('/');
	for (const char of target.name) s.write(char);
	s.write('\r');
	await s.waitFor(text => text.includes(`[${target.namespace}/${target.name}]`), 15_000, `the path of ${target.namespace}/${target.name}`);
}

async function quit(s: PtyScreen): Promise<void> {
	s.write('q');
	assert.equal((await s.exited).exitCode, 0);
}

test('120×36: ID and RST columns; the picked container\'s containerd record in Details; :ns and :ctx switch', {skip}, async () => {
	const s = open(120, 36);
	await select(s, pod);
	const container = pod.containers[0]!;
	assert.match(s.text(), /CONTAINER +ID +STATE +RST/);
	await s.waitFor(text => text.includes(container.id.slice(0, 8)), 15_000, 'the container\'s id from containerd in its row');
	s.write('l');
	s.write('j');
	await s.waitFor(text => text.includes(`Details: container ${container.name}`), 10_000, 'Details of the picked container');
	// The API's facts show at once; the runtime's record follows when the node's CRI has been read.
	await s.waitFor(text => new RegExp(`[│║]PID +${container.pid ?? '\\d+'}\\b`).test(text), 60_000, 'the containerd record (its PID) in Details');
	const screen = s.text();
	// The whole 64-hex id, wrapped in the pane: its first 40 characters sit on one line.
	assert.ok(screen.includes(container.id.slice(0, 40)), `the full id ${container.id}:\n${screen}`);
	assert.match(screen, /netns +net:\[\d+\]/);
	assert.match(screen, /imageID +sha256:/);
	assert.doesNotMatch(screen, /from the API/, 'every field is the runtime\'s');
	// The rest is a scroll away: enter focuses Details, G goes to its end.
	s.write('\r');
	s.write('G');
	await s.waitFor(text => /runtime +containerd/.test(text) && /cgroup +\S/.test(text), 10_000, 'the end of the record: cgroup and runtime');
	// esc walks back (Details → Containers → Pods), then clears the filter; one at a time, as typed.
	s.write('\u001B');
	await s.waitFor(text => text.includes('▶ Containers'), 5000, 'esc back to Containers');
	s.write('\u001B');
	await s.waitFor(text => text.includes('▶ Pods'), 5000, 'esc back to Pods');
	s.write('\u001B');
	await s.waitFor(text => /Pods \d+ sort/.test(text), 10_000, 'the filter cleared');

	const other = pod.namespace === 'lab' ? 'default' : 'lab';
	for (const char of `:ns ${other}\r`) s.write(char);
	await s.waitFor(text => new RegExp(`ns ${other}\\b`).test(text.split('\n')[0]!), 30_000, `the header to say ns ${other}`);
	const theirs = lab.pods.filter(p => p.kind === 'normal' && p.namespace === other && (p.node ?? lab.node) === lab.node);
	await s.waitFor(text => new RegExp(`Pods ${theirs.length}\\b`).test(text), 30_000, `only the ${theirs.length} pods of ${other}`);
	assert.ok(!s.text().includes(`${pod.namespace}/${pod.name}`), `${pod.namespace}/${pod.name} is gone after :ns ${other}`);

	for (const char of ':ctx second\r') s.write(char);
	await s.waitFor(text => /ctx second\b/.test(text.split('\n')[0]!), 30_000, 'the header to say ctx second');
	await s.waitFor(text => /veth/.test(text), 60_000, 'pods with their paths in the second context');
	for (const char of `:ctx ${firstContext}\r`) s.write(char);
	await s.waitFor(text => text.split('\n')[0]!.includes(`ctx ${firstContext}`), 30_000, `back in ${firstContext}`);
	await quit(s);
});

test('80×24: container details at the smallest size; the open capture keeps ≥ 8 packet lines and no pane is drawn empty', {skip}, async () => {
	const s = open(80, 24);
	await select(s, pod);
	const container = pod.containers[0]!;
	s.write('l');
	s.write('j');
	await s.waitFor(text => text.includes(`Details: container ${container.name}`), 10_000, 'Details of the picked container at 80×24');
	await s.waitFor(text => text.includes(container.id.slice(0, 20)), 5000, 'its id in Details');
	s.write('\u001B');
	await s.waitFor(text => text.includes('▶ Pods'), 5000, 'esc back to Pods');
	s.write('t');
	// The traffic pods ping every second: wait until the pane is full of packet lines.
	await s.waitFor(text => (text.match(PACKET) ?? []).length >= 8, 60_000, '8 packet lines in the capture pane');
	const lines = s.lines();
	const top = lines.findIndex(line => /capture (▼|‖)/.test(line));
	assert.ok(top > 0, `the capture pane is on screen:\n${lines.join('\n')}`);
	const bottom = lines.findIndex((line, i) => i > top && /^[└╚]/.test(line));
	const packets = lines.slice(top, bottom).filter(line => new RegExp(PACKET.source).test(line)).length;
	assert.ok(packets >= 8, `${packets} packet lines at 80×24:\n${lines.join('\n')}`);
	// Above it: the Pods pane with the selected pod, and no pane whose box holds nothing.
	const above = lines.slice(0, top);
	assert.ok(above.some(line => line.includes(`${pod.namespace}/${pod.name}`)), `the selected pod above the capture:\n${lines.join('\n')}`);
	assert.ok(!above.some(line => /Path|Containers|Details/.test(line)), `no squeezed panes above the capture:\n${lines.join('\n')}`);
	assert.equal(lines.length, 24);
	await quit(s);
});
