// networkpolicies on the lab API through the real kubectl: apply (create, then a merge patch),
// get with server-side tables, label selectors, replace, delete; the apiserver's 4xx wording; a
// watch that sees each change; policies that survive a restart of the API server; and the
// policy agent's DaemonSet that `--policy enforce` serves in kube-system.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {request} from 'node:https';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {startLabApiServer} from '../../source/lab/api/server.js';
import {needs} from '../support/prerequisites.js';
import {type Fixture, labPod, labState, startFixture, waitFor} from './lab-api-fixture.js';

const run = promisify(execFile);
const skip = needs({tools: ['kubectl', 'openssl']});

const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: x
  labels: {team: a}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: "y"
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: x}
    ports:
    - {port: 80, protocol: TCP}
`;

describe('lab API networkpolicies with kubectl', {skip}, () => {
	let f: Fixture;
	const kubectl = async (...args: string[]) => {
		try {
			const r = await run('kubectl', ['--kubeconfig', f.server.kubeconfigPath, '--cache-dir', join(f.dir, 'kube-cache'), ...args]);
			return {code: 0, out: r.stdout, err: r.stderr};
		} catch (error) {
			const e = error as {code: number; stdout: string; stderr: string};
			return {code: e.code, out: e.stdout, err: e.stderr};
		}
	};

	const file = (name: string, text: string) => {
		const path = join(f.dir, name);
		writeFileSync(path, text);
		return path;
	};

	before(async () => {
		f = await startFixture(labState([labPod('x', 'a', 0), labPod('y', 'a', 1)], {namespaces: ['x', 'y'], policy: 'enforce'}));
	});
	after(async () => {
		await f?.close();
	});

	test('apply -f creates both documents, get netpol -A prints them as the apiserver does', async () => {
		const applied = await kubectl('apply', '-f', file('two.yaml', DENY_ALL));
		assert.equal(applied.code, 0, applied.err);
		assert.match(applied.out, /networkpolicy.networking.k8s.io\/deny-all created/);
		assert.match(applied.out, /networkpolicy.networking.k8s.io\/allow-web created/);
		const got = await kubectl('get', 'netpol', '-A');
		assert.equal(got.code, 0, got.err);
		const lines = got.out.trimEnd().split('\n').map(l => l.split(/\s+/));
		assert.deepEqual(lines[0], ['NAMESPACE', 'NAME', 'POD-SELECTOR', 'AGE']);
		assert.deepEqual(lines.slice(1).map(l => l.slice(0, 3)), [['x', 'deny-all', '<none>'], ['y', 'allow-web', 'app=web']]);
		const labelled = await kubectl('get', 'networkpolicies', '-A', '-l', 'team=a', '-o', 'name');
		assert.equal(labelled.out.trim(), 'networkpolicy.networking.k8s.io/deny-all');
	});

	test('a second apply with a change patches it: same uid, generation 2, the new spec', async () => {
		const before = JSON.parse((await kubectl('get', 'netpol', 'allow-web', '-n', 'y', '-o', 'json')).out) as {metadata: {uid: string; generation: number}};
		const again = await kubectl('apply', '-f', file('two-b.yaml', DENY_ALL.replace('port: 80', 'port: 8080')));
		assert.equal(again.code, 0, again.err);
		assert.match(again.out, /deny-all unchanged/);
		assert.match(again.out, /allow-web configured/);
		const after = JSON.parse((await kubectl('get', 'netpol', 'allow-web', '-n', 'y', '-o', 'json')).out) as {metadata: {uid: string; generation: number}; spec: {ingress: Array<{ports: Array<{port: number}>}>}};
		assert.equal(after.metadata.uid, before.metadata.uid);
		assert.equal(after.metadata.generation, before.metadata.generation + 1);
		assert.equal(after.spec.ingress[0]!.ports[0]!.port, 8080);
	});

	test('bad input gets the apiserver 4xx answers', async () => {
		const invalid = await kubectl('apply', '-f', file('bad.yaml', DENY_ALL.split('---')[0]!.replace('[Ingress]', '[Sideways]')));
		assert.notEqual(invalid.code, 0);
		assert.match(invalid.err, /spec.policyTypes\[0\]: Unsupported value: "Sideways"/);
		const noNs = await kubectl('apply', '-f', file('nons.yaml', DENY_ALL.split('---')[0]!.replace('namespace: x', 'namespace: nope')));
		assert.notEqual(noNs.code, 0);
		assert.match(noNs.err, /namespaces "nope" not found/);
		const created = await kubectl('create', '-f', file('dup.yaml', DENY_ALL.split('---')[0]!));
		assert.match(created.err, /AlreadyExists|already exists/);
		const missing = await kubectl('delete', 'netpol', 'nope', '-n', 'x');
		assert.match(missing.err, /networkpolicies.networking.k8s.io "nope" not found/);
	});

	test('replace (PUT) and delete; a watch sees ADDED, MODIFIED and DELETED', async () => {
		const events: string[] = [];
		const watch = request(`${f.server.url}/apis/networking.k8s.io/v1/networkpolicies?watch=true&resourceVersion=${f.server.resourceVersion()}`, {
			ca: f.server.caCertPem,
			headers: {authorization: `Bearer ${f.server.token}`},
		});
		watch.on('response', res => res.on('data', (c: Buffer) => events.push(...c.toString().trim().split('\n').map(l => {
			const e = JSON.parse(l) as {type: string; object: {metadata: {name: string}}};
			return `${e.type} ${e.object.metadata.name}`;
		}))));
		watch.end();
		await new Promise(r => setTimeout(r, 200));
		await kubectl('apply', '-f', file('third.yaml', DENY_ALL.split('---')[0]!.replace('deny-all', 'third')));
		const current = JSON.parse((await kubectl('get', 'netpol', 'third', '-n', 'x', '-o', 'json')).out) as {spec: {policyTypes: string[]}};
		current.spec.policyTypes = ['Ingress', 'Egress'];
		const replaced = await kubectl('replace', '-f', file('third.json', JSON.stringify(current)));
		assert.equal(replaced.code, 0, replaced.err);
		const deleted = await kubectl('delete', 'netpol', 'third', '-n', 'x');
		assert.equal(deleted.code, 0, deleted.err);
		assert.match(deleted.out, /networkpolicy.networking.k8s.io "third" deleted/);
		await waitFor('three watch events', () => events.length >= 3, 4000);
		watch.destroy();
		assert.deepEqual(events, ['ADDED third', 'MODIFIED third', 'DELETED third']);
	});

	test('the policy agent DaemonSet is in kube-system, read-only', async () => {
		const ds = await kubectl('get', 'ds', '-n', 'kube-system', '-o', 'name');
		assert.equal(ds.code, 0, ds.err);
		assert.equal(ds.out.trim(), 'daemonset.apps/k8snet-lab-policy-agent');
		const del = await kubectl('delete', 'ds', 'k8snet-lab-policy-agent', '-n', 'kube-system');
		assert.notEqual(del.code, 0);
	});

	test('created policies survive a restart of the API server on the same directory', async () => {
		await f.server.close();
		f.server = await startLabApiServer({stateFile: f.stateFile, dir: f.dir});
		const got = await kubectl('get', 'netpol', '-A', '-o', 'name');
		assert.equal(got.code, 0, got.err);
		assert.deepEqual(got.out.trim().split('\n').sort(), ['networkpolicy.networking.k8s.io/allow-web', 'networkpolicy.networking.k8s.io/deny-all']);
	});
});
