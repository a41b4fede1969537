// 10,000 pods (the lab API's fake pods) listed and held by watchPods, measured in a separate
// process: time to the first full list, RSS growth, and the heap the pod map keeps. The probe is
// bundled with esbuild first, as the shipped bin is: under tsx, client-node alone costs +130 MB.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {build} from 'esbuild';
import {type Fixture, plainLabState, startFixture} from '../lab-api/lab-api-fixture.js';

let lab: Fixture;
let out: string;

before(async () => {
	lab = await startFixture(plainLabState(10, {fakeNodes: 40, fakePods: 10_000}));
	out = mkdtempSync(join(tmpdir(), 'k8snet-cluster-scale-'));
});

after(async () => {
	await lab?.close();
	rmSync(out, {recursive: true, force: true});
});

test('10,000 pods: list + watch in well under the typed client\'s 0.9 s / 125 MB', async () => {
	const probe = join(out, 'scale-probe.mjs');
	await build({
		entryPoints: [fileURLToPath(new URL('scale-probe.ts', import.meta.url))],
		outfile: probe,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		logLevel: 'warning',
		banner: {js: 'import {createRequire} from \'node:module\'; const require = createRequire(import.meta.url);'},
	});
	const {stdout} = await promisify(execFile)(process.execPath, ['--expose-gc', probe, lab.server.kubeconfigPath, 'k8snet-lab-fake-7'], {
		encoding: 'utf8',
		timeout: 60_000,
	});
	const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
	console.log(`10k pods: ${JSON.stringify(figures)}`);
	assert.equal(figures['pods'], 10_010);
	assert.equal(figures['nodePods'], 250, 'the node view lists only that node\'s pods');
	// Generous bounds (a loaded CI machine), still below what the typed client costs (0.9 s, +125 MB).
	// RSS growth is mostly V8 keeping the heap it grew while parsing; what stays is the pod map.
	assert.ok(figures['listMs']! < 3000, `list took ${figures['listMs']} ms`);
	assert.ok(figures['rssGrowthMB']! < 110, `RSS grew ${figures['rssGrowthMB']} MB`);
	assert.ok(figures['podMapHeapMB']! < 25, `the pod map holds ${figures['podMapHeapMB']} MB`);
	assert.ok(figures['bytesPerPod']! < 2500, `${figures['bytesPerPod']} bytes per pod`);
});
