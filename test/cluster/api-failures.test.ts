// Each way the API can fail, tried for real (a closed port, certificates made with openssl, the
// lab API's fault modes), must come back as the one line a user can act on.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {promisify} from 'node:util';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer as createHttpsServer, type Server} from 'node:https';
import {createServer as createNetServer, type AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {needs} from '../support/prerequisites.js';
import {loadKubeTarget, type KubeTarget} from '../../source/cluster/kube-target.js';
import {listPods} from '../../source/cluster/pods.js';
import {getNode, listNodes} from '../../source/cluster/nodes.js';
import {listNamespaces} from '../../source/cluster/namespaces.js';
import {getJson} from '../../source/cluster/api-request.js';
import type {LabApiFaults} from '../../source/lab/api/lab-faults.js';
import {type Fixture, plainLabState, startFixture} from '../lab-api/lab-api-fixture.js';

let dir: string;
let lab: Fixture;
const servers: Server[] = [];

function openssl(args: string[]): void {
	execFileSync('openssl', args, {stdio: 'ignore'});
}

function kubeconfig(name: string, server: string, o: {caFile?: string; token?: string; tlsServerName?: string; insecure?: boolean} = {}): KubeTarget {
	const file = join(dir, `${name}.kubeconfig`);
	writeFileSync(
		file,
		JSON.stringify({
			'current-context': name,
			clusters: [{name, cluster: {server, ...(o.caFile ? {'certificate-authority': o.caFile} : {}), ...(o.tlsServerName ? {'tls-server-name': o.tlsServerName} : {}), ...(o.insecure ? {'insecure-skip-tls-verify': true} : {})}}],
			users: [{name: 'tester', user: {token: o.token ?? 'x'}}],
			contexts: [{name, context: {cluster: name, user: 'tester'}}],
		}),
	);
	const t = loadKubeTarget({kubeconfig: file});
	assert.ok(t.ok, JSON.stringify(t));
	return t.value;
}

async function serveTls(cert: string, key: string): Promise<string> {
	const s = createHttpsServer({cert: readFileSync(cert), key: readFileSync(key)}, (_req, res) => {
		res.writeHead(200, {'Content-Type': 'application/json'});
		res.end('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[]}');
	});
	servers.push(s);
	await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
	return `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function closedPort(): Promise<number> {
	const s = createNetServer();
	await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
	const port = (s.address() as AddressInfo).port;
	await new Promise<void>(r => s.close(() => r()));
	return port;
}

function oneLine(r: {ok: boolean}): {reason: string; hint: string} {
	assert.equal(r.ok, false, 'expected a failure');
	const f = r as unknown as {reason: string; hint: string};
	assert.ok(!f.reason.includes('\n') && !f.hint.includes('\n'), 'reason and hint are one line each');
	assert.ok(!/\n\s+at /.test(f.reason) && f.hint.length > 0);
	return f;
}

/** Runs `check` with the lab API's `faults` in force (awaited: they apply asynchronously), then always turns them off. */
async function withFaults(faults: LabApiFaults, check: (t: KubeTarget) => Promise<void>): Promise<void> {
	const t = loadKubeTarget({kubeconfig: lab.server.kubeconfigPath});
	assert.ok(t.ok);
	await lab.server.setFaults(faults);
	try {
		await check(t.value);
	} finally {
		await lab.server.setFaults({});
	}
}

const tools = needs({tools: ['openssl']});

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'k8snet-cluster-fail-'));
	lab = await startFixture(plainLabState(3));
	if (tools) return;
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	// A CA of our own, unrelated to the lab's, and a server cert it signs for another host name.
	openssl(['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '2', '-subj', '/CN=k8snet-test-ca']);
	openssl(['req', ...ec, '-keyout', join(dir, 'other.key'), '-out', join(dir, 'other.csr'), '-subj', '/CN=other.example']);
	writeFileSync(join(dir, 'other.ext'), 'subjectAltName=DNS:other.example\n');
	openssl(['x509', '-req', '-in', join(dir, 'other.csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-out', join(dir, 'other.crt'), '-days', '2', '-extfile', join(dir, 'other.ext')]);
	// A self-signed server certificate, valid for 127.0.0.1.
	openssl(['req', '-x509', ...ec, '-keyout', join(dir, 'self.key'), '-out', join(dir, 'self.crt'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
});

after(async () => {
	for (const s of servers) s.close();
	await lab?.close();
	rmSync(dir, {recursive: true, force: true});
});

test('unreachable: a closed port names the server', async () => {
	const port = await closedPort();
	const t = kubeconfig('closed', `https://127.0.0.1:${port}`);
	const f = oneLine(await listPods(t, {}));
	assert.equal(f.reason, `cannot reach the API server https://127.0.0.1:${port}: connection refused`);
	assert.match(f.hint, /context "closed"/);
});

