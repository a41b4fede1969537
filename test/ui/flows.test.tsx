// The Flows section in the real App with a synthetic store: F asks the session for the selected
// pod's flows, the rows show the readable form with NAT and timeout, j/k move, enter asks for a
// capture of the flow under the cursor (and opens the capture pane), esc closes; no flow says why.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import {podFlows} from '../../source/core/flows.js';
import {parseConntrack} from '../../source/node/conntrack/conntrack-text.js';
import {App} from '../../source/ui/App.js';
import {createTheme} from '../../source/ui/theme.js';
import type {OpenFlows, SessionCommand, TuiState} from '../../source/store/tui-state.js';
import {fixtureState, fixtureStore} from './tui-fixture.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/conntrack/${name}`, import.meta.url), 'utf8');
const recorded = JSON.parse(fixture('lab-services.names.json')) as {pods: Record<string, string>; services: Record<string, string>};
const names = {pods: new Map(Object.entries(recorded.pods)), services: new Map(Object.entries(recorded.services))};
const flows = podFlows(parseConntrack(fixture('lab-services.nf_conntrack.txt')), '10.244.0.2', names);

const tick = () => new Promise(resolve => setImmediate(resolve));
const settle = async () => {
	for (let i = 0; i < 4; i++) await tick();
};

function mount(state: TuiState = fixtureState()) {
	const store = fixtureStore(state);
	const commands: SessionCommand[] = [];
	const app = render(<App store={store} dispatch={command => commands.push(command)} columns={140} rows={40} onQuit={() => undefined} theme={createTheme({NO_COLOR: '1'})} now={1_001_000} />);
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			await settle();
		}
	};

	const open = async (patch: Partial<OpenFlows>) => {
		store.update(s => ({...s, flows: {uid: 'uid-web-1', pod: 'default/web-1', flows: null, source: null, error: null, namesProblem: null, readAt: null, ...patch}}));
		// The store tells the UI at most every 50 ms.
		await new Promise(resolve => setTimeout(resolve, 120));
		await settle();
	};
	return {app, commands, press, open, frame: () => app.lastFrame() ?? ''};
}

test('F opens Flows for the selected pod; rows, j/k, enter captures the flow under the cursor, esc closes', async () => {
	const {app, commands, press, open, frame} = mount();
	await settle();
	await press('/', ...'web-1', '\r');
	await press('F');
	const opened = commands.find(c => c.type === 'flows-open');
	assert.deepEqual(opened, {type: 'flows-open', uid: 'uid-web-1'});

	await open({});
	assert.match(frame(), /Flows of default\/web-1/);
	assert.match(frame(), /reading the node's conntrack…/);

	assert.ok(flows.length >= 3, 'the recorded flows');
	await open({flows, source: 'conntrack', readAt: 1_000_000});
	const first = flows[0]!;
	assert.match(frame(), new RegExp(`Flows of default/web-1 \\(${flows.length}\\)`));
	assert.match(frame(), /conntrack -L/);
	const line = frame().split('\n').find(l => l.includes('› ') && l.includes(' → '))!;
	assert.ok(line.includes(first.text), line);
	assert.ok(line.includes(`${first.entry.timeout}s`), line);
	if (first.servedBy) assert.ok(line.includes(`dnat → ${first.servedBy.ip}:${first.servedBy.port}`), line);
	assert.ok(frame().includes(`orig  ${first.entry.protocol} ${first.entry.orig.src}:${first.entry.orig.sport} → ${first.entry.orig.dst}:${first.entry.orig.dport}`));

	await press('j');
	await press('\r');
	const capture = commands.find(c => c.type === 'flow-capture');
	assert.deepEqual(capture, {type: 'flow-capture', uid: 'uid-web-1', entry: flows[1]!.entry});
	assert.match(frame(), /Capture|capture/);

	// Focus back on Flows (tab cycles pods → path → capture); esc there closes it.
	for (let i = 0; i < 4 && !/▶ Flows/.test(frame()); i++) await press('\t');
	assert.match(frame(), /▶ Flows/);
	await press('\u001B');
	assert.ok(commands.some(c => c.type === 'flows-close'));
	app.unmount();
});

test('no flow: the pane says why, a failure with its reason and hint', async () => {
	const {app, open, frame} = mount();
	await settle();
	await open({flows: [], source: 'proc', readAt: 1});
	assert.match(frame(), /no flows now: the node tracks no connection of default\/web-1 \(read with \/proc\/net\/nf_conntrack\)/);
	await open({error: {reason: 'conntrack is not installed on node k8snet-lab and /proc/net/nf_conntrack is missing', hint: 'install conntrack, or load the module: modprobe nf_conntrack'}});
	assert.match(frame(), /conntrack is not installed on node k8snet-lab/);
	assert.match(frame(), /modprobe nf_conntrack/);
	app.unmount();
});
