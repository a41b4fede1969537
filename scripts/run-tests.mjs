// Node 20's test runner takes no globs: find the test files ourselves and run them one file at a
// time (the lab is one per machine, so files that bring it up must not overlap).
// Usage: node scripts/run-tests.mjs [substring ...]  — only files whose path contains one of them.
import {readdirSync} from 'node:fs';
import {spawnSync} from 'node:child_process';

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

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {stdio: 'inherit'});
process.exit(result.status ?? 1);
