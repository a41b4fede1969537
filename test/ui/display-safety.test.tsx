// Every pane, fed strings with terminal control sequences in every field that comes from the API or
// the node, renders frames whose only escapes are the SGR styling Ink itself writes. (The pty test,
// terminal-safety.test.ts, checks the real byte stream; this one reaches the fields the lab cannot
// set: reasons, node errors, evidence, explain output, tcpdump text.)
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import {App} from '../../source/ui/App.js';
import {CaptureSlot} from '../../source/ui/panes/CaptureSlot.js';
import {CapturePane} from '../../source/ui/panes/CapturePane.js';
import {initialCaptureView} from '../../source/capture/capture-view.js';
import {createStore} from '../../source/store/store.js';
import type {CaptureState} from '../../source/app/session.js';
import type {TuiState} from '../../source/store/tui-state.js';
import {createTheme, ThemeContext} from '../../source/ui/theme.js';
import {fillRing, snapshotOf} from '../capture/snapshot-fixture.js';
import {fixtureState, fixtureStore} from './tui-fixture.js';

const tick = () => new Promise(resolve => setImmediate(resolve));
async function settle() {
	for (let i = 0; i < 4; i++) await tick();
}

const BAD = '\u001B]0;pwned\u0007\u001B]52;c;cHduZWQ=\u0007\u001B[2J\u009B31m\u202E\u0007';
const bad = (text: string) => `${text}${BAD}`;

/** Any escape other than SGR (ESC [ … m), and any BEL, C1 or bidi control. */
const UNSAFE = /\u001B(?!\[[0-9;]*m)|[\u0007\u0080-\u009F\u202A-\u202E\u2066-\u2069]/;

function assertSafe(frame: string, where: string): void {
	const at = UNSAFE.exec(frame)?.index;
	assert.equal(at, undefined, `${where}: ${JSON.stringify(frame.slice(Math.max(0, (at ?? 0) - 30), (at ?? 0) + 30))}`);
}

function hostileState(): TuiState {
	const base = fixtureState();
	const pods = new Map([...base.pods].map(([uid, pod]) => [uid, {
		...pod,
		name: bad(pod.name),
		phase: pod.phase === 'Running' ? pod.phase : bad(pod.phase),
		nodeName: pod.nodeName === base.node ? pod.nodeName : bad(pod.nodeName ?? ''),
		containers: pod.containers.map(c => ({...c, name: bad(c.name), image: bad(c.image), reason: bad('CrashLoopBackOff')})),
	}]));
	const paths = new Map([...base.paths].map(([uid, path]) => [uid, {
		...path,
		name: bad(path.name),
		eth0: path.eth0 ? {...path.eth0, ifname: bad(path.eth0.ifname), addresses: path.eth0.addresses.map(bad)} : null,
		peer: path.peer ? {...path.peer, ifname: bad(path.peer.ifname), master: bad(path.peer.master ?? '')} : null,
		bridge: path.bridge ? {...path.bridge, ifname: bad(path.bridge.ifname), ports: path.bridge.ports.map(bad)} : null,
		evidence: [...path.evidence, bad('evidence from the node')],
	}]));
	return {
		...base,
		context: bad('ctx'),
		node: base.node,
		access: {kind: 'lab', target: bad('node-shell')},
		pods,
		paths,
		cni: base.cni ? {...base.cni, summary: bad('bridge')} : null,
		runtime: base.runtime ? {...base.runtime, sandboxes: base.runtime.sandboxes.map(s => ({...s, sandboxId: bad(s.sandboxId)}))} : null,
		pollError: {reason: bad('node says'), hint: bad('hint')},
		watch: {connected: false, reason: bad('api says'), hint: null, lastContactAt: null},
		notice: bad('notice'),
		explain: {uid: 'uid-web-1', steps: [{what: bad('what'), command: bad('ip link show'), expect: bad('line one\nline two')}], error: bad('explain error')},
	};
}

test('pods, path, containers, details, header: no control sequence from the data reaches the frame', async () => {
	const store = fixtureStore(hostileState());
	const app = render(<App store={store} dispatch={() => undefined} columns={160} rows={40} onQuit={() => undefined} theme={createTheme({})} now={1_001_000} />);
	await settle();
	// Every row, then each pod selected in turn (path, containers, details), then explain.
	for (let i = 0; i < 6; i++) {
		assertSafe(app.lastFrame() ?? '', `row ${i}`);
		app.stdin.write('j');
		await settle();
	}

	assert.match(app.lastFrame() ?? '', /web-1\uFFFD/);
	app.stdin.write('e');
	await settle();
	assert.match(app.lastFrame() ?? '', /line two\uFFFD/);
	assertSafe(app.lastFrame() ?? '', 'explain');
	app.unmount();
});

test('a failed target and a capture that could not start show their reasons made safe', async () => {
	const failed = render(<App store={fixtureStore({...fixtureState(), phase: 'failed', failure: {reason: bad('x509'), hint: bad('check')}})} dispatch={() => undefined} columns={100} rows={30} onQuit={() => undefined} theme={createTheme({})} now={1_001_000} />);
	await settle();
	assert.match(failed.lastFrame() ?? '', /x509\uFFFD/);
	assertSafe(failed.lastFrame() ?? '', 'failure');
	failed.unmount();

	const captures = createStore<CaptureState>({session: null, uid: 'uid-web-1', error: {reason: bad('tcpdump: permission denied'), hint: bad('root')}}, 0);
	const slot = render(<CaptureSlot captures={captures} dispatch={() => undefined} width={100} height={10} focused />);
	await settle();
	assert.match(slot.lastFrame() ?? '', /permission denied\uFFFD/);
	assertSafe(slot.lastFrame() ?? '', 'capture error');
	slot.unmount();
});

test('capture lines, the names put into them, the command and a stop reason are made safe at display', async () => {
	const ring = fillRing(20, 100, i => bad(`12:00:00.${i} IP 10.244.0.2 > 10.244.0.3: ICMP echo request`));
	const snapshot = snapshotOf(ring, {
		pod: {namespace: 'default', name: bad('web-1')},
		names: new Map([['10.244.0.2', bad('default/web-1')], ['10.244.0.3', 'default/web-2']]),
		command: bad('tcpdump -i cni0'),
		stopped: {reason: bad('tcpdump exited'), hint: bad('see the node')},
	});
	const app = render(
		<ThemeContext.Provider value={createTheme({})}>
			<CapturePane snapshot={snapshot} view={initialCaptureView} width={160} height={20} focused />
		</ThemeContext.Provider>,
	);
	await settle();
	const frame = app.lastFrame() ?? '';
	assert.match(frame, /10\.244\.0\.2\[default\/web-1\uFFFD+\]/);
	assert.match(frame, /tcpdump exited\uFFFD/);
	assertSafe(frame, 'capture pane');
	app.unmount();
});
