// `:ns`, `:node` and `:ctx` in the session, against a real two-node lab: each switch shows only
// what its new scope holds, joined with the right node's kernel; a bad switch is a notice and the
// screen stays as it was.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import yaml from 'js-yaml';
import type {TargetOptions} from '../../source/app/options.js';
import {createSession, type TuiSession} from '../../source/app/session.js';
import type {LabState} from '../../source/lab/lab-state.js';
import type {TuiState} from '../../source/store/tui-state.js';
import {kernelTruth, labDown, labUp} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {untilState} from './store-until.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nsenter', 'setpriv'], files: ['/usr/lib/cni/bridge']});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-switch-'));
let session: TuiSession | null = null;

after(async () => {
	await session?.stop();
	if (!skip) await labDown();
	rmSync(dir, {recursive: true, force: true});
});

function until(predicate: (s: TuiState) => boolean, what: string, timeoutMs = 30_000): Promise<TuiState> {
	return untilState(session!.store, predicate, what, timeoutMs, s => `node ${s.node}, ns ${s.namespace}, notice ${s.notice}, ${s.pods.size} pods`);
}

/** Every lab pod of `node` (and `namespace`) is on screen and resolved to the veth its node's kernel names. */
function showsExactly(lab: LabState, node: string, namespace: string | null) {
	const wanted = lab.pods.filter(p => p.node === node && p.kind === 'normal' && (namespace === null || p.namespace === namespace));
	return (s: TuiState) =>
		s.node === node &&
		s.pods.size === wanted.length &&
		wanted.every(p => s.paths.get(p.uid)?.status === 'resolved');
}

test(':ns, :node and :ctx switch the session; bad ones are notices', {skip}, async () => {
	const lab = await labUp(['--nodes', '2', '--overlay', 'vxlan', '--pods', '3', '--namespaces', 'default,lab']);
	// A second context for the same cluster, as a kubeconfig with two of them.
	const config = yaml.load(readFileSync(lab.kubeconfig, 'utf8')) as {contexts: Array<{name: string; context: Record<string, unknown>}>};
	config.contexts.push({name: 'second', context: {...config.contexts[0]!.context, namespace: 'lab'}});
	const kubeconfig = join(dir, 'kubeconfig');
	writeFileSync(kubeconfig, yaml.dump(config), {mode: 0o600});
	const options: TargetOptions = {kubeconfig, context: undefined, namespace: undefined, allNamespaces: false, selector: undefined, node: undefined, allNodes: false, nodeSsh: undefined, nodeExec: undefined, debug: false};
	session = createSession(options);
	await session.start();
	const first = await until(showsExactly(lab, 'k8snet-lab', null), 'node 1 and its pods');
	assert.deepEqual([...first.names.contexts].sort(), [config.contexts[0]!.name, 'second'].sort());
	assert.deepEqual([...first.names.nodes].sort(), ['k8snet-lab', 'k8snet-lab-m02']);
	await until(s => s.names.namespaces.includes('lab') && s.names.namespaces.includes('default'), 'the namespaces for tab');

	session.dispatch({type: 'switch', to: {kind: 'namespace', name: 'lab'}});
	await until(s => s.namespace === 'lab' && showsExactly(lab, 'k8snet-lab', 'lab')(s), 'only namespace lab');
	session.dispatch({type: 'switch', to: {kind: 'namespace', name: null}});
	await until(s => s.namespace === null && showsExactly(lab, 'k8snet-lab', null)(s), 'every namespace again');

	session.dispatch({type: 'switch', to: {kind: 'node', name: 'k8snet-lab-m02'}});
	const second = await until(showsExactly(lab, 'k8snet-lab-m02', null), 'node 2 and its pods');
	assert.deepEqual(second.access, {kind: 'lab', target: lab.nodes![1]!.netns});
	for (const pod of lab.pods.filter(p => p.node === 'k8snet-lab-m02' && p.kind === 'normal')) {
		const path = second.paths.get(pod.uid)!;
		const links = JSON.parse((await import('node:child_process')).execFileSync('ip', ['-n', lab.nodes![1]!.netns, '-j', 'link'], {encoding: 'utf8'})) as Array<{ifindex: number; ifname: string}>;
		const truth = kernelTruth(pod.netnsPath!);
		assert.equal(path.peer?.ifname, links.find(l => l.ifindex === truth.linkIndex)?.ifname, `${pod.name}: the peer in node 2's namespace`);
	}

	session.dispatch({type: 'switch', to: {kind: 'node', name: 'nope'}});
	const refused = await until(s => /^no node nope: the nodes are k8snet-lab, k8snet-lab-m02$/.test(s.notice ?? ''), 'a notice for an unknown node');
	assert.equal(refused.node, 'k8snet-lab-m02', 'the screen stays on node 2');

	session.dispatch({type: 'switch', to: {kind: 'context', name: 'nope'}});
	await until(s => /^context nope: context "nope" does not exist/.test(s.notice ?? ''), 'a notice for an unknown context');

	session.dispatch({type: 'switch', to: {kind: 'context', name: 'second'}});
	const switched = await until(s => s.context === 'second' && showsExactly(lab, 'k8snet-lab', null)(s), 'context second, back on node 1');
	assert.equal(switched.notice, 'context: second');
	await session.stop();
	session = null;
});
