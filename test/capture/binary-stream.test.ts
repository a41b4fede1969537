// A pcap crosses the node shell as bytes: every byte value, CR and LF included, arrives exactly as
// the command wrote it, through the local shell's watchdog and through the remote shell's path
// (watchdog, client under setpriv). The remote transport here is an exec prefix of `env`, which
// runs the node side on this machine: what is tested is our side of the pipe, not docker's.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {createLocalShell} from '../../source/node/local-shell.js';
import type {NodeShell} from '../../source/node/node-shell.js';
import {createExecShell} from '../../source/node/remote/exec-shell.js';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-binary-'));
after(() => rmSync(dir, {recursive: true, force: true}));

/** Every byte value, then the sequences a tty or a text decoder would rewrite, 64 KiB and more in all. */
function payload(): Buffer {
	const all = Buffer.from(Array.from({length: 256}, (_, i) => i));
	const tricky = Buffer.from([0x0a, 0x0d, 0x0d, 0x0a, 0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x00, 0x1b, 0x5b]);
	return Buffer.concat(Array.from({length: 300}, (_, i) => (i % 2 === 0 ? all : tricky)));
}

async function streamBytes(shell: NodeShell, file: string): Promise<Buffer> {
	const chunks: Buffer[] = [];
	const handle = shell.stream(['cat', file], {onStdoutData: chunk => chunks.push(chunk)});
	const exit = await handle.exited;
	assert.equal(exit.exitCode, 0, JSON.stringify(exit));
	return Buffer.concat(chunks);
}

const shells: Array<[string, () => NodeShell]> = [
	['the local shell', () => createLocalShell()],
	['a remote (exec) shell', () => createExecShell(['env'])],
];

for (const [name, make] of shells) {
	test(`${name} passes stdout bytes through unchanged`, async () => {
		const bytes = payload();
		const file = join(dir, `${name.replace(/\W/g, '_')}.bin`);
		writeFileSync(file, bytes);
		const got = await streamBytes(make(), file);
		assert.equal(got.length, bytes.length);
		assert.ok(got.equals(bytes), 'the bytes differ');
	});
}

test('without a data callback, lines still arrive one by one', async () => {
	const lines: string[] = [];
	const handle = createLocalShell().stream(['printf', 'a\\nb\\n'], {onStdoutLine: line => lines.push(line)});
	await handle.exited;
	assert.deepEqual(lines, ['a', 'b']);
});
