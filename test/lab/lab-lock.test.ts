// The lab lock: lab commands run one at a time, and a lock left by a dead process is taken over.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
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
	await assert.rejects(withLabLock(async () => 'ran', {file, timeoutMs: 200}), /another lab command holds/);
	rmSync(file);
});

test('the lock is released when the work throws', async () => {
	await assert.rejects(withLabLock(async () => Promise.reject(new Error('boom')), {file}), /boom/);
	assert.equal(existsSync(file), false);
});
