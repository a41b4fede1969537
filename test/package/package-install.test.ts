// The package as a user gets it: a clean clone (committed files only), `npm pack`, a global install
// into a prefix of our own with --offline (the bundle carries every dependency, so nothing may be
// fetched), then the installed binary run from another directory: --version, and dump against the lab.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {DumpDocument} from '../../source/core/dump-output.js';
import {labDown, labUp} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';

const exec = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const skip = needs({root: true, tools: ['git', 'npm', 'ip', 'nsenter', 'kubectl'], files: ['/usr/lib/cni/bridge']});
const scratch = mkdtempSync(join(tmpdir(), 'k8snet-pkg-'));
const prefix = join(scratch, 'prefix');
const elsewhere = mkdtempSync(join(tmpdir(), 'k8snet-pkg-cwd-'));
const bin = join(prefix, 'bin', 'k8snet-tui');
let tarball = '';

async function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
	try {
		const r = await exec(file, args, {cwd, timeout: 300_000, maxBuffer: 64 << 20, env: {...process.env, npm_config_update_notifier: 'false', ...env}});
		return {code: 0, stdout: r.stdout, stderr: r.stderr};
	} catch (error) {
		const e = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error)};
	}
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir, {recursive: true}).map(String);
}

before(async () => {
	if (skip) return;
	const clone = join(scratch, 'clone');
	const cloned = await run('git', ['clone', '--quiet', '--no-hardlinks', repo, clone], scratch);
	assert.equal(cloned.code, 0, cloned.stderr);
	// The main checkout's packages, not a registry: tests fetch nothing.
	symlinkSync(realpathSync(join(repo, 'node_modules')), join(clone, 'node_modules'));
	const packed = await run('npm', ['pack', '--silent'], clone);
	assert.equal(packed.code, 0, packed.stderr);
	tarball = join(clone, packed.stdout.trim().split('\n').pop()!);
	const installed = await run('npm', ['i', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], scratch);
	assert.equal(installed.code, 0, installed.stderr);
});

after(async () => {
	if (!skip) await labDown();
	rmSync(scratch, {recursive: true, force: true});
	rmSync(elsewhere, {recursive: true, force: true});
});

test('the tarball holds the bundle and no source maps; the install has no node_modules of its own', {skip}, () => {
	const installedDir = join(prefix, 'lib', 'node_modules', 'k8snet-tui');
	const files = filesUnder(installedDir);
	assert.ok(files.includes(join('dist', 'cli.js')), files.join(' '));
	assert.deepEqual(files.filter(f => f.endsWith('.map')), []);
	assert.deepEqual(files.filter(f => f.startsWith('node_modules')), [], 'a dependency was installed');
	const kib = Math.round(statSync(tarball).size / 1024);
	const installedKib = Math.round(files.reduce((sum, f) => sum + statSync(join(installedDir, f)).size, 0) / 1024);
	console.log(`tarball ${kib} KiB, installed ${installedKib} KiB`);
});

test('the installed binary runs from another directory: --version, and no punycode deprecation', {skip}, async () => {
	const version = await run(bin, ['--version'], elsewhere);
	assert.equal(version.code, 0, version.stderr);
	assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {version: string}).version);
	// Node 20 reports DEP0040 only with --pending-deprecation; Node >= 21 always does. The failing
	// kubeconfig still loads client-node, which is what requires punycode.
	const loaded = await run(process.execPath, ['--pending-deprecation', bin, 'dump', '--kubeconfig', join(elsewhere, 'none')], elsewhere);
	assert.equal(loaded.code, 1);
	assert.match(loaded.stderr, /cannot read kubeconfig/);
	assert.doesNotMatch(loaded.stderr, /DEP0040|punycode/);
});

test('the installed binary dumps the lab', {skip}, async () => {
	const state = await labUp(['--pods', '3']);
	const dumped = await run(bin, ['dump', '--json', '--kubeconfig', state.kubeconfig], elsewhere);
	assert.equal(dumped.code, 0, dumped.stderr);
	const document = JSON.parse(dumped.stdout) as DumpDocument;
	assert.equal(document.node, state.node);
	assert.deepEqual(document.pods.map(p => p.uid).sort(), state.pods.map(p => p.uid).sort());
	assert.ok(document.pods.every(p => p.status === 'resolved'), document.pods.map(p => `${p.name}: ${p.status}`).join(', '));
});

test('the package installs the kubectl plugin: `kubectl k8snet --version` finds it on PATH', {skip}, async () => {
	const path = {PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`};
	const plugin = await run('kubectl', ['k8snet', '--version'], elsewhere, path);
	assert.equal(plugin.code, 0, plugin.stderr);
	assert.equal(plugin.stdout.trim(), (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {version: string}).version);
	const help = await run('kubectl', ['k8snet', 'dump', '--help'], elsewhere, path);
	assert.equal(help.code, 0, help.stderr);
	assert.match(help.stdout, /\$ kubectl k8snet dump/);
});
