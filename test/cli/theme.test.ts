// --theme and `theme:` in config.yaml: default, mono (no colour, as NO_COLOR) and light; the flag
// wins over the file; a bad name is one line with the names, wherever it was written.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {COMPLETION_TREE} from '../../source/cli-flags.js';
import {THEME_NAMES} from '../../source/core/theme-name.js';
import {createTheme} from '../../source/ui/theme.js';
import {ROOT} from '../ui/pty-screen.js';

const home = mkdtempSync(join(tmpdir(), 'k8snet-theme-'));
after(() => rmSync(home, {recursive: true, force: true}));

function cli(args: string[], config: string | null) {
	const dir = join(home, 'k8snet-tui');
	rmSync(dir, {recursive: true, force: true});
	if (config !== null) {
		mkdirSync(dir, {recursive: true});
		writeFileSync(join(dir, 'config.yaml'), config);
	}
	// A kubeconfig that does not exist: dump fails on it, after the flags were checked.
	const kubeconfig = join(home, 'no-such-kubeconfig');
	return spawnSync(process.execPath, ['--import', 'tsx', 'source/cli.ts', ...args, '--kubeconfig', kubeconfig], {
		cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: {...process.env, XDG_CONFIG_HOME: home},
	});
}

test('themes: mono has no colour at all, light is not the default palette, NO_COLOR turns any theme off', () => {
	const mono = createTheme({}, 'mono');
	assert.equal(mono.color, false);
	assert.deepEqual(Object.entries(mono).filter(([key, value]) => key !== 'color' && value !== undefined), []);
	const dark = createTheme({}, 'default');
	const light = createTheme({}, 'light');
	assert.equal(dark.color && light.color, true);
	assert.notEqual(light.warn, dark.warn, 'no yellow on a light background');
	assert.notEqual(light.muted, dark.muted);
	for (const name of THEME_NAMES) assert.equal(createTheme({NO_COLOR: '1'}, name).color, false, name);
	assert.deepEqual(createTheme({}), dark, 'default is the default');
});

test('a bad theme is one line naming the themes, from the flag or from config.yaml; the flag wins over the file', () => {
	const flag = cli(['dump', '--theme', 'neon'], null);
	assert.equal(flag.status, 1);
	assert.equal(flag.stderr.trim().split('\n').length, 1, flag.stderr);
	assert.match(flag.stderr, /--theme '?neon'? is not a theme \(use one of default, mono, light: /);
	const file = cli(['dump'], 'theme: sparkly\n');
	assert.equal(file.status, 1);
	assert.match(file.stderr, /'?sparkly'? is not a theme/);
	const wins = cli(['dump', '--theme', 'mono'], 'theme: sparkly\n');
	assert.doesNotMatch(wins.stderr, /not a theme/);
	assert.match(wins.stderr, /no-such-kubeconfig/, 'it went on to the kubeconfig');
	const good = cli(['dump'], 'theme: light\n');
	assert.doesNotMatch(good.stderr, /not a theme/);
	assert.match(good.stderr, /no-such-kubeconfig/);
});

test('completion and the config know --theme', () => {
	assert.ok(COMPLETION_TREE.flags.some(flag => flag.long === 'theme' && flag.takesValue));
});
