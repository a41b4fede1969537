// End-to-end: the two-point capture in the TUI, in a real pty at 80×24 against a two-node VXLAN lab.
// Pick a pod, `p`, the peer on the other node, enter; `t` in the path view: both streams (A's host
// veth on node 1, B's on node 2) stacked, each with the cross-node ping's echo requests, and the
// counter line naming both hops. `2` `c` moves stream 2 along the path; esc stops both tcpdumps.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
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

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter', 'tcpdump', 'ping', 'setpriv'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
let screen: PtyScreen | null = null;
let pinger: ReturnType<typeof spawn> | null = null;
aroundLabSuite(skip, async () => {
	screen?.kill('SIGKILL');
	pinger?.kill('SIGKILL');
});

const ref = (pod: LabPod) => `${pod.namespace}/${pod.name}`;

test('the TUI two-point capture at 80×24: t in the path view shows both streams stacked and the counter naming both hops; esc stops both', {skip}, async () => {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const up = await lab(['up', '--nodes', '2', '--overlay', 'vxlan', '--pods', '2'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const state = readLabState()!;
	const [n1, n2] = state.nodes!;
	const a = state.pods.find(p => p.kind === 'normal' && p.node === n1!.name)!;
	const b = state.pods.find(p => p.kind === 'normal' && p.node === n2!.name)!;
	pinger = spawn('nsenter', [`--net=${a.netnsPath!}`, 'ping', '-n', '-q', '-i', '0.3', b.ip!], {stdio: 'ignore'});

	const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-twopoint-e2e-'));
	const stderrFile = join(dir, 'stderr');
	try {
		const s = startCli(['--kubeconfig', state.kubeconfig, '--node', n1!.name], {columns: 80, rows: 24, entry: 'bundle', stderrFile});
		screen = s;
		await s.waitFor(text => text.includes(a.name) && /veth/.test(text), 20_000, `${ref(a)} with its veth`);
		await filterToOnePod(s, a.name);
		s.write('p');
		await s.waitFor(text => text.includes('Path from'), 5000, 'the peer picker');
		s.write(b.name);
		await s.waitFor(text => text.includes(`› ${ref(b)}`), 10_000, `${ref(b)} under the cursor`);
		const sid = s.pty.pid;
		s.write('\r');
		await s.waitFor(text => text.includes(': reachable'), 20_000, 'the path, reachable');
		const before = processesInSession(sid);

		s.write('t');
		const counter = /sent at 1 \(A host veth \S+ on \S+\),\s*║?\s*║?not seen at 2 \(B host veth \S+ on \S+\): \d+ in the last \d+ s/;
		await s.waitFor(
			text => counter.test(text) && /▶ 1 A host veth \S+ on /.test(text) && /2 B host veth \S+ on /.test(text) && (text.match(/ICMP echo re/g) ?? []).length >= 8,
			20_000,
			'both streams with echo requests, and the counter',
		);
		const lines = s.lines();
		const one = lines.findIndex(l => /1 A host veth/.test(l));
		const two = lines.findIndex(l => /2 B host veth/.test(l));
		assert.ok(one >= 0 && two > one, 'stacked: stream 2 below stream 1 at 80 columns');
		assert.ok(lines.slice(one + 1, two).filter(l => l.includes('ICMP echo re')).length >= 4, lines.join('\n'));
		assert.ok(lines.slice(two + 1).filter(l => l.includes('ICMP echo re')).length >= 4, lines.join('\n'));
		assert.ok(lines.some(l => l.includes(n1!.name) && l.includes('A host veth')) && lines.some(l => l.includes(n2!.name) && l.includes('B host veth')), 'each hop on its node');
		// The streams follow: the newest line of stream 1 changes as the ping goes on.
		const newest = lines.slice(one + 1, two).filter(l => l.includes('ICMP')).at(-1)!;
		await s.waitFor(text => {
			const now = text.split('\n');
			const at = now.findIndex(l => /1 A host veth/.test(l));
			const end = now.findIndex(l => /2 B host veth/.test(l));
			const last = now.slice(at + 1, end).filter(l => l.includes('ICMP')).at(-1);
			return last !== undefined && last !== newest;
		}, 5000, 'stream 1 following its newest packets');
		const tcpdumps = processesInSession(sid).filter(p => p.includes('tcpdump'));
		assert.ok(tcpdumps.length >= 2, `two tcpdumps: ${tcpdumps.join('; ')}`);

		s.write('2');
		s.write('c');
		await s.waitFor(text => /▶ 2 bridge cni0 on /.test(text), 10_000, 'stream 2 moved to the next hop');

		s.write('\u001B');
		await s.waitFor(text => !text.includes('two-point capture') && text.includes(': reachable'), 5000, 'back to the path');
		await quitCleanly(s, sid, before, stderrFile);
	} finally {
		screen?.kill('SIGKILL');
		pinger?.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	}
});
