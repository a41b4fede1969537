// Bare `k8snet-tui lab`: bring the lab up (with traffic, so captures show something), open the tool
// on it, and take it down again on quit or on SIGINT/SIGTERM/SIGHUP. A lab that was already up
// with the same options is used and left up: this session only removes what it built.
import type {TargetOptions} from '../app/options.js';
import type {LabCommandOptions} from './lab-options.js';
import {describeDown, downLab} from './lab-down.js';
import {withLabLock} from './lab-lock.js';
import {upCommand} from './lab-up-command.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_NUMBERS: Record<(typeof SIGNALS)[number], number> = {SIGINT: 2, SIGTERM: 15, SIGHUP: 1};

async function openTool(target: TargetOptions, tuiOwnsSignals: () => void): Promise<number> {
	// Without a terminal the TUI cannot run: show the same wiring once, as `dump`.
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		const {runDump} = await import('../commands/dump.js');
		return runDump(target, {json: false});
	}

	const {runTui} = await import('../ui/run-tui.js');
	tuiOwnsSignals();
	return runTui(target);
}

export async function runLabSession(o: LabCommandOptions): Promise<number> {
	const up = await withLabLock(() => upCommand({...o.lab, traffic: true}, o));
	if (up.code !== 0 || up.state === null) return up.code;

	let down: Promise<void> | null = null;
	const takeDown = () =>
		(down ??= up.built ? withLabLock(downLab).then((r) => console.error(describeDown(r))) : Promise.resolve());
	// Once the TUI runs, a signal is its to handle: it restores (or, after a hangup, lets go of) the
	// terminal and returns 128+N, and the lab comes down below. Exiting here could beat it to that.
	let tuiRunning = false;
	const handlers = SIGNALS.map((sig) => {
		const handler = () => {
			if (!tuiRunning) void takeDown().finally(() => process.exit(128 + SIGNAL_NUMBERS[sig]));
		};
		process.on(sig, handler);
		return () => process.off(sig, handler);
	});

	try {
		return await openTool({...o.target, kubeconfig: up.state.kubeconfig}, () => {
			tuiRunning = true;
		});
	} finally {
		await takeDown();
		for (const off of handlers) off();
	}
}
