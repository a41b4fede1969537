// The CRI client's one-line failures: a missing socket, a permission error, a runtime that speaks
// only an older CRI (no such runtime exists here, so a small fake gRPC server plays it), and the
// records read from a fake runtime that answers like containerd 1.6.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync} from 'node:fs';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Duplex} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import type {Result} from '../../source/core/types.js';
import {connectCri} from '../../source/node/runtime/cri-client.js';
import {createLocalShell} from '../../source/node/local-shell.js';
import {createCriStatusCache, criRuntime} from '../../source/node/runtime/cri-runtime.js';
import {needs} from '../support/prerequisites.js';
import {CONTAINERD_VERSION, startFakeCri} from './cri-fake-server.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const oneLine = (text: string) => assert.doesNotMatch(text, /\n/);

test('a missing socket: one line naming it', async () => {
	const r = await connectCri('/run/k8snet-test-none/containerd.sock');
	assert.equal(r.ok, false);
	assert.ok(!r.ok);
	assert.equal(r.reason, 'no CRI socket at /run/k8snet-test-none/containerd.sock');
	assert.match(r.hint, /--cri-socket/);
});

test('a socket file nobody listens on: one line saying it is stale', async () => {
	const fake = await startFakeCri({Version: () => CONTAINERD_VERSION}, {dir: mkdtempSync(join(tmpdir(), 'k8snet-cri-stale-'))});
	await fake.stop();
	// grpc-js leaves the socket file behind on shutdown, as a crashed runtime does.
	const r = await connectCri(fake.socket);
	rmSync(join(fake.socket, '..'), {recursive: true, force: true});
	assert.ok(!r.ok);
	assert.match(r.reason, /stale socket|no CRI socket/);
	oneLine(r.reason);
});

test('a runtime that reports an older CRI API in Version: one line, no further calls', async () => {
	const fake = await startFakeCri({
		Version: () => ({version: '0.1.0', runtimeName: 'containerd', runtimeVersion: '1.5.9', runtimeApiVersion: 'v1alpha2'}),
		ListPodSandbox: () => ({items: []}),
	});
	try {
		const r = await connectCri(fake.socket);
		assert.ok(!r.ok);
		assert.equal(r.reason, `${fake.socket} speaks an older CRI than v1 (containerd 1.5.9 reports CRI v1alpha2)`);
		assert.match(r.hint, /containerd 1\.6/);
		assert.deepEqual(fake.calls, ['Version']);
	} finally {
		await fake.stop();
	}
});

test('a runtime that serves only runtime.v1alpha2: UNIMPLEMENTED becomes the same one line', async () => {
	const fake = await startFakeCri({Version: () => CONTAINERD_VERSION}, {service: 'runtime.v1alpha2.RuntimeService'});
	try {
		const r = await connectCri(fake.socket);
		assert.ok(!r.ok);
		assert.equal(r.reason, `${fake.socket} speaks an older CRI than v1 (runtime.v1.RuntimeService/Version is not implemented there)`);
		const outcome = await criRuntime(createLocalShell(), {socket: fake.socket});
		assert.deepEqual(outcome, {status: 'failed', reason: r.reason, processes: 0});
	} finally {
		await fake.stop();
	}
});

/** connectCri run as user nobody: root may open any socket, so only another user sees EACCES. */
function connectAsNobody(socket: string): {ok: boolean; reason?: string} {
	const script = `import {connectCri} from './source/node/runtime/cri-client.ts'; const r = await connectCri(process.argv[1]); console.log(JSON.stringify(r)); process.exit(0);`;
	const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, socket], {cwd: REPO, uid: 65534, gid: 65534, encoding: 'utf8', timeout: 30_000, env: {...process.env, HOME: '/tmp'}});
	assert.equal(run.status, 0, run.stderr);
	return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {ok: boolean; reason?: string};
}

test('permission denied, on the socket and on the folder above it: one line each', {skip: needs({root: true})}, async () => {
	const fake = await startFakeCri({Version: () => CONTAINERD_VERSION});
	const dir = join(fake.socket, '..');
	try {
		chmodSync(dir, 0o755);
		chmodSync(fake.socket, 0o600);
		const onSocket = connectAsNobody(fake.socket);
		assert.equal(onSocket.ok, false);
		assert.equal(onSocket.reason, `permission denied on ${fake.socket}`);
		chmodSync(dir, 0o700);
		const onFolder = connectAsNobody(fake.socket);
		assert.equal(onFolder.reason, `permission denied on ${fake.socket}`);
		// And as root, the same socket answers: it was the permission, nothing else.
		const asRoot = await connectCri(fake.socket);
		assert.ok(asRoot.ok);
		asRoot.value.close();
	} finally {
		await fake.stop();
	}
});

