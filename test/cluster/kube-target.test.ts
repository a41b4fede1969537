// loadKubeTarget against kubectl itself: the same temp kubeconfig files go to `kubectl config
// view --merge` / `kubectl config current-context`, and we must pick what kubectl picks.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {needs} from '../support/prerequisites.js';
import {loadKubeTarget} from '../../source/cluster/kube-target.js';

let dir: string;
let home: string;

function write(name: string, text: string): string {
	const file = join(dir, name);
	writeFileSync(file, text);
	return file;
}

function kubectl(env: Record<string, string>, args: string[]): {ok: boolean; out: string} {
	try {
		const out = execFileSync('kubectl', args, {env: {PATH: process.env['PATH']!, HOME: home, ...env}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
		return {ok: true, out};
	} catch (error) {
		return {ok: false, out: String((error as {stderr?: string}).stderr ?? '')};
	}
}

// Three files that fight over every name and over current-context.
const fileA = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: "https://a.example:6443", certificate-authority: certs/ca.crt}
users:
- name: u1
  user: {token: token-from-a}
contexts:
- name: ctx-a
  context: {cluster: c1, user: u1, namespace: from-a}
- name: shared
  context: {cluster: c1, user: u1}
`;
const fileB = `apiVersion: v1
kind: Config
current-context: ctx-b
clusters:
- name: c1
  cluster: {server: "https://b-loses.example:6443"}
- name: c2
  cluster: {server: "https://b.example:443/"}
users:
- name: u1
  user: {token: token-from-b}
- name: u2
  user: {token: token-b2}
contexts:
- name: ctx-b
  context: {cluster: c2, user: u2}
- name: shared
  context: {cluster: c2, user: u2, namespace: b-loses}
`;
const fileC = `apiVersion: v1
kind: Config
current-context: ctx-a
clusters:
- name: c3
  cluster: {server: "https://c.example:6443"}
contexts:
- name: ctx-c
  context: {cluster: c3, user: u2}
`;

let a: string, b: string, c: string, broken: string;

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'k8snet-kubeconfig-'));
	home = join(dir, 'home');
	mkdirSync(home);
	a = write('a.yaml', fileA);
	b = write('b.yaml', fileB);
	c = write('c.yaml', fileC);
	broken = write('broken.yaml', 'clusters:\n- name: x\n  cluster: {server: "https://x"\n');
});

after(() => rmSync(dir, {recursive: true, force: true}));

const kubectlNeeds = needs({tools: ['kubectl']});

test('merged KUBECONFIG: current-context and every context resolve as kubectl does', {skip: kubectlNeeds}, () => {
	const KUBECONFIG = [a, join(dir, 'missing.yaml'), b, c, a].join(':');
	const env = {KUBECONFIG};
	const current = kubectl(env, ['config', 'current-context']);
	assert.ok(current.ok, current.out);
	const view = JSON.parse(kubectl(env, ['config', 'view', '--merge', '--raw', '-o', 'json']).out) as {
		clusters: Array<{name: string; cluster: {server: string; 'certificate-authority'?: string}}>;
		contexts: Array<{name: string; context: {cluster: string; user?: string; namespace?: string}}>;
		users: Array<{name: string; user: {token?: string}}>;
	};

	const ours = loadKubeTarget({}, {env, home});
	assert.ok(ours.ok, JSON.stringify(ours));
	assert.equal(ours.value.context, current.out.trim());
	assert.equal(ours.value.context, 'ctx-b');
	assert.deepEqual([...ours.value.contexts].sort(), view.contexts.map(x => x.name).sort());

	for (const ctx of view.contexts) {
		const t = loadKubeTarget({context: ctx.name}, {env, home});
		assert.ok(t.ok, `${ctx.name}: ${JSON.stringify(t)}`);
		const cluster = view.clusters.find(x => x.name === ctx.context.cluster)!;
		assert.equal(t.value.server, cluster.cluster.server.replace(/\/$/, ''), `server of ${ctx.name}`);
		assert.equal(t.value.user, ctx.context.user ?? '', `user of ${ctx.name}`);
		assert.equal(t.value.namespace, ctx.context.namespace ?? null, `namespace of ${ctx.name}`);
		// The token client-node will send is the one kubectl merged in.
		const user = view.users.find(x => x.name === ctx.context.user);
		assert.equal(t.value.kc.getCurrentUser()?.token, user?.user.token, `token of ${ctx.name}`);
		// kubectl's --minify for that context agrees on the server too.
		const minified = JSON.parse(kubectl(env, ['config', 'view', '--minify', '--raw', '-o', 'json', '--context', ctx.name]).out) as typeof view;
		assert.equal(t.value.server, minified.clusters[0]!.cluster.server.replace(/\/$/, ''));
	}

	// "shared" is defined in A and B: A's wins, with A's cluster c1 (not B's c1).
	const shared = loadKubeTarget({context: 'shared'}, {env, home});
	assert.ok(shared.ok);
	assert.equal(shared.value.server, 'https://a.example:6443');
	// A relative certificate-authority is relative to its own file, as kubectl resolves it.
	assert.equal(shared.value.kc.getCurrentCluster()?.caFile, join(dir, 'certs/ca.crt'));
});

test('current-context: the first file that sets it wins, even after files that do not', {skip: kubectlNeeds}, () => {
	const env = {KUBECONFIG: [a, c, b].join(':')};
	const ours = loadKubeTarget({}, {env, home});
	assert.ok(ours.ok);
	assert.equal(ours.value.context, kubectl(env, ['config', 'current-context']).out.trim());
	assert.equal(ours.value.context, 'ctx-a');
});

test('--kubeconfig reads only that file, ignoring KUBECONFIG', () => {
	const t = loadKubeTarget({kubeconfig: c, context: 'ctx-c'}, {env: {KUBECONFIG: b}, home});
	// ctx-c uses user u2, which only b.yaml defines.
	assert.equal(t.ok, false);
	assert.ok(!t.ok && t.reason.startsWith('context "ctx-c" ('), JSON.stringify(t));
	assert.ok(!t.ok && t.reason.includes('uses user "u2", which is not defined'));
});

test('--context that does not exist: one line naming the ones that do', {skip: kubectlNeeds}, () => {
	const env = {KUBECONFIG: [a, b].join(':')};
	const t = loadKubeTarget({context: 'nope'}, {env, home});
	assert.equal(t.ok, false);
	assert.ok(!t.ok);
	assert.equal(t.reason, `context "nope" does not exist in ${a}:${b}; contexts: ctx-a, shared, ctx-b`);
	assert.ok(!t.reason.includes('\n') && !t.hint.includes('\n'));
	// kubectl refuses it too.
	const k = kubectl(env, ['get', 'pods', '--request-timeout=1s', '--context', 'nope']);
	assert.equal(k.ok, false);
	assert.match(k.out, /context was not found for specified context: nope/);
});

test('a kubeconfig that does not parse: said with the file name', {skip: kubectlNeeds}, () => {
	const t = loadKubeTarget({}, {env: {KUBECONFIG: `${a}:${broken}`}, home});
	assert.equal(t.ok, false);
	assert.ok(!t.ok);
	assert.ok(t.reason.startsWith(`kubeconfig ${broken} does not parse: `), t.reason);
	assert.ok(!t.reason.includes('\n'));
	const k = kubectl({KUBECONFIG: `${a}:${broken}`}, ['config', 'view']);
	assert.equal(k.ok, false, 'kubectl fails on it as well');

	const notAMap = write('list.yaml', '- just\n- a list\n');
	const t2 = loadKubeTarget({kubeconfig: notAMap}, {home});
	assert.ok(!t2.ok && t2.reason === `kubeconfig ${notAMap} does not parse: it is not a YAML mapping`, JSON.stringify(t2));
});

test('--kubeconfig naming a missing file fails; KUBECONFIG skips it', () => {
	const missing = join(dir, 'nowhere.yaml');
	const t = loadKubeTarget({kubeconfig: missing}, {home});
	assert.ok(!t.ok && t.reason === `cannot read kubeconfig ${missing}: no such file`, JSON.stringify(t));
	const none = loadKubeTarget({}, {env: {KUBECONFIG: missing}, home});
	assert.ok(!none.ok && none.reason.startsWith(`no kubeconfig: KUBECONFIG=${missing} does not exist`), JSON.stringify(none));
});

test('no current-context: asks for --context and lists them', () => {
	const noCurrent = write('nocurrent.yaml', fileA);
	const t = loadKubeTarget({kubeconfig: noCurrent}, {home});
	assert.ok(!t.ok && t.reason === `no current context in ${noCurrent}; contexts: ctx-a, shared`, JSON.stringify(t));
	assert.ok(!t.ok && t.hint.includes('--context'));
});

test('~/.kube/config is the default when KUBECONFIG is unset', () => {
	mkdirSync(join(home, '.kube'), {recursive: true});
	writeFileSync(join(home, '.kube', 'config'), fileB);
	try {
		const t = loadKubeTarget({}, {env: {}, home});
		assert.ok(t.ok, JSON.stringify(t));
		assert.equal(t.value.server, 'https://b.example:443');
		assert.deepEqual(t.value.files, [join(home, '.kube', 'config')]);
	} finally {
		rmSync(join(home, '.kube'), {recursive: true});
	}
});

test('in-cluster: the service account is used when there is no kubeconfig', () => {
	const prefix = join(dir, 'pod');
	const sa = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
	const env = {KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443'};
	const missing = loadKubeTarget({}, {env, home, serviceAccountPrefix: prefix});
	assert.ok(!missing.ok && missing.reason.includes('no service account token'), JSON.stringify(missing));

	mkdirSync(sa, {recursive: true});
	writeFileSync(join(sa, 'token'), 'sa-token');
	writeFileSync(join(sa, 'ca.crt'), '');
	writeFileSync(join(sa, 'namespace'), 'kube-system\n');
	const t = loadKubeTarget({}, {env, home, serviceAccountPrefix: prefix});
	assert.ok(t.ok, JSON.stringify(t));
	assert.equal(t.value.server, 'https://10.96.0.1:443');
	assert.equal(t.value.namespace, 'kube-system');
	assert.deepEqual(t.value.files, ['in-cluster']);

	// A kubeconfig, when there is one, still comes first (as kubectl).
	const withFile = loadKubeTarget({}, {env: {...env, KUBECONFIG: b}, home, serviceAccountPrefix: prefix});
	assert.ok(withFile.ok && withFile.value.server === 'https://b.example:443');
});

test('a token-file relative to its kubeconfig is found there, and a missing one is named', () => {
	const sub = join(dir, 'sub');
	mkdirSync(sub, {recursive: true});
	writeFileSync(join(sub, 'tok'), 'file-token');
	const cfg = `current-context: x
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token-file: tok}}, {name: v, user: {token-file: gone}}]
contexts: [{name: x, context: {cluster: c, user: u}}, {name: y, context: {cluster: c, user: v}}]
`;
	writeFileSync(join(sub, 'config'), cfg);
	const t = loadKubeTarget({kubeconfig: join(sub, 'config')}, {home});
	assert.ok(t.ok, JSON.stringify(t));
	assert.equal(t.value.kc.getCurrentUser()?.token, 'file-token');
	const y = loadKubeTarget({kubeconfig: join(sub, 'config'), context: 'y'}, {home});
	assert.ok(!y.ok && y.reason === `user "v" (${join(sub, 'config')}) has token-file ${join(sub, 'gone')}, which does not exist`, JSON.stringify(y));
});

test('a name twice in one file is refused, as kubectl refuses it', {skip: kubectlNeeds}, () => {
	const dup = write('dup.yaml', 'current-context: x\nclusters:\n- {name: c, cluster: {server: "https://first:1"}}\n- {name: c, cluster: {server: "https://second:1"}}\ncontexts:\n- {name: x, context: {cluster: c}}\n');
	const t = loadKubeTarget({kubeconfig: dup}, {home});
	assert.ok(!t.ok && t.reason === `kubeconfig ${dup} does not parse: clusters has the name "c" twice`, JSON.stringify(t));
	const k = kubectl({KUBECONFIG: dup}, ['config', 'view']);
	assert.equal(k.ok, false);
	assert.match(k.out, /duplicate name "c"/);
});
