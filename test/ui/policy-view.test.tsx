// Component tests: `n`'s policy view and the open path's policy hop, the real App on a synthetic
// store (test/ui/tui-fixture.ts), keys written to ink-testing-library's stdin.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import chalk from 'chalk';
import {render} from 'ink-testing-library';
import {pathPolicy, withPolicy} from '../../source/core/path/path-policy.js';
import type {Enforcement} from '../../source/core/policy-enforcement.js';
import {policyPod} from '../../source/core/policy/policy-pod.js';
import type {NetworkPolicy} from '../../source/core/policy/types.js';
import type {OpenPath, PolicyState, SessionCommand, TuiState} from '../../source/store/tui-state.js';
import {App} from '../../source/ui/App.js';
import {createTheme} from '../../source/ui/theme.js';
import {fixtureState, fixtureStore} from './tui-fixture.js';
import {fixtureOpenPath} from './path-fixture.js';

const tick = () => new Promise(resolve => setImmediate(resolve));
async function settle() {
	for (let i = 0; i < 4; i++) await tick();
}

const ESC = '\u001B';
const ON: Enforcement = {enforced: true, enforcedReason: "the lab's policy agent enforces NetworkPolicy: DaemonSet kube-system/k8snet-lab-policy-agent runs"};
const OFF: Enforcement = {enforced: false, enforcedReason: "the node's CNI is the bridge plugin, which does not enforce NetworkPolicy"};
const sel = (matchLabels: Record<string, string> = {}) => ({matchLabels, matchExpressions: []});
const denyAll: NetworkPolicy = {namespace: 'default', name: 'deny-all', podSelector: sel(), policyTypes: ['Ingress'], ingress: [], egress: []};
const fromWeb2: NetworkPolicy = {
	namespace: 'default',
	name: 'from-web-2',
	podSelector: sel({app: 'web-1'}),
	policyTypes: null,
	ingress: [{peers: [{podSelector: sel({app: 'web-2'}), namespaceSelector: null, ipBlock: null}], ports: [{protocol: 'TCP', port: 80, endPort: null}]}],
	egress: [],
};

function policyState(policies: NetworkPolicy[], enforcement = ON): PolicyState {
	return {policies, namespaces: [{name: 'default', labels: {'kubernetes.io/metadata.name': 'default'}}, {name: 'data', labels: {'kubernetes.io/metadata.name': 'data'}}], enforcement, error: null};
}

function mount(state: TuiState, columns = 110, rows = 34, env: NodeJS.ProcessEnv = {NO_COLOR: '1'}) {
	const store = fixtureStore(state);
	const commands: SessionCommand[] = [];
	const app = render(<App store={store} dispatch={c => commands.push(c)} columns={columns} rows={rows} onQuit={() => {}} theme={createTheme(env)} now={1_001_000} />);
	const frame = () => app.lastFrame() ?? '';
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			await settle();
		}
	};

	return {app, store, commands, frame, press};
}

async function selectWeb1(press: (...keys: string[]) => Promise<void>) {
	await press('/', 'web-1', '\r');
}

