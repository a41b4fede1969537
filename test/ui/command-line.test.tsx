// k9s's command mode: `:` opens the line in the hint row, tab completes from the session's names,
// enter dispatches the switch (or quits), a bad line says why and stays open, esc closes.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {render} from 'ink-testing-library';
import {App} from '../../source/ui/App.js';
import {completeLine, parseLine} from '../../source/ui/command-line.js';
import type {SessionCommand} from '../../source/store/tui-state.js';
import {createTheme} from '../../source/ui/theme.js';
import {fixtureState, fixtureStore} from './tui-fixture.js';

const settle = async () => {
	for (let i = 0; i < 4; i++) await new Promise(resolve => setImmediate(resolve));
};

const names = {contexts: ['kind-kind', 'k8snet-lab', 'prod'], namespaces: ['default', 'kube-system', 'lab'], nodes: ['k8snet-lab', 'k8snet-lab-m02']};

test('parseLine and completeLine', () => {
	assert.deepEqual(parseLine('ns lab'), {ok: true, command: {kind: 'namespace', name: 'lab'}});
	assert.deepEqual(parseLine('ns all'), {ok: true, command: {kind: 'namespace', name: null}});
	assert.deepEqual(parseLine(' ctx  prod '), {ok: true, command: {kind: 'context', name: 'prod'}});
	assert.deepEqual(parseLine('node k8snet-lab-m02'), {ok: true, command: {kind: 'node', name: 'k8snet-lab-m02'}});
	assert.deepEqual(parseLine('q'), {ok: true, command: {kind: 'quit'}});
	assert.equal(parseLine('ns').ok, false);
	assert.equal(parseLine('ns a b').ok, false);
	assert.match((parseLine('pods') as {reason: string}).reason, /no command 'pods'/);
	assert.deepEqual(completeLine('n', names), {text: 'n', matches: ['ns', 'node']});
	assert.deepEqual(completeLine('c', names), {text: 'ctx ', matches: ['ctx']});
	assert.deepEqual(completeLine('ctx k', names), {text: 'ctx k', matches: ['k8snet-lab', 'kind-kind']});
	assert.deepEqual(completeLine('ctx k8', names), {text: 'ctx k8snet-lab ', matches: ['k8snet-lab']});
	assert.deepEqual(completeLine('node k8', names), {text: 'node k8snet-lab', matches: ['k8snet-lab', 'k8snet-lab-m02']});
	assert.deepEqual(completeLine('ns ku', names), {text: 'ns kube-system ', matches: ['kube-system']});
	assert.deepEqual(completeLine('q x', names), {text: 'q x', matches: []});
});

test('in the TUI: `:` opens the line, tab completes, enter switches, errors stay on the line, :q quits', async () => {
	const state = {...fixtureState(), names};
	const commands: SessionCommand[] = [];
	let quits = 0;
	const app = render(<App store={fixtureStore(state)} dispatch={c => commands.push(c)} columns={100} rows={34} onQuit={() => quits++} theme={createTheme({NO_COLOR: '1'})} now={1_001_000} />);
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			await settle();
		}
	};

	const last = () => (app.lastFrame() ?? '').split('\n').at(-1) ?? '';
	await settle();
	await press(':');
	assert.match(last(), /^:▏ +tab completes/);
	await press('n', 's', ' ', 'k', 'u', '\t');
	assert.match(last(), /^:ns kube-system ▏/);
	await press('\b', '\r');
	assert.deepEqual(commands.at(-1), {type: 'switch', to: {kind: 'namespace', name: 'kube-system'}});
	assert.doesNotMatch(last(), /^:/, 'the line closed');
	// j moved nothing while the line was open: keys typed there are text.
	await press(':', 'j', 'u', 'n', 'k', '\r');
	assert.match(last(), /^:junk▏ +no command 'junk'/);
	await press('\u001B');
	await settle();
	assert.doesNotMatch(last(), /^:/);
	await press(':', 'n', 'o', 'd', 'e', ' ', 'k', '8', '\t', '\t');
	assert.match(last(), /^:node k8snet-lab▏ +k8snet-lab  k8snet-lab-m02/);
	await press('-', 'm', '0', '2', '\r');
	assert.deepEqual(commands.at(-1), {type: 'switch', to: {kind: 'node', name: 'k8snet-lab-m02'}});
	await press(':', 'q', '\r');
	assert.equal(quits, 1);
	app.unmount();
});
