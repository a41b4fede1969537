// The daemons as the lab runs them: separate processes, api.json written when ready, the state
// file reloaded, the forwarder passing TLS through to the socket, a clean exit on SIGTERM.
import assert from 'node:assert/strict';
import {type ChildProcess, spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {CoreV1Api, KubeConfig} from '@kubernetes/client-node';
import {getLabApiFaults} from '../../source/lab/api/admin-client.js';
import type {ApiDaemonInfo} from '../../source/lab/api/daemon.js';
import {needs} from '../support/prerequisites.js';
import {labPod, oddLabState, waitFor} from './lab-api-fixture.js';

const skip = needs({tools: ['openssl']});
const daemonModule = resolve('source/lab/api/daemon.ts');

function startDaemon(call: string): ChildProcess {
	const code = `import * as d from ${JSON.stringify(daemonModule)}; process.exitCode = await d.${call};`;
	return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {stdio: ['ignore', 'pipe', 'pipe']});
}

function exited(child: ChildProcess): Promise<number | null> {
	return new Promise(r => {
		if (child.exitCode !== null) r(child.exitCode);
		else child.once('exit', code => r(code));
	});
}

/** The status of GET /lab/faults over HTTPS to 127.0.0.1:port, with the API's own token. */
function adminOverTls(port: number, ca: string, token: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = httpsRequest({host: '127.0.0.1', port, path: '/lab/faults', ca, headers: {authorization: `Bearer ${token}`}}, res => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', reject);
		req.end();
	});
}

/** The status of GET /lab/faults in plain HTTP to 127.0.0.1:port, or 0 when the server hangs up. */
function adminOverPlainTcp(port: number, token: string): Promise<number> {
	return new Promise(resolve => {
		const req = httpRequest({host: '127.0.0.1', port, path: '/lab/faults', headers: {authorization: `Bearer ${token}`}}, res => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', () => resolve(0));
		req.end();
	});
}

async function freePort(): Promise<number> {
	const s = createServer();
	await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
	const {port} = s.address() as {port: number};
	await new Promise(r => s.close(r));
	return port;
}

describe('lab API daemons', {skip}, () => {
	let dir: string;
	let server: ChildProcess | null = null;
	let forwarder: ChildProcess | null = null;
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'k8snet-labapi-daemon-'));
		writeFileSync(join(dir, 'state.json'), JSON.stringify(oddLabState()));
	});
	after(() => {
		server?.kill('SIGKILL');
		forwarder?.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	});

	test('runApiServerDaemon and runApiForwarder', async () => {
		const stateFile = join(dir, 'state.json');
		server = startDaemon(`runApiServerDaemon(${JSON.stringify(stateFile)})`);
		let serverErr = '';
		server.stderr!.on('data', (d: Buffer) => (serverErr += d.toString()));
		await waitFor('api.json', () => existsSync(join(dir, 'api.json')), 10_000);
		const info = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')) as ApiDaemonInfo;
		assert.equal(info.pid, server.pid);
		assert.equal(info.apiServer, `https://127.0.0.1:${info.port}`);
		assert.equal(info.socket, join(dir, 'api.sock'));
		assert.equal(info.tlsSocket, join(dir, 'api-tls.sock'));
		assert.equal(info.kubeconfig, join(dir, 'kubeconfig'));
		assert.equal(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0')[0], 'k8snet-lab-api');
		// The kubeconfig and the token file hold the bearer token, the key is the server's: owner only.
		for (const f of [info.kubeconfig, join(dir, 'api-token'), join(dir, 'api-server.key'), info.socket, info.tlsSocket]) {
			assert.equal(statSync(f).mode & 0o077, 0, `${f} is for its owner only`);
		}

		const kc = new KubeConfig();
		kc.loadFromFile(info.kubeconfig);
		const api = kc.makeApiClient(CoreV1Api);
		assert.equal((await api.listPodForAllNamespaces()).items.length, 8);

		// The state file changes; the daemon picks it up.
		const next = oddLabState();
		next.pods.push(labPod('lab', 'added-0', 60));
		writeFileSync(stateFile, JSON.stringify(next));
		const t0 = performance.now();
		let names: string[] = [];
		while (!names.includes('added-0') && performance.now() - t0 < 2000) {
			names = (await api.listNamespacedPod({namespace: 'lab'})).items.map(p => p.metadata!.name!);
		}

		assert.ok(names.includes('added-0'), `added-0 missing from ${names.join(' ')}`);
		assert.ok(performance.now() - t0 < 1000);

		// The forwarder: the same kubeconfig, another port, bytes piped to the socket (TLS end to end).
		const port = await freePort();
		forwarder = startDaemon(`runApiForwarder({port: ${port}, socket: ${JSON.stringify(info.tlsSocket)}})`);
		let fwdOut = '';
		forwarder.stdout!.on('data', (d: Buffer) => (fwdOut += d.toString()));
		await waitFor('the forwarder', () => fwdOut.includes('"listen"'), 10_000);
		const kc2 = new KubeConfig();
		kc2.loadFromString(readFileSync(info.kubeconfig, 'utf8').replace(`127.0.0.1:${info.port}`, `127.0.0.1:${port}`));
		const viaForwarder = await kc2.makeApiClient(CoreV1Api).listNode();
		assert.equal(viaForwarder.items[0]?.metadata?.name, 'k8snet-lab');

		// The admin routes: over TCP (the HTTPS port, or the forwarder in plain HTTP or in TLS) never,
		// even with the right token; over the unix socket, yes.
		const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
		for (const p of [info.port, port]) {
			assert.equal(await adminOverTls(p, readFileSync(join(dir, 'api-ca.crt'), 'utf8'), token), 404, `HTTPS 127.0.0.1:${p}/lab/faults`);
			assert.notEqual(await adminOverPlainTcp(p, token), 200, `plain HTTP 127.0.0.1:${p}/lab/faults`);
		}

		assert.deepEqual(await getLabApiFaults(info.socket), {});

		forwarder.kill('SIGTERM');
		assert.equal(await exited(forwarder), 0);
		forwarder = null;
		server.kill('SIGTERM');
		assert.equal(await exited(server), 0, serverErr);
		server = null;
		assert.equal(existsSync(info.socket), false, 'socket removed');
		assert.equal(existsSync(info.tlsSocket), false, 'TLS socket removed');
		assert.equal(existsSync(join(dir, 'api.json')), false, 'api.json removed');
	});
});
