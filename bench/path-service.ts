// The Service path benchmark (issue 13): on `lab up --nodes 3 --proxy iptables|nftables` with a
// Service whose endpoints are on every node, `path FROM svc/NS/NAME --json` as a whole process,
// cold (the shipped bundle: npm run build first), against the ≤ 1.5 s goal; and with --probe
// (one attempt plus the conntrack read on top). Needs root and the lab lock.
import {execFile, execFileSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {readLabState} from '../source/lab/lab-state.js';

const BIN = fileURLToPath(new URL('../bin/k8snet-tui.js', import.meta.url));
const exec = promisify(execFile);
const RUNS = 7;
const GOAL_MS = 1500;

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

const lab = (args: string[]) => execFileSync(process.execPath, [BIN, 'lab', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});

async function timed(args: string[], kubeconfig: string): Promise<{ms: number[]; verdict: string}> {
	const ms: number[] = [];
	let verdict = '';
	for (let i = 0; i < RUNS; i++) {
		const t0 = performance.now();
		const r = await exec(process.execPath, [BIN, 'path', ...args, '--json', '--kubeconfig', kubeconfig]);
		ms.push(performance.now() - t0);
		verdict = (JSON.parse(r.stdout) as {verdict: string}).verdict;
	}

	return {ms, verdict};
}

export async function bench(): Promise<Record<string, number | string>> {
	const out: Record<string, number | string> = {};
	for (const proxy of ['iptables', 'nftables']) {
		lab(['down']);
		lab(['up', '--nodes', '3', '--proxy', proxy, '--pods', '2', '--namespaces', 'default']);
		try {
			lab(['svc', 'add', 'default/web', '--port', '8080', '--target-port', '80', '--selector', 'app=nginx']);
			const state = readLabState()!;
			const endpoints = state.pods.filter(p => p.kind === 'normal').length;
			const plain = await timed(['default/nginx-1', 'svc/default/web'], state.kubeconfig);
			const probed = await timed(['default/nginx-1', 'svc/default/web', '--probe'], state.kubeconfig);
			out[`${proxy}: lab`] = `3 nodes, ${endpoints} endpoints of svc/default/web`;
			out[`${proxy}: verdict (reachable expected)`] = `${plain.verdict}, --probe ${probed.verdict}`;
			out[`${proxy}: path svc cold p50 (ms)`] = Math.round(median(plain.ms));
			out[`${proxy}: path svc cold p50 / 1.5 s goal`] = (median(plain.ms) / GOAL_MS).toFixed(2);
			out[`${proxy}: path svc --probe cold p50 (ms)`] = Math.round(median(probed.ms));
		} finally {
			lab(['down']);
		}
	}

	return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const [name, value] of Object.entries(await bench())) console.log(`${name.padEnd(44)} ${value}`);
}
