// In the lab, the lab's records play the runtime. Real processes stand for pause and app
// containers: one pod with a named netns (/run/netns style), one held only by a process (Docker
// style), one whose processes are gone, one pending. Inodes are checked with readlink.
import assert from 'node:assert/strict';
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {after, before, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import type {LabPod, LabState} from '../../source/lab/lab-state.js';
import {createLocalShell} from '../../source/node/local-shell.js';
import type {NodeShell} from '../../source/node/node-shell.js';
import {labRecords} from '../../source/node/runtime/lab-runtime.js';
import {netnsSharing} from '../../source/node/runtime/netns-sharing.js';
import {detectRuntime} from '../../source/node/runtime/runtime.js';
import {needs} from '../support/prerequisites.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'sleep', 'readlink']});
const NETNS = 'k8snet-rt-lab';
const children: ChildProcess[] = [];

function start(argv: string[]): number {
	const [command = '', ...args] = argv;
	const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], {stdio: 'ignore'});
	children.push(child);
	if (child.pid === undefined) throw new Error(`could not start ${command}`);
	return child.pid;
}

function inodeOf(pid: number): number {
	const link = execFileSync('readlink', [`/proc/${pid}/ns/net`], {encoding: 'utf8'}).trim();
	return Number(/^net:\[(\d+)\]$/.exec(link)?.[1]);
}

function pod(name: string, fields: Partial<LabPod>): LabPod {
	return {
		namespace: 'default', name, uid: `uid-${name}`, kind: 'normal', ip: null, ips: [], netnsPath: null, netnsName: null,
		sandboxPid: null, sandboxId: `${name}-sandbox`, containers: [], createdAt: '2026-11-29T18:00:00Z', ...fields,
	};
}

function labWith(pods: LabPod[]): LabState {
	return {
		version: 1, phase: 'up', node: 'k8snet-lab', nodeNetns: 'k8snet-lab-node', worldNetns: 'k8snet-lab-world',
		nodeIP: '198.51.100.2', worldIP: '198.51.100.1', builtWith: 'iproute2', kubeconfig: '', apiServer: '', apiSocket: '',
		daemonPids: [], trafficPids: [],
		options: {pods: pods.length, namespaces: ['default'], sandbox: 'mixed', cni: 'bridge', ipv6: false, oddPods: true, fakeNodes: 0, fakePods: 0, traffic: false},
		pods,
	};
}

let lab: LabState;
const pids: Record<string, number> = {};

before(async () => {
	if (skip) return;
	execFileSync('ip', ['netns', 'add', NETNS]);
	pids['aPause'] = start(['nsenter', `--net=/run/netns/${NETNS}`, 'sleep', '600']);
	pids['aApp'] = start(['nsenter', `--net=/run/netns/${NETNS}`, 'sleep', '600']);
	pids['aOdd'] = start(['sleep', '600']);
	pids['bPause'] = start(['unshare', '--net', 'sleep', '600']);
	const gone = start(['sleep', '600']);
	await sleep(300); // let nsenter/unshare switch namespaces before they exec sleep
	pids['bApp'] = start(['nsenter', `--net=/proc/${pids['bPause']}/ns/net`, 'sleep', '600']);
	children.find(c => c.pid === gone)?.kill('SIGKILL');
	await sleep(300);
	pids['gone'] = gone;
	lab = labWith([
		pod('a', {netnsPath: `/run/netns/${NETNS}`, netnsName: NETNS, sandboxPid: pids['aPause'], containers: [
			{name: 'app', id: 'a-app', pid: pids['aApp']!, image: 'x'},
			{name: 'odd', id: 'a-odd', pid: pids['aOdd']!, image: 'x'},
			{name: 'done', id: 'a-done', pid: null, image: 'x'},
		]}),
		pod('b', {netnsPath: `/proc/${pids['bPause']}/ns/net`, sandboxPid: pids['bPause'], containers: [{name: 'app', id: 'b-app', pid: pids['bApp']!, image: 'x'}]}),
		pod('c', {kind: 'sandbox-gone', netnsPath: `/proc/${gone}/ns/net`, sandboxPid: gone, containers: [{name: 'app', id: 'c-app', pid: gone, image: 'x'}]}),
		pod('d', {kind: 'pending', sandboxId: ''}),
	]);
});

after(() => {
	for (const child of children) child.kill('SIGKILL');
	try {
		execFileSync('ip', ['netns', 'del', NETNS], {stdio: 'ignore'});
	} catch {
		// Not created: nothing to remove.
	}
});

for (const [label, shell] of [
	['local shell', createLocalShell()],
	['shell without our /proc (one stat)', {...createLocalShell(), sharesProcfs: false} satisfies NodeShell],
] as const) {
	test(`lab records: sandbox pids, container pids and netns inodes (${label})`, {skip}, async () => {
		const info = await detectRuntime(shell, lab);
		assert.equal(info.kind, 'lab');
		assert.equal(info.note, null);
		assert.deepEqual(info.sandboxes.map(s => s.name), ['a', 'b', 'c']);
		const [a, b, c] = info.sandboxes;
		assert.equal(a?.pid, pids['aPause']);
		assert.equal(a?.netnsInode, inodeOf(pids['aPause']!));
		assert.deepEqual(a?.containers.map(x => [x.name, x.netnsInode, x.state]), [
			['app', inodeOf(pids['aApp']!), 'running'],
			['odd', inodeOf(pids['aOdd']!), 'running'],
			['done', null, 'exited'],
		]);
		const sharingA = netnsSharing(a!);
		assert.deepEqual([sharingA.shared, sharingA.separate, sharingA.unknown].map(list => list.map(x => x.name)), [['app'], ['odd'], ['done']]);
		assert.equal(b?.netnsInode, inodeOf(pids['bPause']!));
		assert.equal(b?.containers[0]?.netnsInode, b?.netnsInode);
		assert.notEqual(b?.netnsInode, a?.netnsInode);
		assert.equal(c?.netnsInode, null);
		assert.deepEqual(c?.containers.map(x => x.state), ['gone']);
	});
}

test('a pod whose sandbox is gone is not running, though the state keeps its netns path', () => {
	const records = labRecords(labWith([
		pod('up', {netnsPath: '/run/netns/k8snet-lab-cni-1', netnsName: 'k8snet-lab-cni-1', sandboxPid: 4242}),
		pod('gone', {kind: 'sandbox-gone', netnsPath: '/run/netns/k8snet-lab-cni-2', netnsName: 'k8snet-lab-cni-2', sandboxPid: null}),
		pod('gone-process-style', {kind: 'sandbox-gone', netnsPath: '/proc/4243/ns/net', sandboxPid: null}),
	]));
	assert.deepEqual(records.map(r => [r.name, r.pid, r.running]), [['up', 4242, true], ['gone', null, false], ['gone-process-style', null, false]]);
});
