// The session's policy watch with its sources stood in for: what the watches report reaches the
// store as `policy`, the open path gets its policy verdict (re-judged when a policy comes or goes),
// enforcement follows the DaemonSets and the node's CNI, and nothing lands after stop.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {KubeTarget} from '../../source/cluster/kube-target.js';
import type {WatchHandlers} from '../../source/cluster/list-watch.js';
import {createPolicyWatch, type PolicySources} from '../../source/app/policy-view-session.js';
import type {NetworkPolicy, PolicyNamespace} from '../../source/core/policy/types.js';
import type {DaemonSetFacts} from '../../source/core/policy-enforcement.js';
import type {Result} from '../../source/core/types.js';
import {createStore} from '../../source/store/store.js';
import type {TuiState} from '../../source/store/tui-state.js';
import {fixtureState} from './tui-fixture.js';
import {fixtureOpenPath} from './path-fixture.js';

const tick = () => new Promise(resolve => setImmediate(resolve));
const denyAll: NetworkPolicy = {namespace: 'default', name: 'deny-all', podSelector: {matchLabels: {}, matchExpressions: []}, policyTypes: ['Ingress'], ingress: [], egress: []};

function fakeSources(daemonSets: Result<DaemonSetFacts[]>) {
	const handlers: {policies?: WatchHandlers<NetworkPolicy>; namespaces?: WatchHandlers<PolicyNamespace>} = {};
	let stopped = 0;
	const sources: PolicySources = {
		watchPolicies: (_t, h) => {
			handlers.policies = h;
			return {stop: () => stopped++};
		},
		watchNamespaces: (_t, h) => {
			handlers.namespaces = h;
			return {stop: () => stopped++};
		},
		listDaemonSets: async () => daemonSets,
	};
	return {handlers, sources: async () => sources, stopped: () => stopped};
}

function setup(daemonSets: Result<DaemonSetFacts[]>) {
	const store = createStore<TuiState>(fixtureState(), 0);
	const set = (patch: Partial<TuiState>) => store.update(s => ({...s, ...patch}));
	const fake = fakeSources(daemonSets);
	const watch = createPolicyWatch({getState: store.getSnapshot, set, podByUid: uid => store.getSnapshot().pods.get(uid), nodes: () => []}, fake.sources);
	return {store, watch, ...fake};
}

const agent: DaemonSetFacts = {namespace: 'kube-system', name: 'k8snet-lab-policy-agent', containers: []};

test('policies from the watch reach the store, and the open path is judged by them as they change', async () => {
	const {store, watch, handlers} = setup({ok: true, value: [agent]});
	watch.start({} as KubeTarget);
	await tick();
	await tick();
	assert.equal(store.getSnapshot().policy?.enforcement.enforced, true);
	watch.showPath(fixtureOpenPath(false));
	// Not listed yet: unknown, never a guess.
	assert.equal(store.getSnapshot().openPath?.document?.verdict, 'unknown');
	handlers.policies!.onReplace([]);
	handlers.namespaces!.onReplace([{name: 'default', labels: {}}]);
	assert.equal(store.getSnapshot().openPath?.document?.verdict, 'reachable');
	assert.equal(store.getSnapshot().openPath?.document?.policy?.verdict, 'allowed');
	handlers.policies!.onUpsert(denyAll);
	assert.deepEqual(store.getSnapshot().policy?.policies?.map(p => p.name), ['deny-all']);
	const blocked = store.getSnapshot().openPath?.document;
	assert.equal(blocked?.verdict, 'blocked');
	assert.deepEqual(blocked?.policy?.decidedBy, [{namespace: 'default', name: 'deny-all', direction: 'ingress', rule: null}]);
	handlers.policies!.onDelete('default/deny-all');
	assert.equal(store.getSnapshot().openPath?.document?.verdict, 'reachable');
	watch.stop();
});

test('no policy engine and the bridge CNI: not enforced, so a deny leaves the path reachable with the note; a watch that fails is said', async () => {
	const {store, watch, handlers} = setup({ok: true, value: []});
	watch.start({} as KubeTarget);
	await tick();
	await tick();
	handlers.policies!.onReplace([denyAll]);
	watch.showPath(fixtureOpenPath(false));
	assert.equal(store.getSnapshot().policy?.enforcement.enforced, false, 'the fixture node is the bridge CNI');
	assert.equal(store.getSnapshot().openPath?.document?.verdict, 'reachable');
	assert.match(store.getSnapshot().openPath?.document?.policy?.note ?? '', /^policy would deny, but this CNI does not enforce NetworkPolicy/);
	handlers.policies!.onStatus({connected: false, reason: 'networkpolicies is forbidden', hint: 'ask for list/watch on networkpolicies'});
	assert.equal(store.getSnapshot().policy?.error?.reason, 'NetworkPolicies: networkpolicies is forbidden');
	watch.stop();
});

test('after stop (or a restart for another target) nothing the old watches say lands', async () => {
	const {store, watch, handlers, stopped} = setup({ok: true, value: []});
	watch.start({} as KubeTarget);
	await tick();
	await tick();
	const old = handlers.policies!;
	watch.stop();
	assert.equal(stopped(), 2, 'both watches ended');
	const before = store.getSnapshot();
	old.onReplace([denyAll]);
	assert.equal(store.getSnapshot(), before);
});
