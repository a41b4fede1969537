// Component tests: the real App with a synthetic store (test/ui/tui-fixture.ts), keys written to
// ink-testing-library's stdin, frames read back as text.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {performance} from 'node:perf_hooks';
import chalk from 'chalk';
import {render} from 'ink-testing-library';
import {App} from '../../source/ui/App.js';
import {CaptureSlot} from '../../source/ui/panes/CaptureSlot.js';
import {createStore} from '../../source/store/store.js';
import type {CaptureState} from '../../source/app/session.js';
import {commandFor, COMMANDS} from '../../source/ui/keys.js';
import {createTheme} from '../../source/ui/theme.js';
import type {SessionCommand, TuiState} from '../../source/store/tui-state.js';
import {fixtureStore, fixtureState, manyPods} from './tui-fixture.js';
import {fixtureOpenPath} from './path-fixture.js';

const tick = () => new Promise(resolve => setImmediate(resolve));
async function settle() {
	for (let i = 0; i < 4; i++) await tick();
}

const ESC = '\u001B';
const DOWN = '\u001B[B';
const TAB = '\t';

function mount(state: TuiState = fixtureState(), columns = 100, rows = 34, env: NodeJS.ProcessEnv = {NO_COLOR: '1'}) {
	const store = fixtureStore(state);
	const commands: SessionCommand[] = [];
	let quits = 0;
	const app = render(
		<App
			store={store}
			dispatch={command => commands.push(command)}
			columns={columns}
			rows={rows}
			onQuit={() => quits++}
			theme={createTheme(env)}
			now={1_001_000}
		/>,
	);
	const frame = () => app.lastFrame() ?? '';
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			// A lone ESC is only known to be ESC one tick later.
			await settle();
		}
	};

	return {app, store, commands, quits: () => quits, frame, press};
}

/** The pod row the cursor is on. */
function selectedRow(frame: string): string {
	return frame.split('\n').find(line => line.includes('›') && line.includes('/')) ?? '';
}

test('the four panes show the selected pod: markers, path with veth and bridge neighbours, containers, details', async () => {
	const {app, frame, press} = mount();
	await settle();
	await press('j', 'j', 'j');
	const f = frame();
	assert.match(selectedRow(f), /default\/web-1/);
	// Row kinds carry a marker, readable without colour.
	assert.match(f, /H kube-system\/kube-proxy-x/);
	assert.match(f, /P default\/pending-1/);
	assert.match(f, /~ default\/far-away .*@fake-node-3/);
	// The path diagram: eth0@ifN with the IP, the veth by the kernel's name, the bridge and who else is on it.
	assert.match(f, /\[default\/web-1\]\s+eth0@if11/);
	assert.match(f, /10\.244\.0\.2\/16/);
	assert.match(f, /veth1a2b3c4d \(ifindex 11\)\s+master bridge/);
	assert.match(f, /rx 1\.5kB\/s tx 3\.0kB\/s/);
	assert.match(f, /bridge 10\.244\.0\.1\/16 — 3 ports/);
	assert.match(f, /also on it: web-2, db-0/);
	// Containers: the sandbox first, and the shared-netns fact from the runtime.
	assert.match(f, /pause\s+abcdef01\s+running\s+4242/);
	assert.match(f, /= all 2 share netns net:\[4026532001\] and IP/);
	assert.match(f, /Details: eth0/);
	app.unmount();
});

test('a container in another netns is flagged, not hidden', async () => {
	const {app, frame, press} = mount();
	await settle();
	await press('j', 'j', 'j', 'j');
	assert.match(selectedRow(frame()), /default\/web-2/);
	assert.match(frame(), /! not shared: app \(net:\[4026532099\]\)/);
	app.unmount();
});

