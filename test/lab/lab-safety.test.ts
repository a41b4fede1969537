// What the lab refuses, and what it cleans up: down on nothing, names it would use that are not
// its own, a crash in the middle of `lab up`, and non-root users.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite} from './lab-checks.js';
import {lab, labLeftovers, rootSnapshot, run, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'setpriv']});
const rootBefore = aroundLabSuite(skip, () => run(['ip', 'netns', 'delete', 'k8snet-lab-node']).catch(() => ''));

test('lab down on nothing is safe, and status says not up', {skip}, async () => {
	const down = await lab(['down']);
	assert.equal(down.code, 0);
	assert.match(down.stdout, /nothing to remove/);
	assert.deepEqual(await status(), {up: false, pods: []});
});

test('a k8snet-lab-node netns that no lab state owns: up refuses, changes nothing', {skip}, async () => {
	await run(['ip', 'netns', 'add', 'k8snet-lab-node']);
	const up = await lab(['up', '--pods', '1']);
	assert.equal(up.code, 1);
	assert.match(up.stderr, /refusing: found netns k8snet-lab-node, which no lab state says is ours/);
	assert.equal(up.stderr.trim().split('\n').length, 1, 'one line');
	assert.deepEqual(labLeftovers(), ['netns k8snet-lab-node'], 'it did not touch or add anything');
	await run(['ip', 'netns', 'delete', 'k8snet-lab-node']);
});

test('a lab killed in the middle of `lab up` is removed by `lab down`', {skip}, async () => {
	const cli = fileURLToPath(new URL('../../source/cli.ts', import.meta.url));
	const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), cli, 'lab', 'up', '--pods', '30'], {stdio: 'ignore'});
	const exited = new Promise((r) => child.once('exit', r));
	// Kill it once it has started building pods.
	for (let i = 0; i < 200 && !labLeftovers().some((l) => l.includes('k8snet-lab-cni-')); i++) await new Promise((r) => setTimeout(r, 25));
	child.kill('SIGKILL');
	await exited;
	assert.ok(labLeftovers().length > 0, 'it left a half-built lab');
	const st = await status();
	assert.equal(st.up, false, 'a half-built lab is not up');

	const again = await lab(['up', '--pods', '30']);
	assert.equal(again.code, 1, 'up refuses to build over a half-built lab');
	assert.match(again.stderr, /lab down/);

	assert.equal((await lab(['down'])).code, 0);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
});

test('Ctrl-C during `lab up` stops the build and cleans up', {skip}, async () => {
	const cli = fileURLToPath(new URL('../../source/cli.ts', import.meta.url));
	const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), cli, 'lab', 'up', '--pods', '60'], {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const exited = new Promise((r) => child.once('exit', r));
	for (let i = 0; i < 200 && !labLeftovers().some((l) => l.includes('k8snet-lab-cni-')); i++) await new Promise((r) => setTimeout(r, 25));
	child.kill('SIGINT');
	const code = await exited;
	assert.equal(code, 130, stderr);
	assert.match(stderr, /lab up: interrupted/);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
});

test('as non-root, lab refuses in one line', {skip}, async () => {
	const cli = fileURLToPath(new URL('../../source/cli.ts', import.meta.url));
	for (const sub of [['up'], ['down'], [], ['pod', 'add', 'default/x']]) {
		const r = await new Promise<{code: number | null; stderr: string}>((resolve) => {
			const child = spawn('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', process.execPath, '--import', import.meta.resolve('tsx'), cli, 'lab', ...sub], {
				stdio: ['ignore', 'ignore', 'pipe'],
				env: {...process.env, HOME: '/tmp', TSX_DISABLE_CACHE: '1'},
			});
			let stderr = '';
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			child.on('exit', (code) => resolve({code, stderr}));
		});
		assert.equal(r.code, 1, `lab ${sub.join(' ')}: ${r.stderr}`);
		assert.match(r.stderr, /^k8snet-tui lab: needs root .*\n$/);
	}

	assert.deepEqual(labLeftovers(), []);
});
