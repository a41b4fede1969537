// The lab node behind ssh, at 110 pods: an sshd of our own in the lab node netns, the tool's remote
// poller run from the lab's world netns (test/remote/driver.ts). Figures per way in: connect +
// node check (which starts the node worker), connect + first poll, steady-poll p50/p95, commands
// and new remote sessions (client processes) per steady poll, and processes per steady poll on the
// node (pids handed out during the poll; the lab node shares this host's pid namespace, so this is
// exact up to unrelated processes, and the minimum is shown too).
// "ssh, lean login shell" runs the same sshd with `SetEnv SHLVL=1`, which makes bash skip ~/.bashrc:
// this machine's root .bashrc runs `pyenv init` (about 100 processes) on every ssh command.
// The agent runs from this host, as a user with only a kubeconfig does: the lab API creates the
// agent pod and runs its exec in the lab node's namespace. Its figures: sweep + create + Running +
// node check, the polls through the same remote poller, and the bundled TUI with --agent from its
// start to the first frame that shows the pods' host veths.
import {readFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {loadKubeTarget} from '../source/cluster/kube-target.js';
import {readLabState} from '../source/lab/lab-state.js';
import {reachAgentNode} from '../source/node/remote/agent-reach.js';
import type {PollStats} from '../source/node/node-poller.js';
import {createNodePollerFor} from '../source/node/remote/node-poller-for.js';
import {lab} from '../test/lab/lab-cli.js';
import {startCli} from '../test/ui/pty-screen.js';
import {LAB_NODE, NODE_IP, dockerStandIn, removeDriverFiles, runDriver, startSshd} from '../test/remote/node-fixtures.js';

const PODS = 110;
const POLLS = 41;

interface BenchOutput {
	ok: boolean;
	reason?: string;
	reachMs: number;
	namespaces: number;
	trueMs: number[];
	stats: Array<{durationMs: number; roundTrips: number; processes: number; pidsUsed: number}>;
}

const quantile = (values: number[], q: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

const round = (n: number) => Math.round(n * 10) / 10;

export function figures(prefix: string, r: BenchOutput): Record<string, number | string> {
	if (!r.ok) return {[`${prefix} failed`]: r.reason ?? 'unknown'};
	const steady = r.stats.slice(1);
	const durations = steady.map(s => s.durationMs);
	const pids = steady.map(s => s.pidsUsed);
	return {
		[`${prefix}: connect + node check ms`]: round(r.reachMs),
		[`${prefix}: connect + first poll ms (${r.namespaces} netns)`]: round(r.reachMs + r.stats[0]!.durationMs),
		[`${prefix}: steady poll p50 ms (goal <= 30)`]: round(quantile(durations, 0.5)),
		[`${prefix}: steady poll p95 ms`]: round(quantile(durations, 0.95)),
		[`${prefix}: one command (true) round trip p50 ms`]: round(quantile(r.trueMs, 0.5)),
		[`${prefix}: commands per steady poll`]: Math.max(...steady.map(s => s.roundTrips)),
		[`${prefix}: new remote sessions per steady poll (goal 0)`]: Math.max(...steady.map(s => s.processes)),
		[`${prefix}: node processes per steady poll p50/min`]: `${quantile(pids, 0.5)}/${Math.min(...pids)}`,
	};
}

export async function bench(): Promise<Record<string, number | string>> {
	await lab(['down']);
	const up = await lab(['up', '--pods', String(PODS)]);
	if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr}`);
	const node = {name: LAB_NODE, ip: NODE_IP};
	const out: Record<string, number | string> = {};
	try {
		for (const [label, extra] of [['ssh', []], ['ssh, lean login shell', ['SetEnv SHLVL=1']]] as const) {
			const sshd = await startSshd(22, [...extra]);
			try {
				Object.assign(out, figures(label, await runDriver<BenchOutput>({nodeSsh: sshd.args, node, action: 'bench', polls: POLLS}, {}, 300_000)));
			} finally {
				sshd.stop();
			}
		}

		const standIn = dockerStandIn();
		try {
			const env = {PATH: `${standIn.dir}:${process.env['PATH']}`};
			Object.assign(out, figures('docker exec stand-in', await runDriver<BenchOutput>({node, action: 'bench', polls: POLLS}, env, 300_000)));
		} finally {
			standIn.remove();
		}

		Object.assign(out, figures('agent (API exec)', await agentBench()), await agentFirstFrame());
	} finally {
		removeDriverFiles();
		await lab(['down']);
	}

	return out;
}

/** The lab's exec runs in this host's pid namespace: pids handed out during a poll count its processes (plus unrelated ones). */
const lastPid = () => Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));

/** The agent, in this process: what reachAgentNode costs, then POLLS polls through its shell. */
export async function agentBench(): Promise<BenchOutput> {
	const state = readLabState();
	const loaded = loadKubeTarget({kubeconfig: state?.kubeconfig, context: undefined});
	if (!loaded.ok) return {ok: false, reason: loaded.reason, reachMs: 0, namespaces: 0, trueMs: [], stats: []};
	const started = performance.now();
	const reached = await reachAgentNode(loaded.value, {node: LAB_NODE});
	const reachMs = performance.now() - started;
	if (!reached.ok) return {ok: false, reason: reached.reason, reachMs, namespaces: 0, trueMs: [], stats: []};
	const {shell, release} = reached.value;
	try {
		const poller = createNodePollerFor(shell);
		const stats: BenchOutput['stats'] = [];
		let namespaces = 0;
		for (let i = 0; i < POLLS; i++) {
			const before = lastPid();
			const polled = await poller.poll();
			if (!polled.ok) return {ok: false, reason: polled.reason, reachMs, namespaces, trueMs: [], stats};
			namespaces = polled.value.namespaces.length;
			const s = poller.lastPollStats() as PollStats & {roundTrips?: number};
			stats.push({durationMs: s.durationMs, roundTrips: s.roundTrips ?? 0, processes: s.processes, pidsUsed: lastPid() - before});
		}

		const trueMs: number[] = [];
		for (let i = 0; i < 20; i++) {
			const t = performance.now();
			await shell.run(['true']);
			trueMs.push(performance.now() - t);
		}

		return {ok: true, reachMs, namespaces, trueMs, stats};
	} finally {
		await release();
	}
}

/** The bundled TUI with --agent in a pty: from its start to the first frame with every pod's host veth. */
export async function agentFirstFrame(): Promise<Record<string, number | string>> {
	const state = readLabState();
	if (!state) return {'agent: start to first frame with paths': 'no lab'};
	const pods = state.pods.filter(pod => pod.kind === 'normal').slice(0, 5).map(pod => `${pod.namespace}/${pod.name}`);
	const started = performance.now();
	const screen = startCli(['--kubeconfig', state.kubeconfig, '--agent'], {entry: 'bundle', columns: 140, rows: 40});
	try {
		const at = await screen.waitFor(text => pods.some(ref => text.split('\n').some(line => line.includes(ref) && /veth/.test(line))), 60_000, 'a pod row with its host veth');
		return {'agent: TUI start to first frame with paths ms (goal <= 5000)': round(at - started)};
	} catch (error) {
		return {'agent: TUI start to first frame with paths': `failed: ${(error as Error).message}`};
	} finally {
		screen.write('q');
		await Promise.race([screen.exited, new Promise(resolve => setTimeout(resolve, 10_000))]);
		screen.kill('SIGKILL');
	}
}