test('the selection follows the pod (uid), not the row, when a refresh reorders the list', async () => {
	const {app, frame, press, store} = mount();
	await settle();
	await press('j', 'j', 'j', 'j');
	assert.match(selectedRow(frame()), /default\/web-2/);
	store.update(state => {
		const pods = new Map(state.pods);
		for (const name of ['aa-1', 'aa-2', 'aa-3']) {
			const uid = `uid-${name}`;
			pods.set(uid, {...state.pods.get('uid-web-1')!, uid, name, namespace: 'aaa'});
		}

		return {...state, pods};
	});
	store.flush();
	await settle();
	assert.match(frame(), /Pods 9/);
	assert.match(selectedRow(frame()), /default\/web-2/);
	// The selected pod is gone: the cursor stays where it was, on the neighbour.
	store.update(state => {
		const pods = new Map(state.pods);
		pods.delete('uid-web-2');
		return {...state, pods};
	});
	store.flush();
	await settle();
	assert.match(selectedRow(frame()), /\//);
	assert.doesNotMatch(frame(), /web-2\b(?!.*also)/);
	app.unmount();
});

test('after the selected pod is deleted, pods added later do not move the cursor (with no key pressed)', async () => {
	const {app, frame, press, store} = mount();
	const change = (edit: (pods: Map<string, TuiState['pods'] extends ReadonlyMap<string, infer P> ? P : never>) => void) => {
		store.update(state => {
			const pods = new Map(state.pods);
			edit(pods);
			return {...state, pods};
		});
		store.flush();
	};

	const addBefore = (names: string[]) => change(pods => {
		for (const name of names) pods.set(`uid-${name}`, {...pods.get('uid-kp')!, uid: `uid-${name}`, name, namespace: 'aaa', hostNetwork: false});
	});
	await settle();
	await press('j', 'j', 'j', 'j');
	assert.match(selectedRow(frame()), /default\/web-2/);
	change(pods => pods.delete('uid-web-2'));
	await settle();
	const neighbour = selectedRow(frame()).match(/[a-z-]+\/[\w-]+/)?.[0];
	assert.ok(neighbour, frame());
	addBefore(['aa-1', 'aa-2']);
	await settle();
	assert.match(selectedRow(frame()), new RegExp(neighbour));
	app.unmount();

	// Nothing pressed at all: the first row stays selected when pods sort in before it.
	const fresh = mount();
	await settle();
	const first = selectedRow(fresh.frame()).match(/[a-z-]+\/[\w-]+/)?.[0];
	assert.ok(first);
	fresh.store.update(state => ({...state, pods: new Map([...state.pods, ['uid-aa-0', {...state.pods.get('uid-web-1')!, uid: 'uid-aa-0', name: 'aa-0', namespace: 'aaa'}]])}));
	fresh.store.flush();
	await settle();
	assert.match(fresh.frame(), /Pods 7/);
	assert.match(selectedRow(fresh.frame()), new RegExp(first));
	fresh.app.unmount();
});

test('/ filters live by name, IP and interface; esc clears', async () => {
	const {app, frame, press} = mount();
	await settle();
	await press('/', 'w', 'e', 'b');
	assert.match(frame(), /Pods 2\/6/);
	assert.match(frame(), /\/web▏/);
	// j is text while the filter box is open, not a move.
	await press('-', '2');
	assert.match(frame(), /Pods 1\/6/);
	assert.match(selectedRow(frame()), /default\/web-2/);
	await press(ESC);
	assert.match(frame(), /Pods 6 /);
	await press('/', ...'10.244.0.4');
	assert.match(selectedRow(frame()), /data\/db-0/);
	assert.match(frame(), /Pods 1\/6/);
	await press('\r');
	assert.match(frame(), /\/10\.244\.0\.4 /);
	await press(ESC);
	await press('/', ...'veth5e');
	assert.match(frame(), /Pods 1\/6/);
	assert.match(selectedRow(frame()), /web-2/);
	await press('\u007F', '\u007F', '\u007F', '\u007F', '\u007F', '\u007F');
	assert.match(frame(), /Pods 6 /);
	app.unmount();
});

test('keys that arrive in one read (a paste, a fast typist) act one by one', async () => {
	const {app, frame, press, commands} = mount();
	await settle();
	await press('/web-2\rt');
	assert.match(frame(), /Pods 1\/6/);
	assert.deepEqual(commands.at(-1), {type: 'start-capture', uid: 'uid-web-2'});
	app.unmount();
});

test('s cycles the sort column, S reverses it', async () => {
	const {app, frame, press} = mount();
	await settle();
	const podLines = () => frame().split('\n').filter(line => /^║[› ][ HP~!] [a-z-]+\/[a-z0-9-]+ /.test(line));
	const firstRow = () => podLines()[0] ?? '';
	assert.match(frame(), /sort namespace ↑/);
	assert.match(firstRow(), /data\/db-0/);
	await press('S');
	assert.match(frame(), /sort namespace ↓/);
	assert.match(firstRow(), /kube-system\/kube-proxy-x/);
	await press('S', 's');
	assert.match(frame(), /sort ip ↑/);
	// IPv4 numerically: 10.244.0.2 first; a pod without an IP goes last.
	assert.match(firstRow(), /web-1/);
	assert.match(podLines().at(-1) ?? '', /pending-1/);
	app.unmount();
});

test('keys dispatch commands: a, r, t (with the pod uid), e (explain follows the selection), q', async () => {
	const state = fixtureState();
	const {app, frame, press, commands, quits, store} = mount(state);
	await settle();
	await press('j', 'j', 'j');
	await press('a', 'r', 't');
	assert.deepEqual(commands.slice(0, 3), [{type: 'toggle-all-nodes'}, {type: 'refresh'}, {type: 'start-capture', uid: 'uid-web-1'}]);
	// The capture area opens; without a capture pane wired it says so.
	assert.match(frame(), /capture is not available/);
	await press(ESC);
	assert.deepEqual(commands.at(-1), {type: 'stop-capture'});
	await press('e');
	assert.deepEqual(commands.at(-1), {type: 'explain', uid: 'uid-web-1'});
	store.update(s => ({
		...s,
		explain: {
			uid: 'uid-web-1',
			error: null,
			steps: [{
				what: 'eth0\'s peer is node interface 11',
				command: 'ip netns exec k8snet-lab-node ip -o link show | awk -F\': \' \'$1 == 11\'',
				expect: '11: veth1a2b3c4d@if2: ... master bridge',
			}],
		},
	}));
	store.flush();
	await settle();
	assert.match(frame(), /Explain default\/web-1/);
	assert.match(frame(), /\$ ip netns exec k8snet-lab-node ip -o link show \| awk -F': ' '\$1 == 11'/);
	assert.match(frame(), /= 11: veth1a2b3c4d@if2: \.\.\. master bridge/);
	// Keys under an overlay do not move the hidden list.
	await press('j');
	await press(ESC);
	assert.match(selectedRow(frame()), /default\/web-1/);
	assert.deepEqual(commands.at(-1), {type: 'explain', uid: null});
	await press('q');
	assert.equal(quits(), 1);
	app.unmount();
});

test('tab and enter move between panes; in Path, j/k pick the hop the Details pane shows', async () => {
	const {app, frame, press} = mount(fixtureState(), 100, 44);
	await settle();
	await press('j', 'j', 'j', '\r');
	assert.match(frame(), /▶ Path/);
	await press('j');
	assert.match(frame(), /Details: peer/);
	assert.match(frame(), /bridge port state\s+forwarding/);
	await press('j');
	assert.match(frame(), /Details: bridge/);
	assert.match(frame(), /other pods on it\s+web-2, db-0/);
	await press(TAB);
	assert.match(frame(), /▶ Details/);
	await press(TAB);
	assert.match(frame(), /▶ Pods/);
	await press('l');
	assert.match(frame(), /▶ Containers/);
	await press('\u001B[Z', '\u001B[Z');
	// Containers was the last pane moved in: Details shows its container, and esc goes back there.
	assert.match(frame(), /▶ Details: pause sandbox/);
	await press(ESC);
	assert.match(frame(), /▶ Containers/);
	await press('h');
	assert.match(frame(), /▶ Pods/);
	await press('l', 'l', TAB);
	assert.match(frame(), /▶ Details: bridge/);
	await press(ESC);
	assert.match(frame(), /▶ Path/);
	app.unmount();
});

test('? shows help generated from the key registry', async () => {
	const {app, frame, press} = mount(fixtureState(), 120, 40);
	await settle();
	await press('?');
	for (const spec of Object.values(COMMANDS)) assert.ok(frame().includes(spec.help.slice(0, 20)), `help lists "${spec.help}"`);
	assert.match(frame(), /H hostNetwork/);
	await press('?');
	assert.match(frame(), /▶ Pods/);
	app.unmount();
});

test('help fits 80×24', async () => {
	const {app, frame, press} = mount(fixtureState(), 80, 24);
	await settle();
	await press('?');
	const lines = frame().split('\n');
	assert.equal(lines.length, 23);
	assert.match(frame(), /quit/);
	assert.match(frame(), /capture keys/);
	assert.match(frame(), /space +pause the view/);
	assert.match(frame(), /~ on another node/);
	assert.match(frame(), /j\/down +move down/);
	app.unmount();
});

test('no key is bound to two commands in one scope', () => {
	const seen = new Map<string, string>();
	for (const [id, spec] of Object.entries(COMMANDS)) {
		for (const key of spec.keys) {
			const at = `${spec.scope} ${key}`;
			assert.equal(seen.get(at), undefined, `${key} is bound to ${seen.get(at)} and ${id} in ${spec.scope}`);
			seen.set(at, id);
		}
	}
});

test('a scope\'s key outranks the global one; keys it does not bind pass through', () => {
	assert.equal(commandFor('G', 'capture'), 'capture.follow');
	assert.equal(commandFor('G', 'pods'), 'nav.bottom');
	assert.equal(commandFor('q', 'capture'), 'quit');
	assert.equal(commandFor('w', 'pods'), null);
});

test('80×24 fits: 23 lines of at most 80 columns; smaller says "terminal too small"', async () => {
	const {app, frame} = mount(fixtureState(), 80, 24);
	await settle();
	const lines = frame().split('\n');
	assert.equal(lines.length, 23);
	for (const line of lines) assert.ok(line.length <= 80, `line too long (${line.length}): ${line}`);
	assert.match(frame(), /veth/);
	app.unmount();
	for (const [columns, rows] of [[79, 24], [80, 23], [70, 20]] as const) {
		const small = mount(fixtureState(), columns, rows);
		await settle();
		assert.match(small.frame(), /terminal too small/);
		small.app.unmount();
	}
});

test('a failed target shows the reason and the hint', async () => {
	const state: TuiState = {...fixtureState(), phase: 'failed', failure: {reason: 'no kubeconfig found', hint: 'pass --kubeconfig'}};
	const {app, frame} = mount(state);
	await settle();
	assert.match(frame(), /no kubeconfig found/);
	assert.match(frame(), /pass --kubeconfig/);
	app.unmount();
});

test('the header marks a stale view with its age', async () => {
	const state: TuiState = {...fixtureState(), polledAt: 1_001_000 - 12_000};
	const {app, frame} = mount(state);
	await settle();
	assert.match(frame(), /STALE 12s/);
	app.unmount();
});

test('STALE counts from the last good API contact, not from the last node poll', async () => {
	const now = 1_001_000;
	const state: TuiState = {
		...fixtureState(),
		polledAt: now - 1000,
		watch: {connected: false, reason: 'cannot reach the API server https://127.0.0.1:6443: connection refused', hint: 'is the cluster running?', lastContactAt: now - 95_000},
	};
	const {app, frame} = mount(state);
	await settle();
	assert.match(frame(), /STALE 95s/);
	assert.match(frame(), /api: cannot reach the API server/);
	app.unmount();
});

test('without nsenter the Path pane says so and how to fix it, instead of blaming the pod', async () => {
	const base = fixtureState();
	const nsenter = {reason: '\'nsenter\' is not installed on this host: pods whose network namespace is held by a process cannot be probed', hint: 'install util-linux (apt-get install util-linux), then press r'};
	const paths = new Map([...base.paths].map(([uid, p]) => [uid, p.status === 'resolved' ? {...p, status: 'netns-not-found' as const, netns: null, eth0: null, peer: null, bridge: null, evidence: []} : p]));
	const {app, frame} = mount({...base, paths, nodeProblem: nsenter}, 140, 34);
	await settle();
	assert.match(frame(), /'nsenter' is not installed on this host/);
	assert.match(frame(), /apt-get install util-linux/);
	assert.doesNotMatch(frame(), /No network namespace on this node holds/);
	app.unmount();
});

test('a node that cannot be polled: the Path pane says why, not "probing the node…" forever', async () => {
	const state: TuiState = {
		...fixtureState(),
		view: null,
		paths: new Map(),
		polledAt: null,
		pollError: {reason: '\'nsenter\' is not installed on this node', hint: 'the node needs iproute2 (ip, bridge)'},
		nodeProblem: {reason: '\'nsenter\' is not installed on this host: the lab\'s node namespace cannot be entered', hint: 'install util-linux (apt-get install util-linux), then press r'},
	};
	const {app, frame} = mount(state, 140, 34);
	await settle();
	assert.doesNotMatch(frame(), /probing the node/);
	assert.match(frame(), /'nsenter' is not installed on this host: the lab's node namespace cannot/);
	assert.match(frame(), /apt-get install util-linux/);
	app.unmount();
});

test('NO_COLOR turns every colour off; the selection and row kinds stay readable', async () => {
	const plain = createTheme({NO_COLOR: '1'});
	assert.equal(plain.color, false);
	for (const name of ['ok', 'warn', 'error', 'muted', 'accent', 'host', 'other'] as const) assert.equal(plain[name], undefined);
	assert.equal(createTheme({}).error, 'red');
	const {app, frame} = mount();
	await settle();
	assert.match(selectedRow(frame()), /^║›/);
	assert.match(frame(), /▶ Pods/);
	app.unmount();
});

test('10,000 pods: only the visible rows render, and moving stays fast', async () => {
	const {app, frame, press} = mount(manyPods(10_000), 100, 30);
	await settle();
	assert.match(frame(), /Pods 10006/);
	const podRows = frame().split('\n').filter(line => /bulk\/bulk-/.test(line));
	assert.ok(podRows.length > 0 && podRows.length < 20, `${podRows.length} rows rendered`);
	const started = performance.now();
	await press('G');
	assert.match(frame(), /› \S? ?kube-system\/kube-proxy-x|›H kube-system\/kube-proxy-x/);
	await press('g');
	for (let i = 0; i < 20; i++) await press(DOWN);
	const elapsed = performance.now() - started;
	assert.match(selectedRow(frame()), /bulk-000(1[4-9]|2)/);
	assert.ok(elapsed < 3000, `22 keys took ${elapsed.toFixed(0)} ms`);
	app.unmount();
});

test('t opens the capture area under the panes with CAPTURE\'s pane; why it could not start is shown; z zooms', async () => {
	const store = fixtureStore();
	const captures = createStore<CaptureState>({session: null, uid: null, error: null}, 0);
	const commands: SessionCommand[] = [];
	const app = render(
		<App
			store={store}
			dispatch={command => {
				commands.push(command);
				if (command.type === 'start-capture') captures.update(() => ({session: null, uid: command.uid, error: {reason: 'tcpdump is not installed on the node', hint: 'apt-get install tcpdump'}}));
			}}
			columns={100}
			rows={30}
			onQuit={() => undefined}
			theme={createTheme({NO_COLOR: '1'})}
			now={1_001_000}
			renderCapture={props => <CaptureSlot captures={captures} dispatch={command => commands.push(command)} {...props} />}
		/>,
	);
	await settle();
	app.stdin.write('jjjt');
	await settle();
	assert.deepEqual(commands.at(-1), {type: 'start-capture', uid: 'uid-web-1'});
	assert.match(app.lastFrame() ?? '', /▶ capture/);
	assert.match(app.lastFrame() ?? '', /tcpdump is not installed on the node/);
	assert.match(app.lastFrame() ?? '', /Pods 6/);
	app.stdin.write('z');
	await settle();
	assert.doesNotMatch(app.lastFrame() ?? '', /Pods 6/);
	app.stdin.write('z');
	await settle();
	app.stdin.write('\u001B');
	await settle();
	await settle();
	assert.deepEqual(commands.at(-1), {type: 'stop-capture'});
	assert.doesNotMatch(app.lastFrame() ?? '', /▶ capture/);
	app.unmount();
});

test('p opens the peer picker: every node\'s pods, typed text filters by name or IP, arrows move, enter opens the path, esc closes', async () => {
	const base = fixtureState();
	const other = {...base.pods.get('uid-web-1')!, uid: 'uid-beyond', name: 'jk-beyond', nodeName: 'lab-node-2', ips: ['10.244.1.7']};
	const state: TuiState = {...base, peers: {pods: [...base.pods.values(), other], loading: false, error: null}};
	const {app, frame, press, commands} = mount(state);
	await settle();
	await press('j', 'j', 'j');
	assert.match(selectedRow(frame()), /default\/web-1/);
	await press('p');
	assert.deepEqual(commands.at(-1), {type: 'path-peers'});
	assert.match(frame(), /Path from default\/web-1 to…/);
	assert.match(frame(), /default\/jk-beyond\s+10\.244\.1\.7\s+lab-node-2/);
	assert.doesNotMatch(frame(), /› default\/web-1 /, 'the path\'s own start is not a peer');
	// j and k are text here (names hold them), not moves.
	await press('j', 'k');
	assert.match(frame(), /to: jk▏/);
	assert.match(frame(), /› default\/jk-beyond/);
	assert.doesNotMatch(frame(), /web-2/);
	await press('\u007F', '\u007F', '10.244.0.');
	assert.match(frame(), /web-2/);
	assert.doesNotMatch(frame(), /jk-beyond/);
	await press(DOWN);
	const chosen = selectedRow(frame()).match(/› (\S+)/)?.[1];
	assert.ok(chosen);
	await press('\r');
	const opened = commands.at(-1);
	assert.equal(opened?.type, 'path-open');
	assert.equal(opened?.type === 'path-open' && opened.from, 'uid-web-1');
	assert.equal(opened?.type === 'path-open' && [...state.pods.values()].find(p => p.uid === opened.to)?.name, chosen.split('/')[1]);
	assert.doesNotMatch(frame(), /Path from/);
	await press('p', ESC);
	assert.doesNotMatch(frame(), /Path from/);
	assert.match(frame(), /▶ Path/);
	app.unmount();
});

test('an open path: verdict on top, one line per hop with its mark, the broken hop red with its problem, the reply below; e explains every hop; esc closes', async t => {
	const state: TuiState = {...fixtureState(), openPath: fixtureOpenPath(true)};
	// Off a TTY chalk (Ink's colouring, hoisted from ink's own dependency) emits no colour: turn it on here.
	const level = chalk.level;
	chalk.level = 1;
	t.after(() => {
		chalk.level = level;
	});
	const {app, frame, press, commands} = mount(state, 100, 40, {});
	await settle();
	const plain = () => frame().replaceAll(/\u001B\[[0-9;]*m/g, '');
	assert.match(plain(), /default\/web-1 → default\/far-away: broken/);
	assert.match(plain(), /✓ {2}lab-node-1 {2}vxlan {2}flannel\.1 {2}UP {2}mtu 1450/);
	assert.match(plain(), /✓ {2}lab-node-1 {2}underlay {2}eth0 {2}UP {2}mtu 1500/);
	assert.match(plain(), /\? {2}lab-node-2 {2}pod-eth0 {2}eth0 {2}unknown/);
	const broken = frame().split('\n').find(line => line.includes('vethb2b2b2b2')) ?? '';
	assert.match(broken, /\u001B\[31m✗ {2}lab-node-2 {2}host-veth {2}vethb2b2b2b2 {2}DOWN/, 'the broken hop is in the error colour');
	const problem = frame().split('\n').find(line => line.includes('is down')) ?? '';
	assert.match(problem, /\u001B\[31m +the host veth of default\/web-2 is down/);
	// Containers and Details are not on screen: tab goes straight to the path. The reply is below: scroll to it.
	await press(TAB);
	assert.match(plain(), /▶ Path to peer/);
	await press('G');
	assert.match(plain(), /reply/);
	assert.match(plain(), /eth0-reply/);
	await press('e');
	assert.match(plain(), /Explain default\/web-1 → default\/far-away/);
	assert.match(plain(), /A→B ✗ lab-node-2 host-veth vethb2b2b2b2: the host veth of default\/web-2 is down/);
	assert.match(plain(), /\$ ip -j link show vethb2b2b2b2/);
	assert.match(plain(), /= vethb2b2b2b2 operstate DOWN/);
	await press(ESC, ESC);
	assert.deepEqual(commands.at(-1), {type: 'path-close'});
	app.unmount();
});

test('a path that cannot be traced says why and what to do', async () => {
	const route = {...fixtureOpenPath(false), document: null, error: {reason: 'node lab-node-2: cannot be reached', hint: 'check lab status'}};
	const {app, frame} = mount({...fixtureState(), openPath: route});
	await settle();
	assert.match(frame(), /default\/web-1 → default\/far-away: cannot trace/);
	assert.match(frame(), /node lab-node-2: cannot be reached/);
	assert.match(frame(), /check lab status/);
	app.unmount();
});

test('at 80 columns the hint row keeps "? help  q quit": the hints before them give way whole', async () => {
	const {app, frame} = mount(fixtureState(), 80, 24);
	await settle();
	const hints = frame().split('\n').at(-1) ?? '';
	assert.match(hints, /^j\/k move {2}.*\S {2}\? help {2}q quit$/);
	assert.ok(hints.length <= 80);
	app.unmount();
});
