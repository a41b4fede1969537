// The policy evaluator's benchmark (issue 14): compile + a whole truth table over 500 pods × 100
// policies, against the ≤ 1 s goal of the `policy` command. Pure: no lab, no lock needed.
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {compilePolicies} from '../source/core/policy/compile-policies.js';
import {truthTable} from '../source/core/policy/truth-table.js';
import {syntheticCluster} from '../test/core/policy/synthetic-cluster.js';

const RUNS = 7;
const GOAL_MS = 1000;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

export async function bench(): Promise<Record<string, number | string>> {
	const c = syntheticCluster(500, 100);
	const compile: number[] = [];
	const table: number[] = [];
	let cells = 0;
	let first = 0;
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		const model = compilePolicies(c.policies, c.namespaces, c.pods);
		const t1 = performance.now();
		const t = truthTable(model, 80, 'TCP');
		const t2 = performance.now();
		if (i === 0) first = t2 - t0;
		compile.push(t1 - t0);
		table.push(t2 - t1);
		cells = t.cells.length * t.cells.length;
	}

	const total = median(compile) + median(table);
	return {
		'pods × policies': '500 × 100',
		'cells per table': cells,
		'first compile + table, cold (ms)': Math.round(first),
		'compile p50 (ms)': Math.round(median(compile)),
		'truth table p50 (ms)': Math.round(median(table)),
		'compile + table p50 / 1 s goal': (total / GOAL_MS).toFixed(2),
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const [name, value] of Object.entries(await bench())) console.log(`${name.padEnd(44)} ${value}`);
}
