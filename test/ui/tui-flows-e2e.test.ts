// End-to-end: the Flows section in a real pty (200×50) against a lab with kube-proxy's iptables
// rules and a Service. nginx-1 connects to the ClusterIP; F on nginx-1 shows the flow in the
// cluster's words, enter starts a capture whose filter is that flow's tuple at the pod's veth,
// esc twice closes the capture and Flows, q quits leaving nothing behind. Runs the shipped bundle.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {readLabState} from '../../source/lab/lab-state.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {lab} from '../lab/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {filterToOnePod, quitCleanly} from './pty-steps.js';
import {startCli, type PtyScreen} from './pty-screen.js';
import {processesInSession} from './session-processes.js';

const exec = promisify(execFile);
const skip = needs({root: true, tools: ['ip', 'bridge', 'nsenter', 'iptables-restore', 'conntrack', 'tcpdump', 'bash'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
let screen: PtyScreen | null = null;
aroundLabSuite(skip, async () => screen?.kill('SIGKILL'));

test('F on a pod lists its flow to a Service as conntrack has it; enter captures that flow; esc closes', {skip}, async () => {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	for (const args of [['up', '--proxy', 'iptables', '--pods', '3', '--namespaces', 'default'], ['svc', 'add', 'default/web', '--port', '8080', '--target-port', '80', '--selector', 'app=nginx']]) {
		const r = await lab(args, {}, 'bundle');
		assert.equal(r.code, 0, r.stderr);
	}

	const state = readLabState()!;
	const client = state.pods.find(p => p.name === 'nginx-1')!;
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-flows-e2e-'));
	const stderrFile = join(dir, 'stderr');
	try {
		const s = startCli(['--kubeconfig', state.kubeconfig, '--node', state.node], {columns: 200, rows: 50, entry: 'bundle', stderrFile});
		screen = s;
		await s.waitFor(text => text.includes('default/nginx-1') && /veth/.test(text), 20_000, 'nginx-1 with its veth');
		await filterToOnePod(s, 'nginx-1');
		const sid = s.pty.pid;

		// TIME_WAIT keeps the entry for 120 s: long past the next poll.
		const answer = await exec('nsenter', [`--net=${client.netnsPath}`, '--', 'timeout', '3', 'bash', '-c', 'exec 3<>/dev/tcp/10.96.0.10/8080 && cat <&3'], {timeout: 6000});
		const served = state.pods.find(p => `${p.namespace}/${p.name}` === answer.stdout.trim())!;
		assert.ok(served, `an endpoint answered: ${answer.stdout}`);

		s.write('F');
		const ipRe = served.ip!.replaceAll('.', '\\.');
		const line = new RegExp(`nginx-1 → svc/web:8080 → served by ${served.name} \\(${ipRe}\\) \\[tcp [A-Z_]+\\]  dnat → ${ipRe}:80`);
		await s.waitFor(text => text.includes('Flows of default/nginx-1') && line.test(text), 10_000, 'the flow to svc/web');
		// The kernel's order is the table's: the lab's own traffic may list first. Move onto the flow.
		const rows = s.lines().filter(l => l.includes(' → ') && !/orig {2}|reply /.test(l));
		const delta = rows.findIndex(l => line.test(l)) - rows.findIndex(l => l.includes('› '));
		for (let i = 0; i < Math.abs(delta); i++) s.write(delta > 0 ? 'j' : 'k');
		await s.waitFor(text => new RegExp(`› ${line.source}`).test(text), 5000, 'the flow to svc/web under the cursor');
		const orig = /orig {2}tcp (\S+):(\d+) → 10\.96\.0\.10:8080/.exec(s.lines().join('\n'));
		assert.ok(orig, 'the selected flow\'s original tuple');
		assert.equal(orig[1], client.ip);
		const running = processesInSession(sid);

		s.write('\r');
		const filter = `src host ${client.ip} and src port ${orig[2]} and dst host 10.96.0.10 and dst port 8080`;
		await s.waitFor(text => text.includes(filter) && text.includes('capture ▼ following default/nginx-1 @ host peer'), 15_000, 'the capture pane with the flow\'s filter');

		s.write('\u001B');
		await s.waitFor(text => !text.includes(filter), 5000, 'the capture closed');
		s.write('\u001B');
		await s.waitFor(text => !text.includes('Flows of default/nginx-1') && /veth pair/.test(text), 5000, 'Flows closed, the path back');

		await quitCleanly(s, sid, running, stderrFile);
	} finally {
		screen?.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	}
});
