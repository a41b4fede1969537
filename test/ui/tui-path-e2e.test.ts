// End-to-end: the path between two pods in the TUI, in a real pty (120×40) against a two-node VXLAN
// lab. Pick a pod, `p`, type the peer's name, enter: the cross-node hops (flannel.1, the underlay)
// show reachable; `lab fault add veth-down` on the peer turns its host veth ✗ with the problem
// within a couple of polls, and `lab fault clear` turns it ✓ again. Runs the shipped bundle.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {readLabState, type LabPod} from '../../source/lab/lab-state.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {lab} from '../lab/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {filterToOnePod, quitCleanly} from './pty-steps.js';
import {startCli, type PtyScreen} from './pty-screen.js';
import {processesInSession} from './session-processes.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
let screen: PtyScreen | null = null;
aroundLabSuite(skip, async () => screen?.kill('SIGKILL'));

/** Two polls (2 s each) and the facts read, with 2× slack for these machines. */
const TWO_POLLS_MS = 12_000;

const ref = (pod: LabPod) => `${pod.namespace}/${pod.name}`;

/** The Path pane's line for the peer's host veth (the second host-veth hop, on the peer's node). */
function peerVethLine(text: string, node: string): string | undefined {
	return text.split('\n').filter(line => line.includes(`${node}  host-veth`))[0];
}

test('the TUI path to a peer on another node: flannel.1 hops reachable; veth-down turns the peer\'s veth ✗ with its problem; clear turns it ✓', {skip}, async () => {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const up = await lab(['up', '--nodes', '2', '--overlay', 'vxlan', '--pods', '2'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const state = readLabState()!;
	const [n1, n2] = state.nodes!;
	const a = state.pods.find(p => p.kind === 'normal' && p.node === n1!.name)!;
	const b = state.pods.find(p => p.kind === 'normal' && p.node === n2!.name)!;
	assert.ok(a && b, 'a normal pod on each node');

	const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-path-e2e-'));
	const stderrFile = join(dir, 'stderr');
	try {
		const s = startCli(['--kubeconfig', state.kubeconfig, '--node', n1!.name], {columns: 120, rows: 40, entry: 'bundle', stderrFile});
		screen = s;
		await s.waitFor(text => text.includes(ref(a)) && /veth/.test(text), 20_000, `${ref(a)} with its veth`);
		await filterToOnePod(s, a.name);

		s.write('p');
		await s.waitFor(text => text.includes(`Path from ${ref(a)} to`), 5000, 'the peer picker');
		s.write(b.name);
		// The picker lists every node's pods (listed when it opened): the peer on node 2 is there.
		await s.waitFor(text => new RegExp(`› ${ref(b)}\\s+${b.ip!.replaceAll('.', '\\.')}\\s+${n2!.name}`).test(text), 10_000, `${ref(b)} on ${n2!.name} under the cursor`);
		const sid = s.pty.pid;
		s.write('\r');

		const reachable = `${ref(a)} → ${ref(b)}: reachable`;
		// A frame is written in pieces: wait for the whole path, the peer's hops at its end included.
		const crossing = [
			new RegExp(`✓  ${n1!.name}  vxlan  flannel\\.1  \\S+  mtu 1450`),
			new RegExp(`✓  ${n1!.name}  underlay  eth0`),
			new RegExp(`✓  ${n2!.name}  vxlan  flannel\\.1`),
		];
		await s.waitFor(text => text.includes(reachable) && crossing.every(hop => hop.test(text)) && /✓ .* UP/.test(peerVethLine(text, n2!.name) ?? ''), 20_000, 'the path, reachable, through flannel.1 and the underlay');
		const running = processesInSession(sid);

		assert.equal((await lab(['fault', 'add', 'veth-down', ref(b)], {}, 'bundle')).code, 0);
		const brokenAt = Date.now();
		await s.waitFor(t => t.includes(`${ref(a)} → ${ref(b)}: broken`) && /✗/.test(peerVethLine(t, n2!.name) ?? ''), TWO_POLLS_MS, 'the peer\'s host veth ✗');
		console.log(`veth-down shown after ${Date.now() - brokenAt} ms`);
		const broken = s.lines();
		const at = broken.findIndex(line => line.includes(`${n2!.name}  host-veth`));
		assert.match(broken[at] ?? '', /✗ .* DOWN/);
		assert.match(broken[at + 1] ?? '', /is down/, 'its problem, under the hop');

		assert.equal((await lab(['fault', 'clear', 'veth-down', ref(b)], {}, 'bundle')).code, 0);
		const clearedAt = Date.now();
		await s.waitFor(t => t.includes(reachable) && /✓ .* UP/.test(peerVethLine(t, n2!.name) ?? ''), TWO_POLLS_MS, 'the peer\'s host veth ✓ again');
		console.log(`clear shown after ${Date.now() - clearedAt} ms`);

		// e: every hop's evidence; esc twice: back to the pod's own path.
		s.write('e');
		await s.waitFor(t => t.includes(`Explain ${ref(a)} → ${ref(b)}`) && /\$ /.test(t), 5000, 'the path explained');
		s.write('\u001B');
		await s.waitFor(t => t.includes('Path to peer'), 5000, 'explain closed');
		s.write('\u001B');
		await s.waitFor(t => !t.includes('Path to peer') && /veth pair/.test(t), 5000, 'the pod\'s own path again');

		await quitCleanly(s, sid, running, stderrFile);
	} finally {
		screen?.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	}
});
