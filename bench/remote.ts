// The lab node behind ssh, at 110 pods: an sshd of our own in the lab node netns, the tool's remote
// poller run from the lab's world netns (test/remote/driver.ts). Figures per way in: connect +
// node check (which starts the node worker), connect + first poll, steady-poll p50/p95, commands
// and new remote sessions (client processes) per steady poll, and processes per steady poll on the
// node (pids handed out during the poll; the lab node shares this host's pid namespace, so this is
// exact up to unrelated processes, and the minimum is shown too).
// "ssh, lean login shell" runs the same sshd with `SetEnv SHLVL=1`, which makes bash skip ~/.bashrc:
// this machine's root .bashrc runs `pyenv init` (about 100 processes) on every ssh command.
import {lab} from '../test/lab/lab-cli.js';
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

function figures(prefix: string, r: BenchOutput): Record<string, number | string> {
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

		// The agent pod's API exec (issue 11 §1-2) feeds the same node worker; its figures go here once
		// the driver can reach the lab node through it.
		out['agent (API exec)'] = 'not measured: no agent access in this build';
	} finally {
		removeDriverFiles();
		await lab(['down']);
	}

	return out;
}
