// The path benchmark (issue 12): on `lab up --nodes 3 --pods 110` (110 pods per node, VXLAN),
// `path --json` as a whole process, cold (the shipped bundle: npm run build first), against the
// ≤ 1 s goal; and a refresh as the TUI does it (the facts re-read with the pods as joined), counting
// the commands each node runs against the ≤ 1 round trip per node goal. Needs root and the lab lock.
import {execFile, execFileSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {joinTrace, readTraceFacts} from '../source/app/path-trace.js';
import {createClusterRegistry} from '../source/app/target.js';
import {loadKubeTarget} from '../source/cluster/kube-target.js';
import {listNodes} from '../source/cluster/nodes.js';
import {listPods} from '../source/cluster/pods.js';
import {readLabState} from '../source/lab/lab-state.js';

const BIN = fileURLToPath(new URL('../bin/k8snet-tui.js', import.meta.url));
const exec = promisify(execFile);
const RUNS = 7;
const GOAL_MS = 1000;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

const lab = (args: string[]) => execFileSync(process.execPath, [BIN, 'lab', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});

export async function bench(): Promise<Record<string, number | string>> {
	lab(['down']);
	const upStarted = performance.now();
	lab(['up', '--nodes', '3', '--overlay', 'vxlan', '--pods', '110']);
	const upMs = performance.now() - upStarted;
	try {
		const state = readLabState()!;
		const kube = loadKubeTarget({kubeconfig: state.kubeconfig, context: undefined});
		if (!kube.ok) throw new Error(kube.reason);
		const pods = await listPods(kube.value, {});
		if (!pods.ok) throw new Error(pods.reason);
		const [n1, , n3] = state.nodes!;
		const a = pods.value.find(p => p.nodeName === n1!.name)!;
		const b = pods.value.find(p => p.nodeName === n3!.name)!;

		const cold: number[] = [];
		let verdict = '';
		for (let i = 0; i < RUNS; i++) {
			const t0 = performance.now();
			const r = await exec(process.execPath, [BIN, 'path', `${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`, '--json', '--kubeconfig', state.kubeconfig]);
			cold.push(performance.now() - t0);
			verdict = (JSON.parse(r.stdout) as {verdict: string}).verdict;
		}

		const nodes = await listNodes(kube.value);
		if (!nodes.ok) throw new Error(nodes.reason);
		const registry = createClusterRegistry(kube.value, () => nodes.value, {kubeconfig: state.kubeconfig} as never);
		try {
			const joined = await joinTrace(registry, nodes.value, a, {pod: b});
			if (!joined.ok) throw new Error(joined.reason);
			// Count what each node runs during a refresh: every command goes through its handle's run().
			const calls = new Map<string, number>();
			for (const [name, handle] of joined.value.handles) {
				joined.value.handles.set(name, {...handle, run: (argv, options) => {
					calls.set(name, (calls.get(name) ?? 0) + 1);
					return handle.run(argv, options);
				}});
			}

			const refresh: number[] = [];
			for (let i = 0; i < RUNS; i++) {
				const t0 = performance.now();
				await readTraceFacts(joined.value);
				refresh.push(performance.now() - t0);
			}

			const perNode = Math.max(...calls.values()) / RUNS;
			return {
				'lab': `3 nodes × 110 pods, vxlan (up in ${(upMs / 1000).toFixed(1)} s)`,
				'verdict (reachable expected)': verdict,
				'path --json cold, whole process p50 (ms)': Math.round(median(cold)),
				'path --json cold p50 / 1 s goal': (median(cold) / GOAL_MS).toFixed(2),
				'join before the first refresh, processes per node': [...joined.value.joinRoundTrips.values()].join(', '),
				'refresh (facts of both nodes) p50 (ms)': Math.round(median(refresh)),
				'refresh round trips per node / 1 goal': perNode.toFixed(2),
			};
		} finally {
			registry.close();
		}
	} finally {
		lab(['down']);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const [name, value] of Object.entries(await bench())) console.log(`${name.padEnd(44)} ${value}`);
}
