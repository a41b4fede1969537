// pods/exec over the websocket protocol, with the real clients: kubectl 1.32 (v5.channel.k8s.io,
// also -it in a real pty, with resize), client-node's Exec, and a bare v4.channel.k8s.io client.
// The command runs in the pod's node netns (a netns of this test's own). Run under the machine lock.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {after, before, describe, test} from 'node:test';
import {spawn as spawnPty} from '@lydell/node-pty';
import {Exec, KubeConfig, type V1Status} from '@kubernetes/client-node';
import WebSocket from 'ws';
import {setLabApiFaults} from '../../source/lab/api/admin-client.js';
import {chooseProtocol, exitStatus, parseExecQuery} from '../../source/lab/api/exec-protocol.js';
import {needs} from '../support/prerequisites.js';
import {type Fixture, plainLabState, startFixture, waitFor} from './lab-api-fixture.js';
import {agentLikePod} from '../agent/agent-like-pod.js';
import {kubectlFor} from '../agent/kubectl.js';

const skip = needs({root: true, tools: ['kubectl', 'openssl', 'ip', 'nsenter', 'setpriv', 'script', 'stty']});
const NETNS = `k8snet-exec-${process.pid}`;

test('exec protocol: v5 is preferred, v4 accepted, nothing older; a tty merges stderr', () => {
	assert.equal(chooseProtocol('v4.channel.k8s.io, v5.channel.k8s.io'), 'v5.channel.k8s.io');
	assert.equal(chooseProtocol('v4.channel.k8s.io,channel.k8s.io'), 'v4.channel.k8s.io');
	assert.equal(chooseProtocol('v3.channel.k8s.io'), null);
	assert.deepEqual(parseExecQuery(new URLSearchParams('command=sh&command=-c&command=x&stdout=true&stderr=true&tty=true')), {command: ['sh', '-c', 'x'], container: null, stdin: false, stdout: true, stderr: false, tty: true});
	assert.equal(parseExecQuery(new URLSearchParams('stdout=true')), 'you must specify at least 1 command');
	assert.deepEqual(JSON.parse(exitStatus(['false'], 1, null)).details, {causes: [{reason: 'ExitCode', message: '1'}]});
});

