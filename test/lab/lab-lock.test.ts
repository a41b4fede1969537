// The lab lock: lab commands run one at a time, and a lock left by a dead process is taken over.
import assert from 'node:assert/strict';
import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {withLabLock} from '../../source/lab/lab-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-lab-lock-'));
const file = join(dir, 'lock');
after(() => rmSync(dir, {recursive: true, force: true}));

test('two holders never overlap, and the lock is gone afterwards', async () => {
	const events: string[] = [];
	const hold = (name: string) =>
		withLabLock(async () => {
			events.push(`${name} in`);
			await new Promise((r) => setTimeout(r, 100));
			events.push(`${name} out`);
		}, {file});
	await Promise.all([hold('a'), hold('b')]);
	assert.deepEqual(events, ['a in', 'a out', 'b in', 'b out']);
	assert.equal(existsSync(file), false);
});

test('a lock whose owner is dead is taken over; a live owner makes us wait, then time out', async () => {
	const dead = Number(execFileSync('sh', ['-c', 'echo $$'], {encoding: 'utf8'}).trim());
	writeFileSync(file, `${dead}\n`);
	assert.equal(await withLabLock(async () => 'ran', {file, timeoutMs: 2000}), 'ran');

	writeFileSync(file, `${process.ppid}\n`);
	await assert.rejects(withLabLock(async () => 'ran', {file, timeoutMs: 200}), /another lab command \(pid \d+\) holds/);
	rmSync(file);
});

test('the lock is released when the work throws', async () => {
	await assert.rejects(withLabLock(async () => Promise.reject(new Error('boom')), {file}), /boom/);
	assert.equal(existsSync(file), false);
});

// Processes, not promises: the lock's races are between processes, and the old lock lost them
// (a racer read the owner's file before its pid was written, called the owner dead and took over).
test('8 processes racing for the lock, from a dead owner\'s lock, never overlap and lose no update', async () => {
	const lockModule = JSON.stringify(new URL('../../source/lab/lab-lock.ts', import.meta.url).pathname);
	const counter = join(dir, 'counter');
	const rounds = 3;
	for (let round = 0; round < rounds; round++) {
		writeFileSync(counter, '0');
		// Each round starts from a lock left by a dead owner, so every racer also races the takeover.
		writeFileSync(file, `${Number(execFileSync('sh', ['-c', 'echo $$'], {encoding: 'utf8'}).trim())}\n`);
		const code = `
			import {readFileSync, writeFileSync} from 'node:fs';
			import {withLabLock} from ${lockModule};
			const [file, counter, start] = process.argv.slice(1);
			while (Date.now() < Number(start)) await new Promise((r) => setTimeout(r, 1));
			for (let i = 0; i < 10; i++) {
				await withLabLock(async () => {
					const n = Number(readFileSync(counter, 'utf8'));
					await new Promise((r) => setTimeout(r, 2));
					writeFileSync(counter, String(n + 1));
				}, {file, timeoutMs: 60_000});
			}`;
		// A common start time, so the racers really race instead of trickling in as they load.
		const start = String(Date.now() + 2500);
		const children = Array.from({length: 8}, () =>
			new Promise<void>((resolve, reject) => {
				execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, file, counter, start], {timeout: 90_000}, (error) =>
					error ? reject(error) : resolve(),
				);
			}),
		);
		await Promise.all(children);
		assert.equal(readFileSync(counter, 'utf8'), '80', `round ${round}: updates lost under the lock`);
		assert.equal(existsSync(file), false);
		assert.equal(existsSync(`${file}.takeover`), false);
	}
});
