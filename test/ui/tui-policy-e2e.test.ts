// End-to-end: `n`, a pod's policy view, in a real pty (120×40) against the lab with its policy
// agent (`lab up --policy enforce`) and a deny-all-ingress policy applied with `lab policy apply`.
// The screen shows the policy's name, "isolated for ingress", that nobody may reach the pod, and
// the enforcement line; esc closes it; a policy deleted while the view is open leaves it "not
// isolated" (the session watches policies). Runs the shipped bundle.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {readLabState} from '../../source/lab/lab-state.js';
import {readPolicyAgentStatus} from '../../source/lab/policy/agent-start.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {eventually, lab} from '../lab/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {filterToOnePod} from './pty-steps.js';
import {startCli, type PtyScreen} from './pty-screen.js';
import {assertNothingLeftIn, assertQuietStderr, processesInSession} from './session-processes.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter', 'unshare'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
let screen: PtyScreen | null = null;
const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-policy-e2e-'));
aroundLabSuite(skip, async () => {
	screen?.kill('SIGKILL');
	rmSync(dir, {recursive: true, force: true});
});

const DENY = JSON.stringify({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {namespace: 'x', name: 'deny-ingress'}, spec: {podSelector: {}, policyTypes: ['Ingress']}});

test('n on a pod under a deny-all policy: its name, isolated for ingress, nobody may reach it, enforced by the lab\'s agent; deleting the policy shows it', {skip, timeout: 180_000}, async () => {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const up = await lab(['up', '--pods', '4', '--namespaces', 'x,y', '--policy', 'enforce'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const file = join(dir, 'deny.yaml');
	writeFileSync(file, DENY);
	assert.equal((await lab(['policy', 'apply', file], {}, 'bundle')).code, 0);
	await eventually(async () => assert.deepEqual(readPolicyAgentStatus()?.policies, ['x/deny-ingress']), 10_000);
	const state = readLabState()!;
	const target = state.pods.find(p => p.kind === 'normal' && p.namespace === 'x')!;
	const ref = `${target.namespace}/${target.name}`;

	const stderrFile = join(dir, 'stderr');
	const s = startCli(['--kubeconfig', state.kubeconfig], {columns: 120, rows: 40, entry: 'bundle', stderrFile});
	screen = s;
	await s.waitFor(text => text.includes(ref) && /veth/.test(text), 20_000, `${ref} with its veth`);
	await filterToOnePod(s, target.name);
	const sid = s.pty.pid;
	const running = processesInSession(sid);

	const opened = Date.now();
	s.write('n');
	await s.waitFor(
		text => text.includes(`Policy ${ref}`) && text.includes('isolated for ingress by x/deny-ingress') && text.includes('nothing: nobody may reach it'),
		10_000,
		'the policy view with the deny-all policy',
	);
	console.log(`policy view shown ${Date.now() - opened} ms after n`);
	// The enforcement line follows once the DaemonSets are listed (they are read beside the policies).
	await s.waitFor(text => /enforced: true \(the lab's policy agent enforces NetworkPolicy: DaemonSet \S+ runs\)/.test(text), 10_000, 'the enforcement line');
	const shown = s.lines();
	assert.ok(shown.some(line => line.includes('x/deny-ingress: no ingress rules, so it allows nothing')), 'the policy, and why it allows nothing');
	assert.ok(shown.some(line => line.includes('everything: not isolated for egress')), 'egress is not isolated');

	// The session watches policies: deleting this one frees the pod's ingress while the view is open.
	assert.equal((await lab(['policy', 'delete', 'x/deny-ingress'], {}, 'bundle')).code, 0);
	const deletedAt = Date.now();
	await s.waitFor(text => text.includes('everything: not isolated for ingress'), 10_000, 'ingress not isolated once the policy is gone');
	console.log(`policy delete shown ${Date.now() - deletedAt} ms after lab policy delete`);

	s.write('\u001B');
	await s.waitFor(text => !text.includes(`Policy ${ref}`) && /veth pair/.test(text), 5000, 'the view closed');
	s.write('q');
	const exit = await s.exited;
	assert.equal(exit.exitCode, 0);
	await assertNothingLeftIn(sid, running);
	assertQuietStderr(readFileSync(stderrFile, 'utf8'));
});
