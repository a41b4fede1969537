// The two-point capture on a real two-node VXLAN lab, through the TUI's own session: the path A → B
// opened, `t` (two-point-start) captures at A's host veth on node 1 and B's on node 2, and a
// cross-node ping is counted. No fault: every echo request seen at 1 is seen at 2. `lab fault add
// drop NODE POD` on B's node: the counter grows, naming both hops. `lab fault clear`: it stops growing.
// Then `c` moves stream 2 to the underlay, where the requests are seen VXLAN-encapsulated.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {createSession, type TuiSession} from '../../source/app/session.js';
import type {TwoPointSnapshot} from '../../source/capture/two-point-capture.js';
import {readLabState, type LabPod} from '../../source/lab/lab-state.js';
import {counterLine} from '../../source/ui/two-point-model.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {lab} from '../lab/lab-cli.js';
import {needs} from '../support/prerequisites.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter', 'tcpdump', 'ping', 'setpriv'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
let session: TuiSession | null = null;
aroundLabSuite(skip, async () => session?.stop());

const exec = promisify(execFile);
const ref = (pod: LabPod) => `${pod.namespace}/${pod.name}`;

async function until<T>(read: () => T, ok: (value: T) => boolean, what: string, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value, (k, v) => (k === 'session' ? undefined : v))}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

/** `count` echo requests from A to B, 0.2 s apart; a ping that gets no reply is fine here. */
async function ping(from: LabPod, to: LabPod, count: number): Promise<void> {
	await exec('nsenter', [`--net=${from.netnsPath!}`, 'ping', '-n', '-q', '-i', '0.2', '-W', '1', '-c', String(count), to.ip!]).catch(() => undefined);
}

/** Past the 2 s window, with 2× slack, so every request sent is settled. */
const SETTLE_MS = 4500;

test('two-point capture A host veth → B host veth across nodes: zero loss, then the drop fault counted between the two hops, then cleared', {skip}, async () => {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const up = await lab(['up', '--nodes', '2', '--overlay', 'vxlan', '--pods', '2'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const state = readLabState()!;
	const [n1, n2] = state.nodes!;
	const a = state.pods.find(p => p.kind === 'normal' && p.node === n1!.name)!;
	const b = state.pods.find(p => p.kind === 'normal' && p.node === n2!.name)!;

	session = createSession({kubeconfig: state.kubeconfig, context: undefined, namespace: undefined, allNamespaces: false, selector: undefined, node: n1!.name, allNodes: true, nodeSsh: undefined, nodeExec: undefined, debug: false});
	await session.start();
	const s = session;
	await until(() => s.store.getSnapshot(), st => st.pods.has(a.uid) && st.pods.has(b.uid), 'both pods watched', 20_000);
	s.dispatch({type: 'path-open', from: a.uid, to: b.uid});
	await until(() => s.store.getSnapshot().openPath, p => p?.document != null || p?.error != null, 'the path traced', 20_000);
	assert.equal(s.store.getSnapshot().openPath?.error, null);

	s.dispatch({type: 'two-point-start'});
	const {capture} = await until(() => s.twoPoint.getSnapshot(), t => t.capture !== null || t.error !== null, 'the two-point capture', 20_000);
	assert.ok(capture, JSON.stringify(s.twoPoint.getSnapshot().error));
	await capture.ready();
	const snap = () => capture.getSnapshot();
	const streams = snap().streams.map(st => ({hop: snap().hops[st.hop], error: st.error, state: st.session?.getSnapshot().state}));
	assert.deepEqual(streams.map(st => [st.hop?.kind, st.hop?.node, st.hop?.label.split(' ')[0], st.state]), [['host-veth', n1!.name, 'A', 'running'], ['host-veth', n2!.name, 'B', 'running']], JSON.stringify(streams));

	await ping(a, b, 15);
	await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
	const clean = snap().counts;
	assert.ok(clean.sent >= 15, `15 echo requests seen at A's host veth: ${JSON.stringify(clean)}`);
	assert.equal(clean.lost, 0, JSON.stringify(clean));
	assert.equal(clean.matched, clean.sent);

	assert.equal((await lab(['fault', 'add', 'drop', n2!.name, ref(b)], {}, 'bundle')).code, 0);
	await ping(a, b, 10);
	const dropped = await until(snap, t => t.counts.lost >= 10, 'ten requests lost', SETTLE_MS * 2);
	const line = counterLine(dropped, Date.now());
	assert.match(line, new RegExp(`^sent at 1 \\(A host veth \\S+ on ${n1!.name}\\), not seen at 2 \\(B host veth \\S+ on ${n2!.name}\\): \\d+ in the last \\d+ s$`));
	assert.ok(dropped.counts.lostRecent >= 10, line);

	assert.equal((await lab(['fault', 'clear', 'drop', n2!.name, ref(b)], {}, 'bundle')).code, 0);
	await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
	const before = snap().counts;
	await ping(a, b, 10);
	await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
	const after = snap().counts;
	assert.equal(after.lost, before.lost, `cleared: no new loss (${JSON.stringify({before, after})})`);
	assert.ok(after.sent >= before.sent + 10);

	// `2` then `c`: stream 2 moves along the path; on the underlay the requests are VXLAN inside.
	capture.pick(2);
	let moved: TwoPointSnapshot = snap();
	for (let i = 0; i < moved.hops.length && moved.hops[moved.streams[1].hop]?.kind !== 'underlay'; i++) {
		const result = await capture.move();
		assert.ok(result.ok, JSON.stringify(result));
		moved = snap();
	}
	const underlay = moved.hops[moved.streams[1].hop]!;
	assert.equal(underlay.kind, 'underlay');
	await moved.streams[1].session!.ready();
	await ping(a, b, 5);
	await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
	const encapsulated = snap().counts;
	assert.ok(encapsulated.sent >= 5 && encapsulated.lost === 0 && encapsulated.matched === encapsulated.sent, JSON.stringify(encapsulated));
	const stream2 = snap().streams[1].session!.getSnapshot();
	const lines = stream2.lines(stream2.firstSeq, stream2.endSeq).filter(e => e.kind === 'item').map(e => e.value.text);
	assert.ok(lines.some(l => l.includes('.8472: VXLAN, flags [I] (0x08), VNI 1 | IP ' + a.ip + ' > ' + b.ip + ': ICMP echo request')), lines.slice(-5).join('\n'));
	console.log(`${underlay.label} on ${underlay.node}: ${JSON.stringify(encapsulated)}`);

	await session.stop();
	session = null;
});
