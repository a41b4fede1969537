// A poll loop asks for the runtime every few polls: a CLI that is not on the node is spawned once.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {NodeShell, RunResult} from '../../source/node/node-shell.js';
import {NO_RUNTIME_NOTE, createRuntimeDetector} from '../../source/node/runtime/runtime.js';

function shellWithoutRuntimes(ran: string[][]): NodeShell {
	return {
		access: {kind: 'ssh', target: 'root@node'},
		sharesProcfs: false,
		nodeNetnsPath: null,
		async run(argv): Promise<RunResult> {
			ran.push([...argv]);
			return {exitCode: 127, stdout: '', stderr: `sh: ${argv[0]}: not found`, failure: null};
		},
		stream() {
			throw new Error('not used');
		},
	};
}

test('a runtime CLI found missing is not asked again', async () => {
	const ran: string[][] = [];
	const detect = createRuntimeDetector(shellWithoutRuntimes(ran));
	const first = await detect();
	assert.equal(first.kind, 'none');
	assert.equal(first.note, NO_RUNTIME_NOTE);
	assert.deepEqual([...new Set(ran.map(argv => argv[0]))].sort(), ['crictl', 'docker']);

	ran.length = 0;
	const second = await detect();
	assert.deepEqual(second, first);
	assert.deepEqual(ran, []);
});
