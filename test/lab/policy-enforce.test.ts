// `lab up --nodes 2 --policy enforce` on the real kernel: pods x/a … z/c spread over both nodes, a
// set of policies applied one after another through `lab policy apply`, and after each of them
// `policy --json --probe` compared cell by cell with what the kernel does. Then `--policy none`:
// the same verdicts, enforced false, and every probe connects. One lab at a time, always down.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {readPolicyAgentStatus} from '../../source/lab/policy/agent-start.js';
import {POLICY_TABLE} from '../../source/lab/policy/agent-rules.js';
import {type LabState, readLabState} from '../../source/lab/lab-state.js';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite} from './lab-checks.js';
import {type CliRun, eventually, lab as labCli, labLeftovers, rootSnapshot, run} from './lab-cli.js';

// The bundle: each probe is this CLI again under nsenter, and 81 of them per run start far faster so.
const lab = (args: string[]): Promise<CliRun> => labCli(args, {}, 'bundle');

const skip = needs({root: true, tools: ['ip', 'bridge', 'nsenter', 'unshare', 'nft'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
const BIN = fileURLToPath(new URL('../../bin/k8snet-tui.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'k8snet-enforce-'));
const rootBefore = aroundLabSuite(skip, async () => rmSync(dir, {recursive: true, force: true}));

// --pods 4 on 2 nodes deals nginx-1..8 over x,y,z and both nodes; nginx-9 is added (node 1) so each
// namespace has three pods. a, b, c name them in order; policies select them by their run label.
const PODS = {'x/a': 'nginx-1', 'x/b': 'nginx-4', 'x/c': 'nginx-7', 'y/a': 'nginx-2', 'y/b': 'nginx-5', 'y/c': 'nginx-8', 'z/a': 'nginx-3', 'z/b': 'nginx-6', 'z/c': 'nginx-9'};
const real = (short: string) => `${short.split('/')[0]}/${PODS[short as keyof typeof PODS]}`;

const policy = (ns: string, name: string, spec: unknown) => JSON.stringify({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {namespace: ns, name}, spec});
const nsIs = (ns: string) => ({namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': ns}}});
const CASES: Array<{name: string; yaml: string; ports: number[]}> = [
	{name: 'x/deny-ingress', yaml: policy('x', 'deny-ingress', {podSelector: {}, policyTypes: ['Ingress']}), ports: [80]},
	{name: 'x/y-to-a-80', yaml: policy('x', 'y-to-a-80', {podSelector: {matchLabels: {run: PODS['x/a']}}, ingress: [{from: [nsIs('y')], ports: [{port: 80, protocol: 'TCP'}]}]}), ports: [80, 81]},
	{name: 'z/deny-egress', yaml: policy('z', 'deny-egress', {podSelector: {}, policyTypes: ['Egress']}), ports: [80]},
	{name: 'y/a-81-only', yaml: policy('y', 'a-81-only', {podSelector: {matchLabels: {run: PODS['y/a']}}, ingress: [{ports: [{port: 81}]}]}), ports: [80, 81]},
];

interface Probed {
	pods: string[];
	matrix: Record<string, Record<string, boolean | null>>;
	enforced: boolean | null;
	probed: Record<string, Record<string, boolean>>;
	disagreements: unknown[];
	agreements: number;
	probeNotes: string[];
}

async function upLab(mode: 'enforce' | 'none'): Promise<LabState> {
	const r = await lab(['up', '--nodes', '2', '--pods', '4', '--namespaces', 'x,y,z', '--policy', mode]);
	assert.equal(r.code, 0, r.stderr);
	const add = await lab(['pod', 'add', 'z/nginx-9']);
	assert.equal(add.code, 0, add.stderr);
	console.log(`lab up --policy ${mode} + pod add: ${r.ms + add.ms} ms`);
	const state = readLabState();
	assert.ok(state);
	return state;
}

async function apply(c: (typeof CASES)[number]): Promise<number> {
	const file = join(dir, `${c.name.replace('/', '-')}.yaml`);
	writeFileSync(file, c.yaml);
	const started = Date.now();
	const r = await lab(['policy', 'apply', file]);
	assert.equal(r.code, 0, r.stderr);
	return started;
}

async function probe(state: LabState, port: number): Promise<Probed> {
	const started = Date.now();
	const r = await run(['node', BIN, 'policy', '--kubeconfig', state.kubeconfig, '-A', '--json', '--probe', '--port', String(port)]).then(stdout => ({stdout}));
	console.log(`policy --probe --port ${port}: ${Date.now() - started} ms`);
	const doc = JSON.parse(r.stdout) as Probed;
	assert.deepEqual(doc.probeNotes, [], 'every pair was probed');
	assert.equal(Object.values(doc.probed).flatMap(Object.values).length, 81, '9 × 9 pairs probed');
	return doc;
}

const cell = (doc: Probed, from: string, to: string) => doc.matrix[real(from)]?.[real(to)];

test('lab up --nodes 2 --policy enforce: every verdict agrees with the kernel, policy by policy', {skip, timeout: 300_000}, async () => {
	const state = await upLab('enforce');
	assert.ok(state.policyAgentPid !== undefined && state.daemonPids.includes(state.policyAgentPid), 'the agent is recorded so lab down ends it');
	const nodes = state.nodes ?? [];
	assert.equal(nodes.length, 2);
	const verdicts = new Map<string, Probed>();
	let agreements = 0;
	for (const c of CASES) {
		const since = Date.now();
		await apply(c);
		const expected = CASES.slice(0, CASES.indexOf(c) + 1).map(x => x.name).sort();
		await eventually(async () => assert.deepEqual(readPolicyAgentStatus()?.policies, expected), 10_000);
		assert.equal(readPolicyAgentStatus()?.error, null);
		console.log(`${c.name}: agent synced ${Date.now() - since} ms after lab policy apply began`);
		for (const port of c.ports) {
			const doc = await probe(state, port);
			assert.equal(doc.enforced, true);
			assert.deepEqual(doc.disagreements, [], `${c.name} port ${port}: the verdicts and the kernel agree`);
			agreements += doc.agreements;
			verdicts.set(`${c.name}:${port}`, doc);
		}
	}

	// The cases really deny something, same-node (bridged) and cross-node alike, and allow what they name.
	const last80 = verdicts.get('y/a-81-only:80') as Probed;
	const last81 = verdicts.get('y/a-81-only:81') as Probed;
	assert.equal(cell(verdicts.get('x/deny-ingress:80') as Probed, 'y/b', 'x/a'), false, 'y/b → x/a, both on node 1: bridged, denied');
	assert.equal(cell(verdicts.get('x/deny-ingress:80') as Probed, 'y/a', 'x/a'), false, 'y/a (node 2) → x/a (node 1): denied');
	assert.equal(cell(last80, 'y/a', 'x/a'), true, 'allowed from namespace y to x/a on 80');
	assert.equal(cell(verdicts.get('x/y-to-a-80:81') as Probed, 'y/a', 'x/a'), false, 'but not on 81');
	assert.equal(cell(last80, 'x/b', 'x/a'), false);
	assert.equal(cell(last80, 'z/a', 'y/b'), false, 'z egress denied');
	assert.equal(cell(last80, 'z/a', 'z/a'), true, 'a pod reaches itself');
	assert.equal(cell(last80, 'x/a', 'y/a'), false, 'y/a takes 80 from nobody');
	assert.equal(cell(last81, 'x/a', 'y/a'), true, 'y/a takes 81 from anyone');
	assert.equal(cell(last80, 'x/a', 'y/b'), true, 'y/b is not isolated');
	console.log(`policy --probe: ${agreements} pairs probed, all agreeing with the verdict, over ${verdicts.size} runs`);

	const table = await run(['ip', 'netns', 'exec', nodes[0]!.netns, 'nft', 'list', 'table', 'inet', POLICY_TABLE]);
	assert.match(table, /hook forward/);
	const bridged = await run(['ip', 'netns', 'exec', nodes[0]!.netns, 'sysctl', '-n', 'net.bridge.bridge-nf-call-iptables']);
	assert.equal(bridged.trim(), '1', 'bridged pod-to-pod traffic reaches inet forward');

	const down = await lab(['down']);
	assert.equal(down.code, 0, down.stderr);
	assert.deepEqual(await labLeftovers(), [], 'lab down ends the agent too');
	assert.equal(await rootSnapshot(), rootBefore());

	const none = await upLab('none');
	for (const c of CASES) await apply(c);
	for (const port of [80, 81]) {
		const doc = await probe(none, port);
		const enforced = verdicts.get(`y/a-81-only:${port}`) as Probed;
		assert.deepEqual(doc.matrix, enforced.matrix, 'the same verdicts without enforcement');
		assert.equal(doc.enforced, false);
		assert.ok(Object.values(doc.probed).flatMap(Object.values).every(Boolean), 'every probe connects: nothing enforces');
	}
});
