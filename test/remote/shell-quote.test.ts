// The remote command string: every argument must reach the node as exactly itself. Checked with
// real shells (dash as sh, and bash, the usual login shells), with a canary file that any
// breakout would create.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {quoteArgument, quoteCommand} from '../../source/core/shell-quote.js';
import {needs} from '../support/prerequisites.js';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-quote-'));
const canary = join(dir, 'x');
after(() => rmSync(dir, {recursive: true, force: true}));

const NASTY = [
	`$(touch ${canary})`,
	`\`touch ${canary}\``,
	`pod'; touch ${canary}; echo '`,
	`"; touch ${canary}; "`,
	`a\nb; touch ${canary}`,
	`x;touch ${canary}|cat&`,
	`10.244.0.5 && touch ${canary}`,
	'fe80::1%eth0',
	'*',
	'~root',
	'$HOME ${PATH} $1 $@',
	'\\',
	"'",
	"''",
	'',
	' leading and trailing ',
	'tab\there',
	'!event',
	'#comment',
	'nginx-7c5d',
	'10.244.0.5',
	'-n',
];

test('plain words stay bare, everything else is single-quoted', () => {
	assert.equal(quoteArgument('nginx-7c5d'), 'nginx-7c5d');
	assert.equal(quoteArgument('/run/netns/cni-1234'), '/run/netns/cni-1234');
	assert.equal(quoteArgument('--net=/proc/12/ns/net'), '--net=/proc/12/ns/net');
	assert.equal(quoteArgument(''), "''");
	assert.equal(quoteArgument("it's"), `'it'\\''s'`);
	assert.equal(quoteArgument('$(id)'), `'$(id)'`);
	assert.equal(quoteCommand(['printf', '%s', 'a b']), `printf %s 'a b'`);
	assert.throws(() => quoteArgument('a\0b'), /NUL/);
});

for (const shell of ['sh', 'bash']) {
	test(`${shell} gets every argument back unchanged and runs nothing`, {skip: needs({tools: [shell, 'printf']})}, () => {
		const argv = ['printf', '%s\\0', ...NASTY];
		const out = execFileSync(shell, ['-c', quoteCommand(argv)], {encoding: 'utf8'});
		assert.deepEqual(out.split('\0').slice(0, -1), NASTY);
		assert.equal(existsSync(canary), false, 'a quoted argument was executed');
	});
}
