// `k8snet-tui policy` end to end against the lab API (in-process, no kernel): pods x/a … z/c, two
// policies created over HTTP as kubectl would, the truth table as JSON and as text, the
// enforcement line, and one-line failures for bad flags and an API that is not there.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {request} from 'node:https';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {after, before, describe, test} from 'node:test';
import {type Fixture, labPod, labState, startFixture} from '../lab-api/lab-api-fixture.js';

const run = promisify(execFile);
const CLI = ['--import', 'tsx', 'source/cli.ts', 'policy'];
const NAMES = ['x', 'y', 'z'].flatMap(ns => ['a', 'b', 'c'].map(p => `${ns}/${p}`));

function post(f: Fixture, path: string, body: unknown): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(`${f.server.url}${path}`, {method: 'POST', ca: f.server.caCertPem, headers: {authorization: `Bearer ${f.server.token}`, 'content-type': 'application/json'}}, res => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end(JSON.stringify(body));
	});
}

async function policy(...args: string[]): Promise<{code: number; out: string; err: string}> {
	try {
		const r = await run(process.execPath, [...CLI, ...args], {env: {...process.env, KUBECONFIG: ''}});
		return {code: 0, out: r.stdout, err: r.stderr};
	} catch (error) {
		const e = error as {code: number; stdout: string; stderr: string};
		return {code: e.code, out: e.stdout, err: e.stderr};
	}
}

describe('policy command', () => {
	let f: Fixture;
	before(async () => {
		f = await startFixture(labState(NAMES.map((n, i) => labPod(n.split('/')[0]!, n.split('/')[1]!, i)), {namespaces: ['x', 'y', 'z']}));
		const base = '/apis/networking.k8s.io/v1/namespaces/x/networkpolicies';
		assert.equal(await post(f, base, {metadata: {name: 'deny-ingress'}, spec: {podSelector: {}, policyTypes: ['Ingress']}}), 201);
		const fromY = {namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': 'y'}}};
		assert.equal(await post(f, base, {metadata: {name: 'allow-y-to-a'}, spec: {podSelector: {matchLabels: {run: 'a'}}, ingress: [{from: [fromY], ports: [{port: 80}]}]}}), 201);
	});
	after(async () => {
		await f?.close();
	});

	/** What the two policies mean, written from the spec: x/* take ingress only from themselves, and x/a from y on 80. */
	const expected = (port: number) =>
		Object.fromEntries(NAMES.map(from => [from, Object.fromEntries(NAMES.map(to => [to, !to.startsWith('x/') || from === to || (to === 'x/a' && from.startsWith('y/') && port === 80)]))]));

	test('--json: the matrix for port 80 and 81, every pod, enforcement unknown off the lab', async () => {
		const r = await policy('--kubeconfig', f.server.kubeconfigPath, '--json');
		assert.equal(r.code, 0, r.err);
		const doc = JSON.parse(r.out) as {port: number; protocol: string; pods: string[]; matrix: unknown; enforced: unknown; enforcedReason: string; cniKind: unknown};
		assert.deepEqual({port: doc.port, protocol: doc.protocol, pods: doc.pods}, {port: 80, protocol: 'TCP', pods: NAMES});
		assert.deepEqual(doc.matrix, expected(80));
		assert.equal(doc.enforced, null);
		assert.equal(doc.cniKind, null);
		assert.match(doc.enforcedReason, /no known policy engine/);
		const other = JSON.parse((await policy('--kubeconfig', f.server.kubeconfigPath, '--json', '--port', '81')).out) as {matrix: unknown};
		assert.deepEqual(other.matrix, expected(81));
	});

	test('the table: rows FROM, columns TO, . and X; -n narrows the pods', async () => {
		const r = await policy('--kubeconfig', f.server.kubeconfigPath, '-n', 'x');
		assert.equal(r.code, 0, r.err);
		const lines = r.out.trimEnd().split('\n');
		assert.deepEqual(lines[1]!.split(/\s+/), ['FROM', '\\', 'TO', 'x/a', 'x/b', 'x/c']);
		assert.deepEqual(lines.slice(2, 5).map(l => l.split(/\s+/)), [['x/a', '.', 'X', 'X'], ['x/b', 'X', '.', 'X'], ['x/c', 'X', 'X', '.']]);
		assert.match(lines[5]!, /^enforced: unknown \(/);
	});

	test('--probe: more pairs than --probe-max is one line naming the count; sctp is evaluated, not probed', async () => {
		const many = await policy('--kubeconfig', f.server.kubeconfigPath, '--probe', '--probe-max', '80');
		assert.equal(many.code, 1);
		assert.equal(many.err, 'k8snet-tui policy: --probe would probe 81 pairs, more than 80 (narrow with -n or -l, or raise the limit with --probe-max 81)\n');
		const zero = await policy('--kubeconfig', f.server.kubeconfigPath, '--probe', '--probe-max', '0');
		assert.equal(zero.code, 1);
		assert.match(zero.err, /^k8snet-tui policy: --probe-max must be a whole number/);
		const sctp = await policy('--kubeconfig', f.server.kubeconfigPath, '--probe', '--proto', 'sctp', '--json');
		assert.equal(sctp.code, 0, sctp.err);
		const doc = JSON.parse(sctp.out) as {probed: unknown; probeNote: string; matrix: unknown};
		assert.equal(doc.probed, null);
		assert.match(doc.probeNote, /SCTP is evaluated, not probed/);
		assert.deepEqual(doc.matrix, expected(81), 'sctp/80: the y-to-x/a rule is TCP only, so x/* take ingress only from themselves');
	});

	test('bad flags and an API that is not there: exit 1, one line', async () => {
		for (const args of [['--proto', 'icmp'], ['--port', '0'], ['-n', 'x', '-A']]) {
			const r = await policy('--kubeconfig', f.server.kubeconfigPath, ...args);
			assert.equal(r.code, 1, args.join(' '));
			assert.equal(r.err.trim().split('\n').length, 1, r.err);
			assert.match(r.err, /^k8snet-tui policy: /);
		}

		const dead = join(f.dir, 'dead-kubeconfig');
		writeFileSync(dead, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`);
		const r = await policy('--kubeconfig', dead);
		assert.equal(r.code, 1);
		assert.equal(r.err.trim().split('\n').length, 1, r.err);
		assert.match(r.err, /cannot reach the API server/);
	});
});

describe('policy command on a lab that enforces', () => {
	test('the policy agent DaemonSet makes enforced true', async () => {
		const f = await startFixture(labState([labPod('x', 'a', 0)], {namespaces: ['x'], policy: 'enforce'}));
		try {
			const doc = JSON.parse((await policy('--kubeconfig', f.server.kubeconfigPath, '--json')).out) as {enforced: unknown; enforcedReason: string};
			assert.deepEqual(doc, {...doc, enforced: true, enforcedReason: "the lab's policy agent enforces NetworkPolicy: DaemonSet kube-system/k8snet-lab-policy-agent runs"});
		} finally {
			await f.close();
		}
	});
});
