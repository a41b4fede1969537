// `path` with the policy on it, against the real lab: a deny-all-ingress policy on the target's
// namespace. With `--policy enforce` the path is blocked, decided by that policy, at the target's
// ingress, and the kernel agrees (policy --probe: the pair does not connect). With `--policy none`
// the path stays reachable, enforced is false, and the text says plainly that policy would deny
// but is not enforced (and the probe connects). Runs the shipped bundle (npm run build first).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {PathDocument} from '../../source/core/path/types.js';
import {readPolicyAgentStatus} from '../../source/lab/policy/agent-start.js';
import {type LabPod, type LabState, readLabState} from '../../source/lab/lab-state.js';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {eventually, lab as labCli, type CliRun} from '../lab/lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter', 'unshare'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-path-policy-'));
aroundLabSuite(skip, async () => rmSync(dir, {recursive: true, force: true}));

const BIN = fileURLToPath(new URL('../../bin/k8snet-tui.js', import.meta.url));
const exec = promisify(execFile);
const lab = (args: string[]): Promise<CliRun> => labCli(args, {}, 'bundle');
const ref = (p: LabPod) => `${p.namespace}/${p.name}`;

const DENY = JSON.stringify({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {namespace: 'x', name: 'deny-ingress'}, spec: {podSelector: {}, policyTypes: ['Ingress']}});

async function cli(args: string[]): Promise<string> {
	return (await exec(process.execPath, [BIN, ...args], {timeout: 90_000, maxBuffer: 16 << 20})).stdout;
}

async function upWithDeny(mode: 'enforce' | 'none'): Promise<{state: LabState; a: LabPod; b: LabPod}> {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const up = await lab(['up', '--pods', '4', '--namespaces', 'x,y', '--policy', mode]);
	assert.equal(up.code, 0, up.stderr);
	const file = join(dir, 'deny.yaml');
	writeFileSync(file, DENY);
	const applied = await lab(['policy', 'apply', file]);
	assert.equal(applied.code, 0, applied.stderr);
	if (mode === 'enforce') await eventually(async () => assert.deepEqual(readPolicyAgentStatus()?.policies, ['x/deny-ingress']), 10_000);
	const state = readLabState()!;
	const [a, b] = state.pods.filter(p => p.kind === 'normal' && p.namespace === 'x');
	assert.ok(a && b, 'two pods in namespace x');
	return {state, a, b};
}

/** Whether a → b connects on 80, by the kernel: policy --probe over namespace x. */
async function probed(state: LabState, a: LabPod, b: LabPod): Promise<boolean | undefined> {
	const doc = JSON.parse(await cli(['policy', '--kubeconfig', state.kubeconfig, '-n', 'x', '--port', '80', '--json', '--probe'])) as {probed: Record<string, Record<string, boolean>>};
	return doc.probed[ref(a)]?.[ref(b)];
}

test('path with a deny-all-ingress policy: blocked where enforced (the kernel agrees), "would deny, not enforced" where not', {skip, timeout: 300_000}, async () => {
	{
		const {state, a, b} = await upWithDeny('enforce');
		const started = Date.now();
		const doc = JSON.parse(await cli(['path', ref(a), ref(b), '--port', '80', '--json', '--kubeconfig', state.kubeconfig])) as PathDocument;
		console.log(`path --json with policy (enforce): ${Date.now() - started} ms`);
		assert.equal(doc.verdict, 'blocked');
		assert.equal(doc.policy?.verdict, 'denied');
		assert.equal(doc.policy?.enforced, true);
		assert.match(doc.policy?.enforcedReason ?? '', /policy agent/);
		assert.deepEqual(doc.policy?.decidedBy, [{namespace: 'x', name: 'deny-ingress', direction: 'ingress', rule: null}]);
		assert.deepEqual(doc.policy?.hop, {node: b.node, direction: 'ingress', pod: ref(b)});
		assert.equal(doc.policy?.egress?.verdict, 'allowed');
		assert.equal(doc.policy?.ingress?.verdict, 'denied');
		assert.ok(doc.hops.every(h => h.ok), 'the kernel walk itself is fine: it is policy that blocks');
		assert.equal(await probed(state, a, b), false, 'the kernel drops it');
		assert.equal((await lab(['down'])).code, 0);
	}

	{
		const {state, a, b} = await upWithDeny('none');
		const doc = JSON.parse(await cli(['path', ref(a), ref(b), '--port', '80', '--json', '--kubeconfig', state.kubeconfig])) as PathDocument;
		assert.equal(doc.verdict, 'reachable');
		assert.equal(doc.policy?.verdict, 'denied');
		assert.equal(doc.policy?.enforced, false);
		assert.match(doc.policy?.note ?? '', /^policy would deny, but this CNI does not enforce NetworkPolicy/);
		const text = await cli(['path', ref(a), ref(b), '--port', '80', '--kubeconfig', state.kubeconfig]);
		assert.match(text.split('\n')[0]!, /: reachable$/);
		assert.match(text, /^policy: denied for 80\/TCP, at ingress of x\/\S+ on \S+: .*deny-ingress.*; enforced: false \(/m);
		assert.match(text, /^ {2}policy would deny, but this CNI does not enforce NetworkPolicy \(/m);
		assert.equal(await probed(state, a, b), true, 'nothing enforces: it connects');
	}
});