/** What a remote shell's openUnixSocket gives: a stream to the node's socket, once it is connected. */
function openerOverNet(path: string): Promise<Result<Duplex>> {
	return new Promise(resolve => {
		const socket = connect(path);
		socket.once('connect', () => resolve({ok: true, value: socket}));
		socket.once('error', error => resolve({ok: false, reason: `no CRI socket at ${path} on the node (${(error as NodeJS.ErrnoException).code})`, hint: 'is the runtime running there?'}));
	});
}

test('a remote node without crictl: its CRI socket forwarded through the shell\'s stream answers the same', async () => {
	const fake = await startFakeCri({
		Version: () => CONTAINERD_VERSION,
		ListPodSandbox: () => ({items: [{id: 'a'.repeat(64), metadata: {name: 'web-1', namespace: 'default', uid: 'uid-1'}, state: 'SANDBOX_NOTREADY', createdAt: '1764633600000000000'}]}),
		ListContainers: () => ({containers: []}),
	});
	try {
		const ran: string[][] = [];
		const remote = {
			...createLocalShell(),
			access: {kind: 'ssh' as const, target: 'root@node'},
			sharesProcfs: false,
			run: async (argv: readonly string[]) => (ran.push([...argv]), {exitCode: 127, stdout: '', stderr: 'not found', failure: null}),
			openUnixSocket: openerOverNet,
		};
		const outcome = await criRuntime(remote, {socket: fake.socket});
		assert.equal(outcome.status, 'found');
		assert.ok(outcome.status === 'found');
		assert.equal(outcome.runtime, 'containerd');
		assert.deepEqual(outcome.records.map(r => [r.sandboxId, r.name, r.state, r.pid, r.createdAt]), [['a'.repeat(64), 'web-1', 'notready', null, 1764633600000]]);
		assert.deepEqual(ran, [], 'nothing ran on the node');
		const missing = await criRuntime(remote, {socket: '/run/nothing/here.sock'});
		assert.deepEqual(missing, {status: 'failed', reason: 'no CRI socket at /run/nothing/here.sock on the node (ENOENT)', processes: 0});
	} finally {
		await fake.stop();
	}
});

test('a poll loop asks the costly verbose statuses only for what is new or changed state', async () => {
	const sandbox = {id: 'b'.repeat(64), metadata: {name: 'web-1', namespace: 'default', uid: 'uid-1'}, state: 'SANDBOX_READY', createdAt: '1'};
	const container = {id: 'c'.repeat(64), podSandboxId: sandbox.id, metadata: {name: 'app'}, state: 'CONTAINER_RUNNING'};
	const info = (pid: number) => ({info: JSON.stringify({pid})});
	const fake = await startFakeCri({
		Version: () => CONTAINERD_VERSION,
		ListPodSandbox: () => ({items: [sandbox]}),
		ListContainers: () => ({containers: [container]}),
		PodSandboxStatus: () => ({status: {id: sandbox.id, state: sandbox.state}, info: info(100)}),
		ContainerStatus: () => ({status: {id: container.id, state: container.state, exitCode: 3}, info: info(101)}),
	});
	try {
		const cache = createCriStatusCache();
		const read = () => criRuntime(createLocalShell(), {socket: fake.socket, cache});
		const statusCalls = () => fake.calls.filter(call => call.endsWith('Status')).length;
		const first = await read();
		assert.equal(statusCalls(), 2);
		const second = await read();
		assert.equal(statusCalls(), 2, 'nothing changed: no status call');
		assert.deepEqual(second, first);
		container.state = 'CONTAINER_EXITED';
		const third = await read();
		assert.deepEqual(fake.calls.filter(call => call.endsWith('Status')), ['PodSandboxStatus', 'ContainerStatus', 'ContainerStatus']);
		assert.ok(third.status === 'found');
		assert.deepEqual(third.records[0]?.containers.map(c => [c.state, c.pid, c.exitCode]), [['exited', null, 3]]);
	} finally {
		await fake.stop();
	}
});
