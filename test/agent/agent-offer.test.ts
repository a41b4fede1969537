// "press A": without --agent, a node that no access reaches from here (not this host, not the
// machine's running lab, no ssh or exec flag, no kind/minikube container) makes the session say so
// and offer an agent pod; the `start-agent` command (what A dispatches) reaches the node through
// one, and the panes fill: the pod's path resolved as the kernel wired it. The cluster is an
// in-process lab API whose node is a netns of this test's own, with one pod netns wired into it;
// that API is not the machine's lab, so the lab shell never reaches its node. Makes netns: run
// under the machine lock.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import type {TargetOptions} from '../../source/app/options.js';
import {createSession, type TuiSession} from '../../source/app/session.js';
import {MANAGED_BY, MANAGED_BY_LABEL} from '../../source/cluster/agent-pod-spec.js';
import {COMMANDS} from '../../source/ui/keys.js';
import type {TuiState} from '../../source/store/tui-state.js';
import {needs} from '../support/prerequisites.js';
import {type Fixture, labPod, labState, startFixture} from '../lab-api/lab-api-fixture.js';
import {untilState} from '../ui/store-until.js';
import {kubectlFor} from './kubectl.js';

const skip = needs({root: true, tools: ['kubectl', 'openssl', 'ip', 'nsenter', 'setpriv']});
const NODE_NS = `k8snet-offer-node-${process.pid}`;
const POD_NS = `k8snet-offer-pod-${process.pid}`;
const POD_IP = '10.251.7.2';
let f: Fixture;
let session: TuiSession | null = null;
const kubectl = kubectlFor(() => f.server.kubeconfigPath, () => join(f.dir, 'kube-cache'));

before(async () => {
	if (skip) return;
	execFileSync('ip', ['netns', 'add', NODE_NS]);
	execFileSync('ip', ['netns', 'add', POD_NS]);
	execFileSync('ip', ['-n', NODE_NS, 'link', 'add', 'voffer0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', POD_NS]);
	execFileSync('ip', ['-n', POD_NS, 'addr', 'add', `${POD_IP}/24`, 'dev', 'eth0']);
	execFileSync('ip', ['-n', POD_NS, 'link', 'set', 'eth0', 'up']);
	execFileSync('ip', ['-n', NODE_NS, 'link', 'set', 'voffer0', 'up']);
	const pod = {...labPod('default', 'web-0', 0), ip: POD_IP, ips: [POD_IP], netnsPath: `/run/netns/${POD_NS}`, netnsName: POD_NS};
	// One API-only node besides: nothing reaches it, so `:node` to it offers an agent.
	const state = labState([pod], {namespaces: ['default'], fakeNodes: 1});
	state.nodeNetns = NODE_NS;
	f = await startFixture(state);
});

after(async () => {
	await session?.stop();
	await f?.close();
	for (const ns of [POD_NS, NODE_NS]) execFileSync('ip', ['netns', 'del', ns], {stdio: 'ignore'});
});

function until(predicate: (s: TuiState) => boolean, what: string, timeoutMs = 30_000): Promise<TuiState> {
	return untilState(session!.store, predicate, what, timeoutMs, s => JSON.stringify({phase: s.phase, failure: s.failure, agentOffer: s.agentOffer, access: s.access, notice: s.notice, pods: s.pods.size, paths: [...s.paths.values()].map(p => p.status)}));
}

function options(): TargetOptions {
	return {kubeconfig: f.server.kubeconfigPath, context: undefined, namespace: undefined, allNamespaces: false, selector: undefined, node: 'k8snet-lab', allNodes: false, nodeSsh: undefined, nodeExec: undefined, debug: false};
}

const agents = async () => (await kubectl(['get', 'pods', '-A', '-l', `${MANAGED_BY_LABEL}=${MANAGED_BY}`, '-o', 'jsonpath={.items[*].metadata.name}'])).out.trim();

test('A is a key of the registry, bound once', () => {
	assert.deepEqual(COMMANDS['agent.start'].keys, ['A']);
	const bound = Object.entries(COMMANDS).filter(([, spec]) => spec.keys.includes('A') && (spec.scope === 'global' || spec.scope === COMMANDS['agent.start'].scope));
	assert.deepEqual(bound.map(([id]) => id), ['agent.start']);
});

test('an unreachable node: the session offers an agent pod, and start-agent (A) reaches the node through one and fills the panes', {skip}, async () => {
	session = createSession(options());
	await session.start();
	const offered = await until(s => s.phase === 'failed', 'the start to fail');
	assert.equal(offered.failure?.reason, 'node k8snet-lab is not reachable from here — press A to start an agent pod on it');
	assert.match(offered.failure?.hint ?? '', /--node-ssh/);
	assert.equal(offered.agentOffer, 'k8snet-lab');
	assert.equal(await agents(), '', 'nothing is started before the user says so');

	session.dispatch({type: 'start-agent'});
	const ready = await until(s => s.phase === 'ready' && s.access?.kind === 'agent' && [...s.paths.values()].some(p => p.status === 'resolved'), 'the node through an agent, the pod resolved', 60_000);
	const path = [...ready.paths.values()].find(p => p.name === 'web-0')!;
	assert.equal(path.peer?.ifname, 'voffer0', 'the host peer the kernel wired');
	assert.equal(ready.agentOffer, null);
	assert.equal(ready.failure, null);
	assert.match(await agents(), /^k8snet-agent-k8snet-lab-\w{5}$/);

	// `:node` to a node nothing reaches: a notice with the offer, and the screen stays as it was.
	session.dispatch({type: 'switch', to: {kind: 'node', name: 'k8snet-lab-fake-1'}});
	const switched = await until(s => s.agentOffer === 'k8snet-lab-fake-1', 'the offer for the unreachable node');
	assert.match(switched.notice ?? '', /^node k8snet-lab-fake-1 is not reachable from here — press A to start an agent pod on it/);
	assert.equal(switched.node, 'k8snet-lab');
	assert.ok([...switched.paths.values()].some(p => p.name === 'web-0' && p.status === 'resolved'), 'the panes keep their node');

	await session.stop();
	session = null;
	assert.equal(await agents(), '', 'stop deletes the agent pod');
});
