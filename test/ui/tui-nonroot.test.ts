// Without root the TUI says "heuristic" where it shows a heuristic row, as the README promises:
// the shipped bundle in a real pty, run as uid 65534 inside the lab's node netns, where it cannot
// enter pod namespaces and maps pods from routes, neighbours and the bridge fdb instead.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import type {LabState} from '../../source/lab/lab-state.js';
import {labDown, labUp} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {ROOT, startCli, type PtyScreen} from './pty-screen.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'setpriv', 'ping'], files: [`${ROOT}dist/cli.js`]});

let lab: LabState;
let dir: string;
const screens = new Set<PtyScreen>();

before(async () => {
	if (skip) return;
	lab = await labUp(['--pods', '3']);
	dir = mkdtempSync('/tmp/k8snet-tui-nonroot-');
	chmodSync(dir, 0o755);
	copyFileSync(lab.kubeconfig, `${dir}/kubeconfig`);
	chmodSync(`${dir}/kubeconfig`, 0o644);
	// The node talks to each pod once (inside the lab only), so it has a neighbour entry for it.
	for (const pod of lab.pods) if (pod.ip) execFileSync('ip', ['netns', 'exec', lab.nodeNetns, 'ping', '-c1', '-W1', pod.ip]);
});

after(async () => {
	for (const s of screens) s.kill('SIGKILL');
	if (dir) rmSync(dir, {recursive: true, force: true});
	if (!skip) await labDown();
});

test('as non-root, each heuristic row says "heuristic", and the path says what root would add', {skip}, async () => {
	const pods = lab.pods.filter(pod => pod.kind === 'normal' && pod.ip !== null);
	assert.ok(pods.length >= 2, 'the lab has normal pods');
	const s = startCli(['--kubeconfig', `${dir}/kubeconfig`], {
		columns: 160,
		rows: 40,
		entry: 'bundle',
		prefix: ['ip', 'netns', 'exec', lab.nodeNetns, 'setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', 'env', `HOME=${dir}`],
	});
	screens.add(s);
	const row = (text: string, pod: {namespace: string; name: string}) => text.split('\n').find(line => line.includes(`${pod.namespace}/${pod.name} `)) ?? '';
	await s.waitFor(text => text.includes('non-root') && pods.every(pod => /veth/.test(row(text, pod))), 30_000, 'every lab pod with its peer, as non-root');
	for (const pod of pods) assert.match(row(s.text(), pod), /\bheuristic\b/, `the row of ${pod.namespace}/${pod.name}`);
	// The Path pane (the left box of the lower band) wraps its note: read it as one text.
	const pathPane = (text: string) => text.split('\n').map(line => /^│(.*?)│/.exec(line)?.[1] ?? '').join(' ').replace(/\s+/g, ' ');
	await s.waitFor(text => /heuristic: inferred from the node's routes, neighbours and bridge fdb\. As root it would read eth0 inside the pod's netns/.test(pathPane(text)), 10_000, 'the Path pane\'s note');
	s.write('q');
	assert.equal((await s.exited).exitCode, 0);
});
