// TUI figures as a user feels them, through a real pty: the lab with 10,000 fake pods on 20 fake
// nodes, `a` toggled to all nodes. Run by bench/run.ts (or alone: node --import tsx bench/tui.ts).
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {readLabState} from '../source/lab/lab-state.js';
import {percentile, ROOT, startCli, type PtyScreen} from '../test/ui/pty-screen.js';

const PRESSES = 40;

const progress = (what: string) => process.stderr.write(`bench tui: ${what}\n`);

function cli(...args: string[]): string {
	return execFileSync(process.execPath, ['--import', 'tsx', 'source/cli.ts', ...args], {cwd: ROOT, encoding: 'utf8', timeout: 300_000});
}

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
	return Math.round(kb / 1024);
}

function selectedLine(text: string): string {
	return text.split('\n').find(line => line.includes('›') && line.includes('/')) ?? '';
}

/** Writes `key`, resolves with ms until the output that made `changed` true was received. */
async function timeKey(s: PtyScreen, key: string, changed: (text: string) => boolean): Promise<number> {
	const sent = performance.now();
	s.write(key);
	const painted = await s.waitFor(changed, 10_000, `the frame after ${JSON.stringify(key)}`);
	return painted - sent;
}

export async function bench(): Promise<Record<string, number | string>> {
	// A lab that is already there is someone else's: refuse rather than take it down afterwards.
	progress('lab up with 10,000 fake pods');
	cli('lab', 'up', '--pods', '4', '--fake-nodes', '20', '--fake-pods', '10000');
	let s: PtyScreen | null = null;
	const lab = readLabState();
	try {
		if (!lab) throw new Error('lab up wrote no state');
		// As users run it: the shipped bundle when built (`npm run build`), else the source through tsx.
		const entry = process.env['K8SNET_TUI_BENCH_ENTRY'] ?? (existsSync(join(ROOT, 'dist/cli.js')) ? 'bundle' : 'source');
		const started = performance.now();
		s = startCli(['--kubeconfig', lab.kubeconfig], {columns: 100, rows: 30, entry});
		const screen = s;
		await screen.waitFor(text => text.includes('▶ Pods'), 20_000, 'the first frame');
		const firstFrame = (screen.firstPaintAt() ?? Number.NaN) - started;
		const podsAt = await screen.waitFor(text => /nginx-1/.test(text) && /veth/.test(text), 30_000, 'the node\'s pods with their paths');
		const firstPods = podsAt - started;

		progress(`first frame ${Math.round(firstFrame)} ms; pods ${Math.round(firstPods)} ms; now all nodes`);
		const allSent = performance.now();
		screen.write('a');
		const allAt = await screen.waitFor(text => /Pods 100\d\d \(all nodes\)/.test(text), 60_000, 'all 10,000 pods');
		const allNodes = allAt - allSent;
		// Let the relist and the first joins settle before timing keys.
		await new Promise(resolve => setTimeout(resolve, 3000));

		progress(`all nodes after ${Math.round(allNodes)} ms; timing keys`);
		const moves: number[] = [];
		for (let i = 0; i < PRESSES; i++) {
			const before = selectedLine(screen.text());
			moves.push(await timeKey(screen, i % 4 < 2 ? 'j' : 'k', text => selectedLine(text) !== before));
		}

		progress('timing filter keystrokes');
		screen.write('/');
		await screen.waitFor(text => text.includes('/▏'), 5000, 'the filter box');
		const filters: number[] = [];
		for (let i = 0; i < PRESSES / 2; i++) {
			filters.push(await timeKey(screen, '7', text => text.includes('/7▏') && /Pods \d+\/100\d\d/.test(text)));
			filters.push(await timeKey(screen, '\u007F', text => text.includes('/▏') && /Pods 100\d\d /.test(text)));
		}

		const rss = rssMb(screen.pty.pid);
		// ESC alone first: ESC and q in one read would be alt-q.
		screen.write('\u001B');
		await screen.waitFor(text => !text.includes('/▏'), 5000, 'the filter box to close');
		screen.write('q');
		await Promise.race([screen.exited, new Promise((_, reject) => setTimeout(() => reject(new Error('the TUI did not exit on q')), 10_000))]);
		s = null;
		const figures = {
			'tui entry': entry,
			'tui first frame ms': Math.round(firstFrame),
			'tui first frame with the node\'s pods ms': Math.round(firstPods),
			'tui all nodes (10,000 pods) shown after a ms': Math.round(allNodes),
			'tui keypress→frame p95 ms': Math.round(percentile(moves, 95)),
			'tui keypress→frame p50 ms': Math.round(percentile(moves, 50)),
			'tui filter keystroke→frame p95 ms': Math.round(percentile(filters, 95)),
			'tui filter keystroke→frame p50 ms': Math.round(percentile(filters, 50)),
			'tui RSS MB (10,000 pods)': rss,
		};
		for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(48)} ${value}`);
		return figures;
	} finally {
		s?.kill('SIGKILL');
		// Only the lab we built: another run may have replaced it meanwhile.
		if (readLabState()?.apiServer === lab?.apiServer) cli('lab', 'down');
	}
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