describe('lab API exec', {skip}, () => {
	let f: Fixture;
	const base = () => ['--kubeconfig', f.server.kubeconfigPath, '--cache-dir', join(f.dir, 'kube-cache')];
	const kubectl = kubectlFor(() => f.server.kubeconfigPath, () => join(f.dir, 'kube-cache'));

	before(async () => {
		execFileSync('ip', ['netns', 'add', NETNS]);
		execFileSync('ip', ['-n', NETNS, 'link', 'add', 'xa', 'type', 'veth', 'peer', 'name', 'xb']);
		const state = plainLabState(1);
		state.nodeNetns = NETNS;
		f = await startFixture(state);
		assert.equal((await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(agentLikePod('agent', ['sleep', '600'])))).code, 0);
		await waitFor('Running', () => f.server.resourceVersion() > 0 && execFileSync('ip', ['netns', 'pids', NETNS], {encoding: 'utf8'}).trim() !== '', 10_000);
	});
	after(async () => {
		await f?.close();
		execFileSync('ip', ['netns', 'del', NETNS]);
	});

	test('kubectl exec POD -- cat /proc/net/dev reads the node netns', async () => {
		const r = await kubectl(['exec', 'agent', '--', 'cat', '/proc/net/dev']);
		assert.equal(r.code, 0, r.err);
		const names = r.out.split('\n').slice(2).map(l => l.split(':')[0]!.trim()).filter(Boolean).sort();
		assert.deepEqual(names, ['lo', 'xa', 'xb']);
	});

	test('kubectl exec: exit code, stderr, stdin, and a pod that is not there', async () => {
		const failed = await kubectl(['exec', 'agent', '--', 'sh', '-c', 'echo oops >&2; exit 7']);
		assert.equal(failed.code, 7);
		assert.match(failed.err, /oops/);
		const piped = await kubectl(['exec', '-i', 'agent', '--', 'sh', '-c', 'tr a-z A-Z; echo done'], 'hello\n');
		assert.deepEqual([piped.code, piped.out], [0, 'HELLO\ndone\n']);
		const missing = await kubectl(['exec', 'nope', '--', 'true']);
		assert.equal(missing.code, 1);
		assert.match(missing.err, /pods "nope" not found/);
	});

	test('kubectl exec -it: a shell in a pty, resized with the terminal; hostile args stay one argument each', async () => {
		const marker = join(f.dir, 'pwned');
		const hostile = `x'; touch ${marker}; echo '$(touch ${marker})`;
		const pty = spawnPty('kubectl', [...base(), 'exec', '-it', 'agent', '--', 'sh', '-c', 'printf "<%s>\\n" "$1"; stty size; exec sh', 'sh', hostile], {cols: 91, rows: 33, env: process.env as Record<string, string>});
		let out = '';
		pty.onData(d => (out += d));
		const exited = new Promise<number>(r => pty.onExit(e => r(e.exitCode)));
		try {
			await waitFor('the first output', () => out.includes('33 91'), 15_000).catch((error: unknown) => {
				throw new Error(`${String(error)}: ${JSON.stringify(out)}`);
			});
			assert.ok(out.includes(`<${hostile}>`), out);
			assert.equal(existsSync(marker), false, 'nothing ran but the one command');
			pty.resize(120, 40);
			await new Promise(r => setTimeout(r, 300));
			pty.write('stty size; echo $((6*7)); exit 5\r');
			assert.equal(await exited, 5);
			assert.match(out, /40 120/);
			assert.match(out, /42/);
		} finally {
			pty.kill();
		}
	});

	test("client-node's Exec: stdout, stderr and the status", async () => {
		const kc = new KubeConfig();
		kc.loadFromFile(f.server.kubeconfigPath);
		const stdout = new PassThrough();
		const stderr = new PassThrough();
		let out = '';
		let err = '';
		stdout.on('data', (d: Buffer) => (out += d.toString()));
		stderr.on('data', (d: Buffer) => (err += d.toString()));
		const status = await new Promise<V1Status>((resolve, reject) => {
			new Exec(kc).exec('default', 'agent', 'agent', ['sh', '-c', 'echo out; echo err >&2; exit 2'], stdout, stderr, null, false, resolve).catch(reject);
		});
		assert.deepEqual([out, err, status.status, status.reason], ['out\n', 'err\n', 'Failure', 'NonZeroExitCode']);
	});

	test('a v4.channel.k8s.io client: stdin ends when the socket closes', async () => {
		const url = `${f.server.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/agent/exec?command=cat&stdin=true&stdout=true`;
		const ws = new WebSocket(url, ['v4.channel.k8s.io'], {ca: f.server.caCertPem, headers: {authorization: `Bearer ${f.server.token}`}});
		const frames: Buffer[] = [];
		ws.on('message', (d: Buffer) => frames.push(d));
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		assert.equal(ws.protocol, 'v4.channel.k8s.io');
		ws.send(Buffer.from('\x00ping\n', 'latin1'));
		await waitFor('the echo', () => frames.some(fr => fr[0] === 1 && fr.subarray(1).toString() === 'ping\n'), 5000);
		ws.close();
		await waitFor('cat to end', () => execFileSync('ip', ['netns', 'pids', NETNS], {encoding: 'utf8'}).trim().split('\n').length === 1, 5000);
	});

	test('execForbidden fault: the RBAC 403 for pods/exec', async () => {
		await setLabApiFaults(f.server.socket, {execForbidden: true});
		try {
			const r = await kubectl(['exec', 'agent', '--', 'true']);
			assert.equal(r.code, 1);
			assert.match(r.err, /pods "agent" is forbidden: User "k8snet-lab-admin" cannot create resource "pods\/exec" in API group "" in the namespace "default"/);
		} finally {
			await setLabApiFaults(f.server.socket, {});
		}
	});
});
