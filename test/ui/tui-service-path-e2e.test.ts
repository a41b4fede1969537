// End-to-end: a path to a Service in the TUI, in a real pty (120×40) against a two-node VXLAN lab
// with kube-proxy's iptables rules. `p`, type the Service's name: the picker lists it beside the
// pods; enter: the path goes through a `service` hop on A's node to an endpoint; `P` probes: the
// kernel's answer (the endpoint pod names itself) and the conntrack entry agree on who served it.
// Runs the shipped bundle.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
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

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter', 'iptables-restore', 'iptables-save', 'conntrack'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
let screen: PtyScreen | null = null;
aroundLabSuite(skip, async () => screen?.kill('SIGKILL'));

const ref = (pod: LabPod) => `${pod.namespace}/${pod.name}`;

/** The host end of the pod's veth, as the kernel says: eth0's peer index, looked up in the node's netns. */
function hostVeth(pod: LabPod, nodeNetns: string): string {
	const eth0 = execFileSync('nsenter', [`--net=${pod.netnsPath}`, '--', 'ip', '-o', 'link', 'show', 'eth0'], {encoding: 'utf8'});
	const index = /eth0@if(\d+)/.exec(eth0)?.[1];
	const links = execFileSync('ip', ['-n', nodeNetns, '-o', 'link'], {encoding: 'utf8'});
	const name = new RegExp(`^${index}: ([^@:]+)`, 'm').exec(links)?.[1];
	assert.ok(name, `the host veth of ${ref(pod)} (peer index ${index})`);
	return name;
}

test('the TUI path to a Service: picked in the picker, a service hop on A\'s node, P probes and names the endpoint conntrack saw', {skip}, async () => {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const up = await lab(['up', '--nodes', '2', '--overlay', 'vxlan', '--proxy', 'iptables', '--pods', '2', '--namespaces', 'default'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const svc = await lab(['svc', 'add', 'default/web', '--port', '8080', '--target-port', '80', '--selector', 'app=nginx'], {}, 'bundle');
	assert.equal(svc.code, 0, svc.stderr);
	const state = readLabState()!;
	const web = state.services!.find(s => s.name === 'web')!;
	const [n1] = state.nodes!;
	const a = state.pods.find(p => p.kind === 'normal' && p.node === n1!.name)!;
	const names = new Set(state.pods.map(ref));

	const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-svc-e2e-'));
	const stderrFile = join(dir, 'stderr');
	try {
		const s = startCli(['--kubeconfig', state.kubeconfig, '--node', n1!.name], {columns: 120, rows: 40, entry: 'bundle', stderrFile});
		screen = s;
		await s.waitFor(text => text.includes(ref(a)) && /veth/.test(text), 20_000, `${ref(a)} with its veth`);
		await filterToOnePod(s, a.name);

		s.write('p');
		await s.waitFor(text => text.includes(`Path from ${ref(a)} to`), 5000, 'the peer picker');
		s.write('svc/default/web');
		await s.waitFor(text => new RegExp(`› svc/default/web:8080\\s+${web.clusterIP.replaceAll('.', '\\.')}\\s+Service`).test(text), 10_000, 'the Service under the cursor');
		const sid = s.pty.pid;
		s.write('\r');

		const title = `${ref(a)} → svc/default/web:8080: reachable`;
		await s.waitFor(text => text.includes(title) && new RegExp(`✓  ${n1!.name}  service  svc/default/web:8080  iptables`).test(text), 20_000, 'the path, reachable, through the service hop');
		const running = processesInSession(sid);

		s.write('P');
		await s.waitFor(text => /probe: connected in \d+ ms/.test(text) && /conntrack: /.test(text), 15_000, 'the probe\'s answer and its conntrack entry');
		const lines = s.lines();
		const at = lines.findIndex(l => l.includes('probe: connected'));
		const m = /served by (\S+) \(([\d.]+):80\)/.exec(lines[at] ?? '');
		assert.ok(m, `the probe names who served it: ${lines[at]}`);
		assert.match(lines[at + 1] ?? '', new RegExp(`answer "${m[1]}"`), 'the endpoint conntrack names is the pod that answered');
		assert.ok(names.has(m[1]!), `${m[1]} is a lab pod`);
		assert.equal(state.pods.find(p => ref(p) === m[1])?.ip, m[2]);
		// The walk now ends at the endpoint the kernel chose: its host veth is on the path.
		const chosen = state.pods.find(p => ref(p) === m[1])!;
		const veth = hostVeth(chosen, state.nodes!.find(n => n.name === (chosen.node ?? n1!.name))!.netns);
		await s.waitFor(text => new RegExp(`✓  ${chosen.node ?? n1!.name}  host-veth  ${veth}  UP`).test(text), 12_000, `the path to the chosen endpoint, through its host veth ${veth}`);

		await quitCleanly(s, sid, running, stderrFile);
	} finally {
		screen?.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
		await lab(['down'], {}, 'bundle');
	}
});
