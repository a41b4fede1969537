// Plays a scripted session against a PtyTerminal and records what the screen shows: a sample every
// `sampleMs`, kept only when it differs from the last one, each with its real duration.
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {createFrameTimeline, type TimedFrame} from './frame-timeline.js';
import {keyCaption, type CaptionKey} from './key-caption.js';
import type {PtyTerminal} from './pty-terminal.js';
import {gridSignature, stackGrids, type ScreenGrid} from './screen-grid.js';

export type DemoStep =
	| {kind: 'wait'; what: string; until: (text: string) => boolean; timeoutMs: number; required: boolean}
	| {kind: 'key'; key: CaptionKey; data: string; thenMs: number}
	| {kind: 'pause'; ms: number}
	/** Waits for the program to exit (a warning if it does not in time). */
	| {kind: 'exit'; timeoutMs: number}
	/** Writes onto the emulated screen, as the shell would after the program. */
	| {kind: 'print'; data: string};

export interface Recording {
	frames: TimedFrame<ScreenGrid>[];
	/** What went differently from the script (waits that timed out), for the report. */
	warnings: string[];
}

export interface RecordOptions {
	columns: number;
	sampleMs: number;
	/** How long the last frame stays up before the GIF loops. */
	holdLastMs: number;
	log(line: string): void;
}

export async function recordDemo(t: PtyTerminal, steps: readonly DemoStep[], o: RecordOptions): Promise<Recording> {
	const keys = steps.flatMap(step => (step.kind === 'key' ? [step.key] : []));
	const timeline = createFrameTimeline<ScreenGrid>();
	const warnings: string[] = [];
	let current = -1;
	let sampling = true;

	const sample = async () => {
		const grid = stackGrids(await t.screen(), keyCaption(o.columns, keys, current));
		timeline.offer(grid, gridSignature(grid), performance.now());
	};

	const sampler = (async () => {
		while (sampling) {
			const started = performance.now();
			await sample();
			await sleep(Math.max(0, o.sampleMs - (performance.now() - started)));
		}
	})();

	try {
		for (const step of steps) {
			switch (step.kind) {
				case 'wait': {
					const started = performance.now();
					try {
						await t.waitForText(step.until, step.timeoutMs, step.what);
						o.log(`saw ${step.what} after ${Math.round(performance.now() - started)} ms`);
					} catch (error) {
						if (step.required) throw error;
						const message = `did not see ${step.what} within ${step.timeoutMs} ms`;
						warnings.push(message);
						o.log(`warning: ${message}; screen:\n${t.text()}`);
					}

					break;
				}

				case 'key': {
					current++;
					o.log(`key ${step.key.key} (${step.key.label})`);
					t.keys(step.data);
					await sleep(step.thenMs);
					break;
				}

				case 'pause':
					await sleep(step.ms);
					break;

				case 'exit': {
					const exit = await Promise.race([t.exited, sleep(step.timeoutMs).then(() => null)]);
					if (exit) {
						o.log(`the program exited with ${exit.exitCode}`);
						if (exit.exitCode !== 0) warnings.push(`the program exited with ${exit.exitCode}`);
					} else {
						warnings.push(`the program did not exit within ${step.timeoutMs} ms`);
					}

					break;
				}

				case 'print':
					await t.print(step.data);
					break;
			}
		}
	} finally {
		sampling = false;
		await sampler;
	}

	// The screen after the last step, even if it changed between two samples.
	await sample();
	return {frames: timeline.finish(performance.now(), o.holdLastMs), warnings};
}