test('TLS: the lab server checked against a CA that did not sign it', {skip: tools}, async () => {
	const t = kubeconfig('wrong-ca', lab.server.url, {caFile: join(dir, 'ca.crt')});
	const f = oneLine(await listPods(t, {}));
	assert.match(f.reason, /^TLS: the server's certificate (is signed by an unknown CA|cannot be verified \(unknown CA\)|chain ends in a CA we do not trust) \(https:\/\/127\.0\.0\.1:\d+\)$/);
	assert.match(f.hint, /certificate-authority/);
	assert.match(f.hint, /insecure-skip-tls-verify/);
});

test('TLS: a self-signed server certificate', {skip: tools}, async () => {
	const url = await serveTls(join(dir, 'self.crt'), join(dir, 'self.key'));
	const f = oneLine(await listPods(kubeconfig('self-signed', url), {}));
	assert.equal(f.reason, `TLS: the server's certificate is self-signed and not trusted (${url})`);
	assert.match(f.hint, /certificate-authority/);
});

test('TLS: a certificate for another host name', {skip: tools}, async () => {
	const url = await serveTls(join(dir, 'other.crt'), join(dir, 'other.key'));
	const f = oneLine(await listPods(kubeconfig('mismatch', url, {caFile: join(dir, 'ca.crt')}), {}));
	assert.match(f.reason, /^TLS: the server's certificate is not valid for 127\.0\.0\.1:\d+ \(it is for DNS:other\.example\)$/);
	assert.match(f.hint, /tls-server-name/);
	// With tls-server-name set to the name in the certificate, the same server is accepted.
	const fixed = await listPods(kubeconfig('mismatch-fixed', url, {caFile: join(dir, 'ca.crt'), tlsServerName: 'other.example'}), {});
	assert.ok(fixed.ok, JSON.stringify(fixed));
});

test('401: a wrong token, and the lab\'s unauthorized fault', async () => {
	const t = kubeconfig('bad-token', lab.server.url, {caFile: join(lab.dir, 'api-ca.crt'), token: 'wrong'});
	const f = oneLine(await listPods(t, {}));
	assert.equal(f.reason, `unauthorized: ${lab.server.url} rejected the credentials of user "tester" (context "bad-token")`);
	assert.match(f.hint, /expired/);
	assert.match(f.hint, /log in again/);
	await withFaults({unauthorized: true}, async good => {
		const g = oneLine(await listNodes(good));
		assert.match(g.reason, /^unauthorized: /);
	});
});

test('403: the verb, resource, namespace and identity from the Status message', () =>
	withFaults({forbidPods: true}, async t => {
		const ns = oneLine(await listPods(t, {namespace: 'web'}));
		assert.equal(ns.reason, 'forbidden: User "k8snet-lab-admin" cannot list pods in namespace "web"');
		assert.equal(ns.hint, 'ask for RBAC that allows it; check with: kubectl auth can-i list pods -n web --as k8snet-lab-admin');
		const all = oneLine(await listPods(t, {nodeName: 'k8snet-lab'}));
		assert.equal(all.reason, 'forbidden: User "k8snet-lab-admin" cannot list pods at the cluster scope');
		// Nodes are not pods: still allowed.
		assert.ok((await listNodes(t)).ok);
	}));

test('node not found: named, with how to see the nodes', async () => {
	const t = loadKubeTarget({kubeconfig: lab.server.kubeconfigPath});
	assert.ok(t.ok);
	const f = oneLine(await getNode(t.value, 'no-such-node'));
	assert.equal(f.reason, `node "no-such-node" not found on ${lab.server.url}`);
	assert.match(f.hint, /kubectl get nodes/);
	const found = await getNode(t.value, 'k8snet-lab');
	assert.ok(found.ok && found.value.internalIPs[0] === '198.51.100.2' && found.value.ready);
});

test('500: the server\'s message, and that it is on the server side', () =>
	withFaults({error500: true}, async t => {
		const f = oneLine(await listPods(t, {namespace: 'default'}));
		assert.equal(f.reason, 'the API server failed to list pods in namespace "default" (500): Internal error occurred: the lab API is in fault mode error500');
		assert.match(f.hint, /server-side/);
		assert.ok(!(await listNamespaces(t)).ok);
	}));

test('slow server: a request that outlives its deadline says so', () =>
	withFaults({slowMs: 600}, async t => {
		const f = oneLine(await getJson(t, '/api/v1/pods', {verb: 'list', resource: 'pods'}, {timeoutMs: 200}));
		assert.equal(f.reason, `the API server ${lab.server.url} did not answer in time`);
		// Within the default deadline the same slow server is fine.
		assert.ok((await listPods(t, {})).ok);
	}));

test('a dropped connection mid-request is a failure, not a hang', () =>
	withFaults({dropAfter: 0}, async t => {
		const f = oneLine(await listPods(t, {}));
		assert.equal(f.reason, `cannot reach the API server ${lab.server.url}: connection reset`);
	}));

test('-l, the node and the namespace scope the list as kubectl does', {skip: needs({tools: ['kubectl']})}, async () => {
	const t = loadKubeTarget({kubeconfig: lab.server.kubeconfigPath});
	assert.ok(t.ok);
	const cases: Array<[Parameters<typeof listPods>[1], string[]]> = [
		[{labelSelector: 'run=pod-1'}, ['-A', '-l', 'run=pod-1']],
		[{labelSelector: 'run in (pod-0,pod-2),app'}, ['-A', '-l', 'run in (pod-0,pod-2),app']],
		[{namespace: 'web'}, ['-n', 'web']],
		[{nodeName: 'k8snet-lab', namespace: 'default'}, ['-n', 'default', '--field-selector', 'spec.nodeName=k8snet-lab']],
		[{nodeName: 'elsewhere'}, ['-A', '--field-selector', 'spec.nodeName=elsewhere']],
	];
	for (const [scope, args] of cases) {
		const ours = await listPods(t.value, scope);
		assert.ok(ours.ok, JSON.stringify(ours));
		// Asynchronously: the lab server answering kubectl runs in this very process.
		const {stdout: out} = await promisify(execFile)('kubectl', ['--kubeconfig', lab.server.kubeconfigPath, 'get', 'pods', ...args, '-o', 'json'], {encoding: 'utf8'});
		const theirs = (JSON.parse(out) as {items: Array<{metadata: {uid: string}}>}).items.map(p => p.metadata.uid).sort();
		assert.deepEqual(ours.value.map(p => p.uid).sort(), theirs, JSON.stringify(scope));
	}
});

test('kubeconfig problems found at the first request: a missing CA file, a plain http:// server', async () => {
	const missing = join(dir, 'no-such-ca.crt');
	const f = oneLine(await listPods(kubeconfig('missing-ca', lab.server.url, {caFile: missing}), {}));
	assert.equal(f.reason, `context "missing-ca": cannot read ${missing} (no such file)`);
	assert.match(f.hint, /certificate-authority/);
	const port = await closedPort();
	const h = oneLine(await listPods(kubeconfig('plain', `http://127.0.0.1:${port}`), {}));
	assert.equal(h.reason, `the server of context "plain" is plain http://127.0.0.1:${port}, which is refused without insecure-skip-tls-verify`);
	// With insecure-skip-tls-verify it is tried (and here, refused by the closed port).
	const tried = oneLine(await listPods(kubeconfig('plain-ok', `http://127.0.0.1:${port}`, {insecure: true}), {}));
	assert.match(tried.reason, /connection refused$/);
});

test('a -l selector the server cannot parse: its message and a hint about the syntax', async () => {
	const t = loadKubeTarget({kubeconfig: lab.server.kubeconfigPath});
	assert.ok(t.ok);
	const f = oneLine(await listPods(t.value, {labelSelector: 'app in (a'}));
	assert.match(f.reason, /^the API server rejected the request to list pods \(400\): unable to parse requirement/);
	assert.match(f.hint, /-l \/ --selector/);
});

test('in-cluster: a service account token and CA (as a pod has them) reach the API', async () => {
	const prefix = join(dir, 'pod-root');
	const sa = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
	mkdirSync(sa, {recursive: true});
	// With a trailing newline, as people write token files: it must not end up in the header.
	writeFileSync(join(sa, 'token'), `${lab.server.token}\n`);
	writeFileSync(join(sa, 'ca.crt'), lab.server.caCertPem);
	writeFileSync(join(sa, 'namespace'), 'web');
	const env = {KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(lab.server.port)};
	const t = loadKubeTarget({}, {env, home: join(dir, 'no-home'), serviceAccountPrefix: prefix});
	assert.ok(t.ok, JSON.stringify(t));
	const pods = await listPods(t.value, {namespace: t.value.namespace ?? undefined});
	assert.ok(pods.ok, JSON.stringify(pods));
	assert.deepEqual(pods.value.map(p => p.namespace), ['web']);
});

test('an exec credential plugin (relative to its kubeconfig) is run; a failing one is named', async () => {
	const plugin = (name: string, body: string) => {
		writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`, {mode: 0o755});
	};

	plugin('good-plugin.sh', `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${lab.server.token}"}}'`);
	plugin('bad-plugin.sh', 'echo "error: you must log in: token expired" >&2; exit 1');
	const write = (name: string, command: string) => {
		const file = join(dir, `${name}.kubeconfig`);
		writeFileSync(file, JSON.stringify({
			'current-context': name,
			clusters: [{name, cluster: {server: lab.server.url, 'certificate-authority-data': Buffer.from(lab.server.caCertPem).toString('base64')}}],
			users: [{name: 'sso', user: {exec: {apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never'}}}],
			contexts: [{name, context: {cluster: name, user: 'sso'}}],
		}));
		const t = loadKubeTarget({kubeconfig: file});
		assert.ok(t.ok, JSON.stringify(t));
		return t.value;
	};

	const good = await listPods(write('exec-good', './good-plugin.sh'), {});
	assert.ok(good.ok, JSON.stringify(good));
	const bad = oneLine(await listPods(write('exec-bad', './bad-plugin.sh'), {}));
	console.log(`exec plugin failure: ${bad.reason}`);
	assert.match(bad.reason, /^cannot set up the credentials of context "exec-bad": /);
});