test('n under a deny-all policy: the policy, "isolated for ingress", nobody may reach it, egress everything, the enforcement line; esc closes', async () => {
	const {app, frame, press, commands} = mount({...fixtureState(), policy: policyState([denyAll])});
	await settle();
	await selectWeb1(press);
	await press('n');
	const f = frame();
	assert.match(f, /Policy default\/web-1/);
	assert.match(f, /enforced: true \(the lab's policy agent enforces NetworkPolicy/);
	assert.match(f, /Ingress: who may reach it/);
	assert.match(f, /isolated for ingress by default\/deny-all/);
	assert.match(f, /default\/deny-all: no ingress rules, so it allows nothing/);
	assert.match(f, /nothing: nobody may reach it/);
	assert.match(f, /Egress: whom it may reach/);
	assert.match(f, /everything: not isolated for egress/);
	assert.deepEqual(commands.at(-1), {type: 'policy-view'}, 'the session is asked to list every node\'s pods');
	await press(ESC);
	assert.doesNotMatch(frame(), /Policy default\/web-1/);
	assert.match(frame(), /Pods/);
	app.unmount();
});

test('n: who may reach it, grouped by namespace and labels, with the ports a rule limits it to; the rule in words', async () => {
	const {app, frame, press} = mount({...fixtureState(), policy: policyState([fromWeb2])});
	await settle();
	await selectWeb1(press);
	await press('n');
	const f = frame();
	assert.match(f, /isolated for ingress by default\/from-web-2/);
	assert.match(f, /default\/from-web-2 rule 0: from pods app=web-2 in namespace default, on 80\/TCP/);
	assert.match(f, /default {2}app=web-2 {2}\(web-2\) {2}on 80\/TCP/);
	assert.doesNotMatch(f, /db-0/, 'a pod no rule takes is not listed');
	app.unmount();
});

test('n before the policies are listed, and when they cannot be: said plainly', async () => {
	const waiting = mount({...fixtureState(), policy: null});
	await settle();
	await selectWeb1(waiting.press);
	await waiting.press('n');
	assert.match(waiting.frame(), /reading the NetworkPolicies…/);
	waiting.app.unmount();
	const failed = mount({...fixtureState(), policy: {...policyState([]), policies: null, error: {reason: 'NetworkPolicies: networkpolicies is forbidden', hint: 'ask for list/watch on networkpolicies'}}});
	await settle();
	await selectWeb1(failed.press);
	await failed.press('n');
	assert.match(failed.frame(), /networkpolicies is forbidden \(ask for list\/watch/);
	assert.match(failed.frame(), /the NetworkPolicies are not listed, so nothing can be said of this pod/);
	failed.app.unmount();
});

function pathWithPolicy(enforcement: Enforcement): OpenPath {
	const base = fixtureOpenPath(false);
	const state = fixtureState();
	const from = [...state.pods.values()].find(p => p.name === 'web-1')!;
	const to = [...state.pods.values()].find(p => p.name === 'far-away')!;
	const policy = pathPolicy({policies: [{...denyAll, podSelector: sel({app: 'far-away'})}], namespaces: null, from: policyPod(from), to: {kind: 'pod', pod: policyPod(to)}, flow: {proto: null, port: null}, enforcement});
	return {...base, document: withPolicy(base.document!, policy)};
}

test('the open path\'s policy hop: a row of its own, red when it blocks, with the deciding policy; e explains it with kubectl', async t => {
	const level = chalk.level;
	chalk.level = 1;
	t.after(() => {
		chalk.level = level;
	});
	const {app, frame, press} = mount({...fixtureState(), openPath: pathWithPolicy(ON)}, 150, 44, {});
	await settle();
	const plain = () => frame().replaceAll(/\u001B\[[0-9;]*m/g, '');
	assert.match(plain(), /default\/web-1 → default\/far-away: blocked/);
	const row = frame().split('\n').find(line => line.includes('policy  ingress of default/far-away')) ?? '';
	assert.match(row, /\u001B\[31m✗ {2}policy {2}ingress of default\/far-away on fake-node-3 {2}denied {2}by default\/deny-all/, 'the policy hop, in the error colour');
	assert.match(plain(), /default\/far-away is isolated for ingress by default\/deny-all, and no rule of it allows default\/web-1 on every TCP port/);
	await press('\t', 'e', '\u0004', '\u0004');
	assert.match(plain(), /# \d+\. ✗ policy: denied for every TCP port/);
	assert.match(plain(), /\$ kubectl get networkpolicy -n default deny-all -o yaml/);
	assert.match(plain(), /\$ kubectl get daemonsets -A/);
	assert.match(plain(), /= the lab's policy agent enforces NetworkPolicy/);
	app.unmount();
});

test('the policy hop where nothing enforces: "would deny", a warning mark, the path\'s own verdict, and the plain note', async () => {
	const {app, frame} = mount({...fixtureState(), openPath: pathWithPolicy(OFF)}, 140, 44);
	await settle();
	assert.match(frame(), /default\/web-1 → default\/far-away: reachable/);
	assert.match(frame(), /! {2}policy {2}ingress of default\/far-away on fake-node-3 {2}would deny {2}by default\/deny-all/);
	assert.match(frame(), /policy would deny, but this CNI does not enforce NetworkPolicy/);
	app.unmount();
});

test('? help lists n', async () => {
	const {app, frame, press} = mount(fixtureState());
	await settle();
	await press('?');
	assert.match(frame(), /n {16}policy view: the NetworkPolicies th/);
	app.unmount();
});

test('n: a namespace reached alike is one line; ipBlocks and rules without peers are listed with their ports; pods without an IP are not', async () => {
	const open: NetworkPolicy = {
		namespace: 'default',
		name: 'open-80',
		podSelector: sel({app: 'web-1'}),
		policyTypes: ['Ingress', 'Egress'],
		ingress: [{peers: [{podSelector: sel(), namespaceSelector: sel(), ipBlock: null}, {podSelector: null, namespaceSelector: null, ipBlock: {cidr: '10.0.0.0/8', except: ['10.1.0.0/16']}}], ports: [{protocol: 'TCP', port: 80, endPort: null}]}],
		egress: [{peers: [], ports: [{protocol: 'UDP', port: 53, endPort: null}]}],
	};
	const {app, frame, press} = mount({...fixtureState(), policy: policyState([open])}, 120, 40);
	await settle();
	await selectWeb1(press);
	await press('n');
	const f = frame();
	assert.match(f, /default {2}every pod {2}\(far-away, web-2\) {2}on 80\/TCP/);
	assert.match(f, /data {2}app=db-0 {2}\(db-0\) {2}on 80\/TCP/);
	assert.match(f, /ipBlock 10\.0\.0\.0\/8 except 10\.1\.0\.0\/16 {2}on 80\/TCP/);
	assert.match(f, /every address \(a rule with no to\) {2}on 53\/UDP/);
	assert.doesNotMatch(f, /pending-1/, 'a pod without an IP takes nothing yet');
	app.unmount();
});
