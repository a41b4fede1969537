// Error lines echo what they were given (a POD argument, a subcommand), and scripts pass cluster
// data as arguments: what reaches the terminal must hold no control sequence, and still say why.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {PLACEHOLDER} from '../../source/core/display-text.js';
import {ROOT} from './pty-screen.js';

const TITLE = '\u001B]0;pwned\u0007';
const UNSAFE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

function run(...args: string[]) {
	return spawnSync(process.execPath, ['--import', 'tsx', 'source/cli.ts', ...args], {cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: {...process.env, KUBECONFIG: '/nonexistent'}});
}

test('dump: a bad POD argument is echoed made safe, with its reason', () => {
	const r = run('dump', `a/b/${TITLE}\u202E`);
	assert.equal(r.status, 1);
	assert.doesNotMatch(r.stderr, UNSAFE, JSON.stringify(r.stderr));
	assert.match(r.stderr, /k8snet-tui dump: "a\/b\/\uFFFD\uFFFD" is not NAME or NAMESPACE\/NAME/);
	assert.ok(r.stderr.includes(PLACEHOLDER));
});

test('an unknown command or lab subcommand is echoed made safe', () => {
	for (const args of [[`x${TITLE}`], ['lab', `x${TITLE}\u009B2J`]]) {
		const r = run(...args);
		assert.equal(r.status, 1, JSON.stringify(r));
		assert.doesNotMatch(r.stderr, UNSAFE, JSON.stringify(r.stderr));
		assert.match(r.stderr, /unknown (command|subcommand) 'x\uFFFD+'/);
	}
});
