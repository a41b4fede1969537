// The runtime query at 110 pods (issue 16): through the lab containerd's CRI socket (no process),
// against the crictl flow for the same data. Debian has no crictl, so a stand-in `crictl` on PATH
// prints what crictl would (its -o json is the CRI responses as protobuf JSON), taken from the same
// containerd: the crictl figure is therefore a lower bound (real crictl also dials the socket, four
// times). Goal: ≤ 20 ms and 0 processes. Needs root and the machine lock: it brings the lab up.
import {execFile} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {CONTAINERD_SOCKET} from '../source/lab/containerd/containerd-paths.js';
import {readLabState, type LabState} from '../source/lab/lab-state.js';
import {createLabShell} from '../source/node/lab-shell.js';
import {connectCri, type CriMessage} from '../source/node/runtime/cri-client.js';
import {createCriStatusCache} from '../source/node/runtime/cri-runtime.js';
import {probeRuntime} from '../source/node/runtime/runtime.js';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const PODS = 110;
const RUNS = 15;
const GOAL_MS = 20;

async function cli(args: string[]): Promise<void> {
	await run(process.execPath, ['--import', 'tsx', `${root}source/cli.ts`, ...args], {maxBuffer: 64 * 1024 * 1024, timeout: 900_000});
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

/** crictl pods / ps / inspectp / inspect, as crictl prints them, from the CRI's own answers. */
async function crictlStandIn(dir: string): Promise<void> {
	const client = await connectCri(CONTAINERD_SOCKET);
	if (!client.ok) throw new Error(client.reason);
	const call = async (method: Parameters<typeof client.value.call>[0], request: CriMessage) => {
		const r = await client.value.call(method, request);
		if (!r.ok) throw new Error(r.reason);
		return r.value;
	};
	const pods = await call('ListPodSandbox', {});
	const containers = await call('ListContainers', {});
	writeFileSync(join(dir, 'pods.json'), JSON.stringify(pods));
	writeFileSync(join(dir, 'ps.json'), JSON.stringify(containers));
	const inspect = (response: CriMessage) => JSON.stringify({status: response['status'], info: JSON.parse(String((response['info'] as Record<string, string>)['info']))});
	for (const item of pods['items'] as Array<{id: string}>) writeFileSync(join(dir, `${item.id}.json`), inspect(await call('PodSandboxStatus', {podSandboxId: item.id, verbose: true})));
	for (const item of containers['containers'] as Array<{id: string}>) writeFileSync(join(dir, `${item.id}.json`), inspect(await call('ContainerStatus', {containerId: item.id, verbose: true})));
	client.value.close();
	writeFileSync(
		join(dir, 'crictl'),
		`#!/bin/sh\nD=${dir}\ncmd="$1"; shift\n[ "$1" = "-a" ] && shift\n[ "$1" = "-o" ] && shift 2\ncase "$cmd" in\npods) cat "$D/pods.json" ;;\nps) cat "$D/ps.json" ;;\ninspectp|inspect) for id in "$@"; do cat "$D/$id.json"; done ;;\nesac\n`,
	);
	chmodSync(join(dir, 'crictl'), 0o755);
}

export async function bench(): Promise<Record<string, number | string>> {
	await cli(['lab', 'down']);
	const upStarted = performance.now();
	await cli(['lab', 'up', '--runtime', 'containerd', '--pods', String(PODS)]);
	const upMs = performance.now() - upStarted;
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-bench-crictl-'));
	try {
		const state = readLabState() as LabState;
		const shell = createLabShell(state.nodeNetns);
		const cri = [];
		for (let i = 0; i < RUNS; i++) cri.push(await probeRuntime(shell, state));
		const found = cri[0]!.info.sandboxes;
		// A poll loop's calls (createRuntimeDetector): the status calls only for what changed.
		const criCache = createCriStatusCache();
		const steady = [];
		for (let i = 0; i <= RUNS; i++) steady.push(await probeRuntime(shell, state, new Set(), {criCache}));
		steady.shift();

		await crictlStandIn(dir);
		const savedPath = process.env['PATH'];
		process.env['PATH'] = `${dir}:${savedPath ?? ''}`;
		const crictl = [];
		// Without the lab record and with the CRI socket pointed nowhere, the detector falls to crictl.
		for (let i = 0; i < RUNS; i++) crictl.push(await probeRuntime(shell, null, new Set(['cri'])));
		process.env['PATH'] = savedPath;
		const sameData = crictl[0]!.info.kind === 'crictl' && crictl[0]!.info.sandboxes.length === found.length;

		return {
			'pods (sandboxes found)': `${PODS} (${found.length})`,
			'containers found': found.reduce((n, s) => n + s.containers.length, 0),
			'lab up --runtime containerd (s)': round(upMs / 1000),
			'CRI: first query, cold connection (ms)': round(cri[0]!.durationMs),
			'CRI: one-shot query p50, all statuses (ms)': round(median(cri.map(r => r.durationMs))),
			'CRI: poll-loop query p50 (ms)': round(median(steady.map(r => r.durationMs))),
			'CRI: poll-loop query p50 / 20 ms goal': (median(steady.map(r => r.durationMs)) / GOAL_MS).toFixed(2),
			'CRI: processes per query (goal 0)': Math.max(...cri.map(r => r.processes), ...steady.map(r => r.processes)),
			'crictl stand-in: query p50 (ms, lower bound)': round(median(crictl.map(r => r.durationMs))),
			'crictl stand-in: processes per query': crictl[0]!.processes,
			'crictl stand-in read the same pods': sameData ? 'yes' : 'NO',
		};
	} finally {
		rmSync(dir, {recursive: true, force: true});
		await cli(['lab', 'down']);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const [name, value] of Object.entries(await bench())) console.log(`${name.padEnd(44)} ${value}`);
}
