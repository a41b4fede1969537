// config.yaml: defaults for flags, spelled as flags, that a typed flag overrides; a broken file or
// an unknown key is one line naming the file.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {configPath, parseConfig} from '../../source/app/config-file.js';
import {CLI_FLAGS, configurable} from '../../source/cli-flags.js';

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/k8snet-tui.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'k8snet-config-'));
after(() => rmSync(home, {recursive: true, force: true}));

async function cli(args: string[], config: string | null): Promise<{code: number; stdout: string; stderr: string}> {
	const dir = join(home, 'k8snet-tui');
	rmSync(dir, {recursive: true, force: true});
	if (config !== null) {
		mkdirSync(dir, {recursive: true});
		writeFileSync(join(dir, 'config.yaml'), config);
	}

	try {
		const r = await exec(process.execPath, [BIN, ...args], {env: {...process.env, XDG_CONFIG_HOME: home, KUBECONFIG: ''}});
		return {code: 0, stdout: r.stdout, stderr: r.stderr};
	} catch (error) {
		const e = error as {code: number; stdout: string; stderr: string};
		return {code: e.code, stdout: e.stdout, stderr: e.stderr};
	}
}

test('parseConfig: flag names in kebab-case, typed as the flag; anything else is refused with the keys', () => {
	assert.deepEqual(parseConfig('node-ssh: root@{ip}\nall-nodes: true\n', CLI_FLAGS, 'c.yaml', configurable), {ok: true, value: {nodeSsh: 'root@{ip}', allNodes: true}});
	assert.deepEqual(parseConfig('', CLI_FLAGS, 'c.yaml', configurable), {ok: true, value: {}});
	const unknown = parseConfig('colours: dark\n', CLI_FLAGS, 'c.yaml', configurable);
	assert.ok(!unknown.ok && /c\.yaml: unknown key 'colours'/.test(unknown.reason) && /node-ssh/.test(unknown.hint));
	const internal = parseConfig('socket: /tmp/x\n', CLI_FLAGS, 'c.yaml', configurable);
	assert.ok(!internal.ok, 'the daemons\' own flags are not configurable');
	const typed = parseConfig('pods: many\n', CLI_FLAGS, 'c.yaml', configurable);
	assert.ok(!typed.ok && /'pods' must be a number/.test(typed.reason));
	assert.ok(!parseConfig('- a\n- b\n', CLI_FLAGS, 'c.yaml', configurable).ok);
	assert.ok(!parseConfig('a: [\n', CLI_FLAGS, 'c.yaml', configurable).ok);
	assert.equal(configPath({XDG_CONFIG_HOME: '/x'}), '/x/k8snet-tui/config.yaml');
	assert.equal(configPath({HOME: '/home/u'}), '/home/u/.config/k8snet-tui/config.yaml');
});

test('the file gives defaults and a typed flag wins; config path says where it is', async () => {
	const fromFile = await cli(['dump'], `kubeconfig: ${join(home, 'from-file')}\n`);
	assert.equal(fromFile.code, 1);
	assert.match(fromFile.stderr, /from-file/);
	const typed = await cli(['dump', '--kubeconfig', join(home, 'typed')], `kubeconfig: ${join(home, 'from-file')}\n`);
	assert.equal(typed.code, 1);
	assert.match(typed.stderr, /typed/);
	assert.doesNotMatch(typed.stderr, /from-file/);
	const where = await cli(['config', 'path'], null);
	assert.deepEqual([where.code, where.stdout], [0, `${join(home, 'k8snet-tui', 'config.yaml')}\n`]);
});

test('a broken file is one line naming it, and nothing runs', async () => {
	const broken = await cli(['dump'], 'namespace: [\n');
	assert.equal(broken.code, 1);
	assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
	assert.match(broken.stderr, /config\.yaml: not YAML/);
	const unknown = await cli(['dump'], 'colour: red\n');
	assert.equal(unknown.code, 1);
	assert.match(unknown.stderr, /unknown key 'colour' \(the keys are flag names: /);
});
