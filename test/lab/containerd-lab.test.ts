// `lab up --runtime containerd --pods 6`: a real containerd makes the pods through its CRI, and
// `dump --json` (which reads that CRI socket, spawning nothing) shows each pod's real sandbox and
// containers, compared with what `ctr containers ls` and `ctr tasks ls` print, with what the
// kernel says about their netns, with the lab API's containerd:// ids, and with the Containers
// pane. Then one sandbox is stopped by StopPodSandbox, and `lab down` leaves nothing behind.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {after, before, test} from 'node:test';
import type {DumpDocument} from '../../source/core/dump-output.js';
import type {PodInfo} from '../../source/core/types.js';
import {CONTAINERD_SOCKET, LAB_CGROUP_PARENT, PAUSE_IMAGE} from '../../source/lab/containerd/containerd-paths.js';
import {shimSocketName} from '../../source/lab/containerd/containerd-down.js';
import type {LabState} from '../../source/lab/lab-state.js';
import {createLabShell} from '../../source/node/lab-shell.js';
import {connectCri} from '../../source/node/runtime/cri-client.js';
import {probeRuntime} from '../../source/node/runtime/runtime.js';
import {containersModel} from '../../source/ui/containers-model.js';
import {k8snet, kernelTruth, labDown, labUp} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';

const prerequisites = {
	root: true,
	tools: ['ip', 'nsenter', 'tar', 'containerd', 'containerd-shim-runc-v2', 'ctr', 'runc', 'kubectl'],
	files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/loopback', '/bin/busybox'],
};
const skip = needs(prerequisites);
let state: LabState;
const hostSocketBefore = existsSync('/run/containerd/containerd.sock');

before(async () => {
	if (!skip) state = await labUp(['--runtime', 'containerd', '--pods', '6']);
});
after(async () => {
	if (!skip) await labDown();
});

const ctr = (...args: string[]) => execFileSync('ctr', ['--address', CONTAINERD_SOCKET, '--namespace', 'k8s.io', ...args], {encoding: 'utf8'});
/** `ctr containers ls`: id → image; `ctr tasks ls`: id → pid and status. */
function ctrTruth(): {images: Map<string, string>; tasks: Map<string, {pid: number; status: string}>} {
	const rows = (text: string) => text.trim().split('\n').slice(1).map(line => line.trim().split(/\s+/));
	return {
		images: new Map(rows(ctr('containers', 'ls')).map(([id, image]) => [id!, image!])),
		tasks: new Map(rows(ctr('tasks', 'ls')).map(([id, pid, status]) => [id!, {pid: Number(pid), status: status!}])),
	};
}

async function dump(): Promise<DumpDocument> {
	const r = await k8snet(['dump', '--json', '--kubeconfig', state.kubeconfig]);
	assert.equal(r.code, 0, r.stderr);
	return JSON.parse(r.stdout) as DumpDocument;
}

test('dump --json: every pod has the sandbox and containers containerd has, as ctr prints them', {skip}, async () => {
	const document = await dump();
	const truth = ctrTruth();
	assert.deepEqual(document.runtime, {kind: 'cri', note: null});
	assert.equal(document.pods.length, 6);
	const seen = new Set<string>();
	for (const pod of document.pods) {
		const record = state.pods.find(p => p.uid === pod.uid)!;
		const sandbox = pod.sandbox!;
		assert.ok(sandbox, `${pod.name} has a sandbox`);
		assert.equal(sandbox.id, record.sandboxId);
		assert.equal(truth.images.get(sandbox.id), PAUSE_IMAGE, `${pod.name}: ctr lists the sandbox as a pause container`);
		assert.deepEqual(truth.tasks.get(sandbox.id), {pid: sandbox.pid, status: 'RUNNING'});
		assert.equal(sandbox.state, 'ready');
		assert.match(sandbox.netnsPath ?? '', /^\/(var\/)?run\/netns\/cni-[0-9a-f-]{36}$/);
		const inode = statSync(sandbox.netnsPath!).ino;
		assert.equal(sandbox.netnsInode, inode);
		// The join walked into the same netns the runtime names, and the kernel agrees on eth0.
		assert.equal(pod.netns?.inode, inode);
		assert.equal(pod.peer?.ifname, kernelTruth(sandbox.netnsPath!).peer);
		seen.add(sandbox.id);

		assert.deepEqual(pod.containers.map(c => c.name).sort(), record.containers.map(c => c.name).sort());
		for (const c of pod.containers) {
			seen.add(c.id);
			assert.equal(truth.images.get(c.id), c.image, `${pod.name}/${c.name}: ctr's image`);
			assert.deepEqual(truth.tasks.get(c.id), {pid: c.pid, status: 'RUNNING'});
			assert.equal(c.netnsInode, inode, `${pod.name}/${c.name} shares the sandbox's netns`);
			assert.equal(c.state, 'running');
			assert.equal(c.runtime, 'containerd');
			assert.equal(c.restarts, 0);
			assert.match(c.imageID ?? '', /^sha256:[0-9a-f]{64}$/);
			assert.ok(c.startedAt !== null && Date.parse(c.startedAt) > Date.parse(record.createdAt) - 1000, `${c.name} startedAt ${c.startedAt}`);
			assert.ok(c.cgroup?.startsWith(`${LAB_CGROUP_PARENT}/pod${pod.uid}/`), `${c.name} cgroup ${c.cgroup}`);
			assert.equal(c.exitCode, null);
		}
	}

	assert.deepEqual([...seen].sort(), [...truth.images.keys()].sort(), 'nothing ctr lists is missing from the dump, nothing extra');
});

