// `help keys` prints every command of the one key registry under its scope, and the registry binds
// no key twice in one scope; a scope's key that outranks a global one is printed as such.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {COMMANDS, KEY_SCOPES, keysLabel, scopeCommands, type CommandId} from '../../source/ui/keys.js';
import {ROOT} from '../ui/pty-screen.js';

function cli(...args: string[]) {
	return spawnSync(process.execPath, ['--import', 'tsx', 'source/cli.ts', ...args], {cwd: ROOT, encoding: 'utf8', timeout: 60_000});
}

/** The printed sections: scope → its lines. */
function sections(text: string): Map<string, string[]> {
	const map = new Map<string, string[]>();
	let scope: string | null = null;
	for (const line of text.split('\n')) {
		const head = /^(\w+) keys: /.exec(line);
		if (head) map.set(scope = head[1]!, []);
		else if (scope !== null && line.startsWith('  ')) map.get(scope)!.push(line);
	}
	return map;
}

test('help keys: one section per scope that binds keys, each command with its keys and help', () => {
	const run = cli('help', 'keys');
	assert.equal(run.status, 0, run.stderr);
	const printed = sections(run.stdout);
	const scopes = KEY_SCOPES.filter(scope => scopeCommands(scope).length > 0);
	assert.deepEqual([...printed.keys()], scopes);
	assert.ok(printed.has('capture'), 'the capture pane\'s keys are in the map');
	for (const id of Object.keys(COMMANDS) as CommandId[]) {
		const lines = printed.get(COMMANDS[id].scope) ?? [];
		const line = lines.find(l => l.trim().startsWith(`${keysLabel(id)} `) && l.includes(COMMANDS[id].help));
		assert.ok(line, `${id}: "${keysLabel(id)}  ${COMMANDS[id].help}" under ${COMMANDS[id].scope}`);
		const shadows = scopeCommands('global').filter(g => COMMANDS[id].scope !== 'global' && COMMANDS[g].keys.some(key => COMMANDS[id].keys.includes(key)));
		for (const global of shadows) assert.match(line, new RegExp(`instead of global: .*${COMMANDS[global].help.replace(/[()|.?*+]/g, '\\$&')}`), `${id} says it outranks ${global}`);
	}
	assert.equal(printed.get('global')!.length + [...printed.values()].slice(1).reduce((n, l) => n + l.length, 0), Object.keys(COMMANDS).length);
});

test('the registry binds no key twice within a scope', () => {
	for (const scope of KEY_SCOPES) {
		const seen = new Map<string, CommandId>();
		for (const id of scopeCommands(scope)) {
			for (const key of COMMANDS[id].keys) {
				assert.equal(seen.get(key), undefined, `${scope}: '${key}' is bound to ${seen.get(key)} and ${id}`);
				seen.set(key, id);
			}
		}
	}
});

test('help with anything but keys is one line with a hint; help --help explains it', () => {
	const bad = cli('help', 'flags');
	assert.equal(bad.status, 1);
	assert.equal(bad.stderr.trim().split('\n').length, 1);
	assert.match(bad.stderr, /no 'help flags'.*help keys/);
	const help = cli('help', '--help');
	assert.equal(help.status, 0);
	assert.match(help.stdout, /k8snet-tui help keys/);
});
