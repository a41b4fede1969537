// kubectl against the lab API keeps the server honest: discovery, server-side Tables (what
// `get -o wide` prints), chunked lists, watch, and the apiserver's error wording.
import assert from 'node:assert/strict';
import {execFile, spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {setLabApiFaults} from '../../source/lab/api/admin-client.js';
import {needs} from '../support/prerequisites.js';
import {type Fixture, labPod, oddLabState, startFixture, waitFor} from './lab-api-fixture.js';

const run = promisify(execFile);
const skip = needs({tools: ['kubectl', 'openssl']});

describe('lab API with kubectl', {skip}, () => {
	let f: Fixture;
	const state = () => oddLabState({fakeNodes: 3, fakePods: 1200});
	const kubectl = async (...args: string[]) => {
		try {
			const r = await run('kubectl', ['--kubeconfig', f.server.kubeconfigPath, '--cache-dir', join(f.dir, 'kube-cache'), ...args], {maxBuffer: 64 << 20});
			return {code: 0, out: r.stdout, err: r.stderr};
		} catch (error) {
			const e = error as {code: number; stdout: string; stderr: string};
			return {code: e.code, out: e.stdout, err: e.stderr};
		}
	};

	/** A table's rows as column → cell maps (kubectl's columns are space-aligned). */
	const rows = (out: string) => {
		const lines = out.trimEnd().split('\n');
		const header = lines[0]!;
		const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map(m => ({name: m[0], at: m.index}));
		return lines.slice(1).map(l => Object.fromEntries(starts.map((c, i) => [c.name, l.slice(c.at, starts[i + 1]?.at ?? l.length).trim()])));
	};

	before(async () => {
		f = await startFixture(state());
	});
	after(async () => {
		await f?.close();
	});

	test('get pods -A -o wide lists every pod with IP and node', async () => {
		const r = await kubectl('get', 'pods', '-A', '-o', 'wide');
		assert.equal(r.code, 0, r.err);
		const table = rows(r.out);
		assert.equal(table.length, 1208);
		const web = table.find(row => row['NAME'] === 'web-0')!;
		assert.deepEqual({ns: web['NAMESPACE'], ready: web['READY'], status: web['STATUS'], ip: web['IP'], node: web['NODE']}, {ns: 'default', ready: '1/1', status: 'Running', ip: '10.244.0.2', node: 'k8snet-lab'});
		const pending = table.find(row => row['NAME'] === 'pending-0')!;
		assert.equal(pending['STATUS'], 'ContainerCreating');
		assert.equal(pending['IP'], '<none>');
		assert.equal(table.find(row => row['NAME'] === 'badip-0')!['IP'], '10.244.0.999');
		assert.equal(table.find(row => row['NAME'] === 'hostnet-0')!['IP'], '198.51.100.2');
	});

	test('get pods -n, --field-selector, -l', async () => {
		const node = rows((await kubectl('get', 'pods', '-A', '--field-selector', 'spec.nodeName=k8snet-lab')).out);
		assert.equal(node.length, 8);
		const ns = rows((await kubectl('get', 'pods', '-n', 'default', '--field-selector', 'spec.nodeName=k8snet-lab')).out);
		assert.deepEqual(ns.map(row => row['NAME']), ['hostnet-0', 'pending-0', 'web-0', 'web-1']);
		assert.deepEqual(Object.keys(ns[0]!), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
		const labelled = rows((await kubectl('get', 'pods', '-A', '-l', 'app in (db,web),run!=db-1')).out);
		assert.deepEqual(labelled.map(row => row['NAME']), ['web-0', 'web-1', 'db-0']);
	});

	test('get pod NAME -o json is the full object', async () => {
		const r = await kubectl('get', 'pod', 'db-1', '-n', 'lab', '-o', 'json');
		assert.equal(r.code, 0, r.err);
		const pod = JSON.parse(r.out) as {kind: string; metadata: {creationTimestamp: string}; status: {podIP: string; startTime: string; containerStatuses: Array<{containerID: string}>}};
		assert.equal(pod.kind, 'Pod');
		assert.equal(pod.metadata.creationTimestamp, '2026-11-29T10:00:00Z', 'whole seconds, as the apiserver writes them');
		assert.equal(pod.status.startTime, '2026-11-29T10:00:00Z');
		assert.equal(pod.status.podIP, '10.244.0.5');
		assert.match(pod.status.containerStatuses[0]!.containerID, /^docker:\/\//);
		const missing = await kubectl('get', 'pod', 'nope', '-n', 'lab');
		assert.equal(missing.code, 1);
		assert.match(missing.err, /Error from server \(NotFound\): pods "nope" not found/);
	});

	test('get nodes -o wide and namespaces', async () => {
		const nodes = rows((await kubectl('get', 'nodes', '-o', 'wide')).out);
		assert.deepEqual(nodes.map(n => n['NAME']), ['k8snet-lab', 'k8snet-lab-fake-1', 'k8snet-lab-fake-2', 'k8snet-lab-fake-3']);
		assert.equal(nodes[0]!['STATUS'], 'Ready');
		assert.equal(nodes[0]!['INTERNAL-IP'], '198.51.100.2');
		assert.equal(nodes[0]!['CONTAINER-RUNTIME'], 'containerd://1.7.24');
		const ns = rows((await kubectl('get', 'namespaces')).out);
		assert.deepEqual(ns.map(n => `${n['NAME']} ${n['STATUS']}`), ['default Active', 'kube-system Active', 'lab Active']);
		const json = JSON.parse((await kubectl('get', 'pods', '-A', '-o', 'json', '--chunk-size', '100')).out) as {items: unknown[]};
		assert.equal(json.items.length, 1208);
	});

	test('get pods --watch prints a pod added to the state file', async () => {
		const child = spawn('kubectl', ['--kubeconfig', f.server.kubeconfigPath, '--cache-dir', join(f.dir, 'kube-cache'), 'get', 'pods', '-n', 'lab', '--watch', '--output-watch-events', '--field-selector', 'spec.nodeName=k8snet-lab']);
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		try {
			await waitFor('the initial rows', () => out.includes('db-1'), 5000);
			const next = state();
			next.pods.push(labPod('lab', 'watched-0', 50));
			f.writeState(next);
			await waitFor('watched-0', () => /ADDED\s+watched-0\s+1\/1\s+Running/.test(out), 3000);
		} finally {
			child.kill();
			f.writeState(state());
			f.server.reload();
		}
	});

	test('the apiserver error lines for 401, 403 and 500', async () => {
		const bad = join(f.dir, 'bad-kubeconfig');
		writeFileSync(bad, readFileSync(f.server.kubeconfigPath, 'utf8').replace(/token: .*/, 'token: wrong'));
		const unauthorized = await run('kubectl', ['--kubeconfig', bad, '--cache-dir', join(f.dir, 'kube-cache-bad'), 'get', 'pods']).catch((e: {code: number; stderr: string}) => e);
		assert.equal((unauthorized as {code: number}).code, 1);
		assert.match((unauthorized as {stderr: string}).stderr, /You must be logged in to the server/);
		try {
			await setLabApiFaults(f.server.socket, {forbidPods: true});
			const forbidden = await kubectl('get', 'pods', '-n', 'lab');
			assert.equal(forbidden.code, 1);
			assert.match(forbidden.err, /Error from server \(Forbidden\): pods is forbidden: User "k8snet-lab-admin" cannot list resource "pods" in API group "" in the namespace "lab"/);
			await setLabApiFaults(f.server.socket, {error500: true});
			const internal = await kubectl('get', 'nodes', '--request-timeout', '5s');
			assert.equal(internal.code, 1);
			assert.match(internal.err, /InternalError|Internal error/);
			await setLabApiFaults(f.server.socket, {badCert: true});
			const tls = await kubectl('get', 'nodes', '--request-timeout', '5s');
			assert.equal(tls.code, 1);
			assert.match(tls.err, /x509: certificate signed by unknown authority/);
		} finally {
			await setLabApiFaults(f.server.socket, {});
		}

		assert.equal((await kubectl('get', 'nodes')).code, 0);
	});
});
