import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {isThisHost, resolveTarget} from '../../source/app/target.js';
import type {TargetOptions} from '../../source/app/options.js';

const node = (name: string, internalIPs: string[], hostname: string | null = null) => ({name, internalIPs, hostname, ready: true, podCIDRs: []});

test('this host is the node with our name (short or FQDN), our hostname label, or one of our addresses', () => {
	const local = new Set(['198.51.100.2', 'fd00::2']);
	assert.ok(isThisHost(node('minikube', []), 'minikube', local));
	assert.ok(isThisHost(node('worker-1.example.internal', []), 'worker-1', local));
	assert.ok(isThisHost(node('ip-10-0-0-1', [], 'vm'), 'vm', local));
	assert.ok(isThisHost(node('k8snet-lab', ['198.51.100.2']), 'vm', local));
	assert.ok(!isThisHost(node('k8snet-lab', ['198.51.100.2']), 'vm', new Set(['192.0.2.2'])));
	assert.ok(!isThisHost(node('worker-10', ['10.0.0.10']), 'worker-1', local), 'a name prefix is not a match');
});

// An API server that refuses the node list (as RBAC often does for namespaced users) and, in
// `getAllowed` mode, answers a get of one node: this host's own node, or 404.
let server: Server;
let dir: string;
let getAllowed = false;
const forbidden = (verb: string) => JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `nodes is forbidden: User "jane" cannot ${verb} resource "nodes" in API group "" at the cluster scope`});

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'k8snet-target-'));
	server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const one = /^\/api\/v1\/nodes\/([^/]+)$/.exec(url.pathname);
		res.setHeader('Content-Type', 'application/json');
		if (one && getAllowed) {
			const name = decodeURIComponent(one[1]!);
			if (name === hostname()) {
				res.end(JSON.stringify({kind: 'Node', apiVersion: 'v1', metadata: {name}, status: {addresses: [{type: 'Hostname', address: name}], conditions: [{type: 'Ready', status: 'True'}]}}));
			} else {
				res.writeHead(404).end(JSON.stringify({kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: `nodes "${name}" not found`}));
			}

			return;
		}

		res.writeHead(403).end(forbidden(one ? 'get' : 'list'));
	});
	await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
	const address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	writeFileSync(
		join(dir, 'kubeconfig'),
		JSON.stringify({
			'current-context': 'jane',
			clusters: [{name: 'c', cluster: {server: address, 'insecure-skip-tls-verify': true}}],
			users: [{name: 'jane', user: {token: 't'}}],
			contexts: [{name: 'jane', context: {cluster: 'c', user: 'jane'}}],
		}),
	);
});

after(async () => {
	await new Promise<void>(r => server.close(() => r()));
	rmSync(dir, {recursive: true, force: true});
});

const options = (nodeName: string): TargetOptions => ({
	kubeconfig: join(dir, 'kubeconfig'),
	context: undefined,
	namespace: undefined,
	allNamespaces: false,
	selector: undefined,
	node: nodeName,
	allNodes: false,
	nodeSsh: undefined,
	nodeExec: undefined,
	debug: false,
});

test('--node X with the node list and the node itself forbidden: one clear line, never this host under the name X', async () => {
	getAllowed = false;
	const target = await resolveTarget(options('k8snet-worker-9'));
	assert.ok(!target.ok, `resolved to ${JSON.stringify(target.ok && target.value.access)}`);
	assert.equal(target.reason, '--node k8snet-worker-9: forbidden: User "jane" cannot get nodes at the cluster scope');
	assert.match(target.hint, /kubectl auth can-i get nodes .*--node-ssh 'root@ADDRESS' or --node-exec 'PREFIX'$/);
});

test('--node X with only the list forbidden: the node is asked for by name, and this host is used only when it is X', async () => {
	getAllowed = true;
	const unknown = await resolveTarget(options('k8snet-worker-9'));
	assert.ok(!unknown.ok);
	assert.match(unknown.reason, /^--node k8snet-worker-9: node "k8snet-worker-9" not found on http:\/\/127\.0\.0\.1:\d+$/);
	const self = await resolveTarget(options(hostname()));
	assert.ok(self.ok, JSON.stringify(self));
	assert.equal(self.value.node, hostname());
	assert.equal(self.value.access.kind, 'local');
});
