// Details follow the selection: a container picked in the Containers pane shows its whole runtime
// record (the one `dump --json` prints) in the Details pane; a hop picked in Path shows the hop.
// At 120×36 the Containers pane keeps the ID and restarts columns.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {render} from 'ink-testing-library';
import {App} from '../../source/ui/App.js';
import {containersModel} from '../../source/ui/containers-model.js';
import {createTheme} from '../../source/ui/theme.js';
import type {RuntimeContainer} from '../../source/core/types.js';
import type {TuiState} from '../../source/store/tui-state.js';
import {fixtureState, fixtureStore} from './tui-fixture.js';

const tick = () => new Promise(resolve => setImmediate(resolve));
async function settle() {
	for (let i = 0; i < 4; i++) await tick();
}

// What containerd's CRI reports for a container that was OOM-killed once and runs again.
const RECORD: RuntimeContainer = {
	name: 'app',
	id: '3f2a9c1b7d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd',
	image: 'registry.k8s.io/e2e-test-images/agnhost:2.45',
	imageID: 'sha256:9f2b1c3d4e5f60718293a4b5c6d7e8f9',
	state: 'running',
	reason: null,
	exitCode: null,
	restarts: 3,
	startedAt: '2026-12-02T03:10:05Z',
	pid: 4250,
	netnsInode: 4026532001,
	cgroup: '/kubepods/besteffort/pod-uid-web-1/3f2a9c1b',
	runtime: 'containerd',
};

function stateWith(record: RuntimeContainer): TuiState {
	const state = fixtureState();
	const runtime = state.runtime!;
	const [web1, ...rest] = runtime.sandboxes;
	return {...state, runtime: {...runtime, kind: 'cri', sandboxes: [{...web1!, containers: [record]}, ...rest]}};
}

function mount(state: TuiState, columns: number, rows: number) {
	const app = render(<App store={fixtureStore(state)} dispatch={() => {}} columns={columns} rows={rows} onQuit={() => {}} theme={createTheme({NO_COLOR: '1'})} now={1_001_000} />);
	const frame = () => app.lastFrame() ?? '';
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			await settle();
		}
	};
	return {app, frame, press};
}

/** A fact of the Details pane (the right side from column 66 at 120 wide), its wrapped lines joined. */
function detail(frame: string, label: string): string | undefined {
	const side = frame.split('\n').map(line => line.slice(66));
	const at = side.findIndex(line => new RegExp(`^[│║]${label} +\\S`).test(line));
	if (at < 0) return undefined;
	let value = /^[│║]\S+(?: \S+)* +(\S.*?) *[│║]$/.exec(side[at]!)?.[1] ?? '';
	for (const line of side.slice(at + 1)) {
		const more = /^[│║] {9,}(\S.*?) *[│║]$/.exec(line);
		if (!more) break;
		value += more[1];
	}
	return value;
}

test('selecting a container shows its runtime record in Details; selecting a hop shows the hop again', async () => {
	const {app, frame, press} = mount(stateWith(RECORD), 120, 36);
	await settle();
	await press('j', 'j', 'j');
	assert.match(frame(), /Details: eth0/);
	// Containers: ID and restarts are columns at 120×36.
	assert.match(frame(), /CONTAINER +ID +STATE +RST/);
	assert.match(frame(), / app +3f2a9c1b +running +3 /);
	await press('l', 'j');
	assert.match(frame(), /Details: container app \(regular\)/);
	assert.equal(detail(frame(), 'ID'), RECORD.id, 'a 64-hex id wraps whole');
	assert.equal(detail(frame(), 'image'), RECORD.image);
	assert.equal(detail(frame(), 'imageID'), RECORD.imageID);
	assert.equal(detail(frame(), 'state'), 'running');
	assert.equal(detail(frame(), 'restarts'), '3');
	assert.equal(detail(frame(), 'started'), RECORD.startedAt);
	assert.equal(detail(frame(), 'PID'), '4250');
	assert.equal(detail(frame(), 'netns'), 'net:[4026532001]');
	// The rest is a scroll away: enter focuses Details, G goes to its end.
	assert.match(frame(), /\d+ more ↓/);
	await press('\r', 'G');
	assert.match(frame(), /▶ Details: container app/);
	assert.equal(detail(frame(), 'cgroup'), RECORD.cgroup);
	assert.equal(detail(frame(), 'runtime'), 'containerd');
	// esc back to Containers, k up to the sandbox: its record.
	await press('\u001B', 'k');
	assert.match(frame(), /Details: pause sandbox/);
	assert.equal(detail(frame(), 'ID'), 'abcdef0123456789');
	assert.equal(detail(frame(), 'netns file'), '/proc/4242/ns/net');
	// Path: j picks a hop, and Details follows it.
	await press('l', 'j');
	assert.match(frame(), /Details: peer/);
	app.unmount();
});

test('an exited container says its reason and exit code; fields nobody reported say unknown and why', () => {
	const exited = {...RECORD, state: 'exited', reason: 'OOMKilled', exitCode: 137, pid: null, netnsInode: null, imageID: null};
	const state = stateWith(exited);
	const model = containersModel(state.pods.get('uid-web-1')!, state.paths.get('uid-web-1'), state.runtime);
	const facts = new Map(model.rows[1]!.facts);
	assert.equal(facts.get('state'), 'exited (OOMKilled, exit code 137)');
	assert.equal(facts.get('PID'), 'unknown (not running: exited)');
	assert.equal(facts.get('netns'), 'unknown (not running: exited)');
	assert.equal(facts.get('imageID'), 'unknown (the runtime did not report it)');
	// db-0 has no runtime record: the API's id and state, each saying where it came from, and why the rest is unknown.
	const db = containersModel(state.pods.get('uid-db-0')!, state.paths.get('uid-db-0'), {kind: 'none', sandboxes: [], note: 'no container runtime on this node'});
	const dbFacts = new Map(db.rows[1]!.facts);
	assert.equal(dbFacts.get('ID'), 'db-0 (from the API)');
	assert.equal(dbFacts.get('runtime'), 'docker (from the API)');
	assert.equal(dbFacts.get('imageID'), 'unknown (no container runtime on this node)');
	assert.equal(dbFacts.get('state'), 'running (from the API)');
	for (const row of [...model.rows, ...db.rows]) {
		for (const [key, value] of row.facts) assert.ok(value.trim() !== '', `${row.name} ${key} is not blank`);
	}
});

test('a container record with control sequences reaches Details sanitized', () => {
	const state = stateWith({...RECORD, image: 'evil\u001B]0;owned\u0007:1', cgroup: '/x\u001B[2J'});
	const model = containersModel(state.pods.get('uid-web-1')!, state.paths.get('uid-web-1'), state.runtime);
	for (const [, value] of model.rows[1]!.facts) assert.doesNotMatch(value, /\u001B/);
});
