// Requests to one API target share one kept-alive agent: N requests in a row are one TCP connection
// and one TLS handshake, counted where the lab API fixture accepts them (a counting TCP relay in
// front of it). Another target gets an agent of its own.
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import {createConnection, createServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {getJson} from '../../source/cluster/api-request.js';
import {loadKubeTarget, type KubeTarget} from '../../source/cluster/kube-target.js';
import {listNodes} from '../../source/cluster/nodes.js';
import {listPods} from '../../source/cluster/pods.js';
import {type Fixture, plainLabState, startFixture} from '../lab-api/lab-api-fixture.js';

let lab: Fixture;
let relay: Server;
let connections = 0;
const open = new Set<Socket>();
let kubeconfig = '';

before(async () => {
	lab = await startFixture(plainLabState(4));
	relay = createServer(client => {
		connections++;
		const upstream = createConnection({host: '127.0.0.1', port: lab.server.port});
		for (const s of [client, upstream]) {
			open.add(s);
			s.on('close', () => open.delete(s));
			s.on('error', () => undefined);
		}

		client.pipe(upstream).pipe(client);
	});
	await new Promise<void>(r => relay.listen(0, '127.0.0.1', r));
	kubeconfig = join(lab.dir, 'relay.kubeconfig');
	const port = (relay.address() as AddressInfo).port;
	// The lab's certificate is for 127.0.0.1, so only the port changes.
	writeFileSync(kubeconfig, readFileSync(lab.server.kubeconfigPath, 'utf8').replace(lab.server.url, `https://127.0.0.1:${port}`));
});

after(async () => {
	for (const s of open) s.destroy();
	await new Promise<void>(r => relay.close(() => r()));
	await lab.close();
});

function target(): KubeTarget {
	const t = loadKubeTarget({kubeconfig});
	assert.ok(t.ok, JSON.stringify(t));
	assert.notEqual(t.value.server, lab.server.url, 'requests go through the relay');
	return t.value;
}

test('ten requests in a row to one target make one connection (one TLS handshake)', async () => {
	const t = target();
	connections = 0;
	for (let i = 0; i < 4; i++) {
		const pods = await listPods(t, {});
		assert.ok(pods.ok, JSON.stringify(pods));
		assert.equal(pods.value.length, 4);
		const nodes = await listNodes(t);
		assert.ok(nodes.ok, JSON.stringify(nodes));
	}

	for (let i = 0; i < 2; i++) assert.ok((await getJson(t, '/api/v1/namespaces', {verb: 'list', resource: 'namespaces'})).ok);
	assert.equal(connections, 1);
});

test('another target has an agent of its own', async () => {
	const first = target();
	const second = target();
	connections = 0;
	assert.ok((await listNodes(first)).ok);
	assert.ok((await listNodes(second)).ok);
	assert.ok((await listNodes(first)).ok);
	assert.equal(connections, 2);
});
