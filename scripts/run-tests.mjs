// Node 20's test runner takes no globs: find the test files ourselves and run them one file at a
// time (the lab is one per machine, so files that bring it up must not overlap). Each file runs in a
// runner of its own with a deadline: a file whose process never exits (a handle left open) fails
// alone, instead of hanging the suite until CI's limit and losing every other result.
// Usage: node scripts/run-tests.mjs [substring ...]  — only files whose path contains one of them.
import {readdirSync} from 'node:fs';
import {spawnSync} from 'node:child_process';

const FILE_DEADLINE_MS = 20 * 60_000;

const filters = process.argv.slice(2);
const files = readdirSync('test', {recursive: true})
	.map(String)
	.filter(file => /\.test\.tsx?$/.test(file))
	.map(file => `test/${file}`)
	.filter(file => filters.length === 0 || filters.some(filter => file.includes(filter)))
	.sort();

if (files.length === 0) {
	console.error(`no test files match ${filters.join(' ')}`);
	process.exit(1);
}

const failed = [];
const started = Date.now();
for (const file of files) {
	const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', file], {stdio: 'inherit', timeout: FILE_DEADLINE_MS, killSignal: 'SIGKILL'});
	if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGKILL') failed.push(`${file} (did not exit within ${FILE_DEADLINE_MS / 60_000} min: killed)`);
	else if (result.status !== 0) failed.push(`${file} (exit ${result.status ?? result.signal})`);
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
if (failed.length > 0) {
	console.error(`\n${failed.length} of ${files.length} test files failed (${minutes} min):\n  ${failed.join('\n  ')}`);
	process.exit(1);
}

console.log(`\nall ${files.length} test files passed (${minutes} min)`);