test('the lab API reports the pods with the containerd:// ids containerd gave them', {skip}, () => {
	const list = JSON.parse(execFileSync('kubectl', ['--kubeconfig', state.kubeconfig, 'get', 'pods', '-A', '-o', 'json'], {encoding: 'utf8'})) as {
		items: Array<{metadata: {uid: string}; status: {containerStatuses: Array<{name: string; containerID: string}>}}>;
	};
	const truth = ctrTruth();
	for (const item of list.items) {
		for (const status of item.status.containerStatuses) {
			const id = status.containerID.replace(/^containerd:\/\//, '');
			assert.match(status.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
			assert.ok(truth.tasks.has(id), `${status.name}: ${id} is a task of the lab's containerd`);
		}
	}
});

test('the Containers pane shows the real sandbox id and each container\'s pid, sharing one netns; no process spawned', {skip}, async () => {
	const probe = await probeRuntime(createLabShell(state.nodeNetns), state);
	assert.equal(probe.processes, 0);
	const truth = ctrTruth();
	for (const record of state.pods) {
		const pod = {
			namespace: record.namespace, name: record.name, uid: record.uid, nodeName: state.node, hostNetwork: false, ips: record.ips, phase: 'Running',
			ready: true, restarts: 0, hostIP: state.nodeIP, startTime: null, conditions: [], labels: {}, resourceVersion: '1',
			containers: record.containers.map(c => ({name: c.name, kind: 'regular' as const, image: c.image, state: 'running', reason: null, ready: true, restarts: 0, containerID: `containerd://${c.id}`, ports: []})),
		} satisfies PodInfo;
		const model = containersModel(pod, undefined, probe.info);
		const [pause, ...rows] = model.rows;
		assert.equal(pause?.image, `sandbox ${record.sandboxId.slice(0, 12)}`);
		assert.equal(pause?.pid, truth.tasks.get(record.sandboxId)?.pid);
		for (const row of rows) assert.equal(row.pid, truth.tasks.get(record.containers.find(c => c.name === row.name)!.id)?.pid);
		assert.equal(model.tone, 'ok', model.fact);
	}
});

test('a sandbox stopped through StopPodSandbox shows as notready, its containers exited', {skip}, async () => {
	const victim = state.pods[0]!;
	const client = await connectCri(CONTAINERD_SOCKET);
	assert.ok(client.ok, client.ok ? '' : client.reason);
	const stopped = await client.value.call('StopPodSandbox', {podSandboxId: victim.sandboxId}, 60_000);
	client.value.close();
	assert.ok(stopped.ok, stopped.ok ? '' : stopped.reason);

	const pod = (await dump()).pods.find(p => p.uid === victim.uid)!;
	assert.equal(pod.sandbox?.id, victim.sandboxId);
	assert.equal(pod.sandbox?.state, 'notready');
	assert.equal(pod.sandbox?.pid, null);
	assert.equal(pod.containers.length, victim.containers.length);
	for (const c of pod.containers) {
		assert.equal(c.state, 'exited', `${c.name}`);
		assert.equal(c.pid, null);
		assert.equal(typeof c.exitCode, 'number');
	}

	// ctr agrees: the sandbox's task is gone or stopped.
	const task = ctrTruth().tasks.get(victim.sandboxId);
	assert.ok(task === undefined || task.status === 'STOPPED', JSON.stringify(task));
});

test('lab down: containerd, its shims and containers, mounts, netns, shim sockets and cgroups all go; the host\'s containerd socket is untouched', {skip}, async () => {
	const netns = state.pods.map(p => p.netnsPath!).filter(Boolean);
	await labDown();
	const procs = readdirSync('/proc').filter(e => /^\d+$/.test(e)).map(pid => {
		try {
			return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		} catch {
			return '';
		}
	});
	assert.deepEqual(procs.filter(cmd => cmd.includes(CONTAINERD_SOCKET) || cmd.includes('/run/k8snet-lab/containerd')), []);
	assert.deepEqual(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(line => line.includes('/run/k8snet-lab')), []);
	for (const path of netns) assert.equal(existsSync(path), false, path);
	for (const pod of state.pods) assert.equal(existsSync(`/run/containerd/s/${shimSocketName(pod.sandboxId)}`), false);
	assert.equal(existsSync(`/sys/fs/cgroup/pids${LAB_CGROUP_PARENT}`), false);
	assert.equal(existsSync('/run/k8snet-lab'), false);
	assert.equal(existsSync('/run/containerd/containerd.sock'), hostSocketBefore);
});
