// `npm run demo:gif`: records demo.gif from a real run. It brings the lab up with traffic, runs the
// real TUI in a pty at 100×30, plays a scripted key sequence (move through the pods, select one,
// explain, capture its live ICMP and zoom it, quit), samples the screen as xterm.js interprets it,
// renders the frames with @napi-rs/canvas and encodes them with gifenc. The lab goes down at the
// end, also on failure. Run as root.
//   --frames DIR   also write each frame as a PNG, to look at
//   --keep-lab     leave the lab up afterwards
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {LAB_DIR, readLabState} from '../source/lab/lab-state.js';
import {recordDemo, type DemoStep} from './demo/demo-recorder.js';
import {gifDelays} from './demo/frame-timeline.js';
import {encodeGif} from './demo/gif-writer.js';
import {createGridRasterizer} from './demo/grid-raster.js';
import {startPtyTerminal} from './demo/pty-terminal.js';
import type {ScreenGrid} from './demo/screen-grid.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const COLUMNS = 100;
const ROWS = 30;
const MAX_BYTES = 2 * 1024 * 1024;
const KUBECONFIG = join(LAB_DIR, 'kubeconfig');
const PROMPT = '\x1b[1;32mroot@node\x1b[0m:\x1b[1;34m~\x1b[0m# ';

const hasPod = (text: string) => /nginx-\d/.test(text);

const STEPS: DemoStep[] = [
	{kind: 'wait', what: 'the lab pods', until: hasPod, timeoutMs: 20_000, required: true},
	{kind: 'pause', ms: 1500},
	{kind: 'key', key: {key: 'j', label: 'down'}, data: 'j', thenMs: 900},
	{kind: 'key', key: {key: 'j', label: 'down'}, data: 'j', thenMs: 900},
	{kind: 'key', key: {key: 'enter', label: 'select'}, data: '\r', thenMs: 2800},
	{kind: 'key', key: {key: 'e', label: 'explain'}, data: 'e', thenMs: 3200},
	{kind: 'key', key: {key: 'esc', label: 'back'}, data: '\x1b', thenMs: 1000},
	{kind: 'key', key: {key: 't', label: 'capture'}, data: 't', thenMs: 0},
	{kind: 'wait', what: 'live ICMP in the capture pane', until: text => text.includes('ICMP echo'), timeoutMs: 8000, required: false},
	{kind: 'pause', ms: 1500},
	// Full height, so more of the annotated lines show.
	{kind: 'key', key: {key: 'z', label: 'zoom'}, data: 'z', thenMs: 3500},
	{kind: 'key', key: {key: 'q', label: 'quit'}, data: 'q', thenMs: 0},
	{kind: 'exit', timeoutMs: 5000},
	// The shell's next prompt, as the user would see it.
	{kind: 'print', data: PROMPT},
];

/** The argv that runs our CLI: the bundle when it is at least as new as every source file. */
function cliCommand(): string[] {
	const bundle = join(ROOT, 'dist/cli.js');
	if (existsSync(bundle)) {
		const built = statSync(bundle).mtimeMs;
		const newest = Math.max(...readdirSync(join(ROOT, 'source'), {recursive: true}).map(f => statSync(join(ROOT, 'source', String(f))).mtimeMs));
		if (built >= newest) return [process.execPath, bundle];
	}

	return [process.execPath, '--import', 'tsx', join(ROOT, 'source/cli.ts')];
}

function run(argv: string[]): Promise<number> {
	return new Promise((resolve, reject) => {
		const child = spawn(argv[0]!, argv.slice(1), {cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit']});
		child.on('error', reject);
		child.on('exit', code => resolve(code ?? 1));
	});
}

function log(line: string): void {
	console.error(`demo: ${line}`);
}

async function main(): Promise<number> {
	const {values} = parseArgs({options: {frames: {type: 'string'}, 'keep-lab': {type: 'boolean', default: false}}});
	if (process.geteuid?.() !== 0) {
		console.error('demo: the lab needs root (network namespaces, veths, tcpdump): run `sudo npm run demo:gif`');
		return 2;
	}

	const cli = cliCommand();
	log(`running ${cli.slice(1).join(' ')}`);
	// Interrupted: the lab still goes down (the TUI in the pty gets SIGHUP when we exit).
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			log(`${signal}: taking the lab down`);
			if (!values['keep-lab']) spawnSync(cli[0]!, [...cli.slice(1), 'lab', 'down'], {cwd: ROOT, stdio: 'inherit'});
			process.exit(130);
		});
	}

	await run([...cli, 'lab', 'down']);
	let recording;
	try {
		if ((await run([...cli, 'lab', 'up', '--pods', '4', '--traffic'])) !== 0) throw new Error('lab up failed');
		const tui = startPtyTerminal({command: cli[0]!, args: [...cli.slice(1), '--kubeconfig', KUBECONFIG], columns: COLUMNS, rows: ROWS, cwd: ROOT});
		// What the user typed, on the normal screen: it shows again once the TUI leaves the alternate screen.
		await tui.print(`${PROMPT}k8snet-tui --kubeconfig ${KUBECONFIG}\r\n`);
		try {
			recording = await recordDemo(tui, STEPS, {columns: COLUMNS, sampleMs: 150, holdLastMs: 1500, log});
		} finally {
			tui.kill();
		}

		// The lab is one per machine: a test or bench elsewhere may have taken it down under us.
		if (!readLabState()) recording.warnings.push('the lab went away during the recording (another `lab down` ran?)');
	} finally {
		if (!values['keep-lab']) await run([...cli, 'lab', 'down']);
	}

	const rasterizer = createGridRasterizer({fontSize: 14});
	const rasters = recording.frames.map(f => rasterizer.render(f.frame));
	const delays = gifDelays(recording.frames.map(f => f.durationMs));
	const {width, height} = rasters[0]!;
	const gif = encodeGif(rasters.map((r, i) => ({rgba: r.rgba, delayCs: delays[i]!})), {width, height});
	if (gif.length > MAX_BYTES) recording.warnings.push(`the GIF is over ${MAX_BYTES / 1024 / 1024} MB`);
	// A GIF that does not show the whole script goes elsewhere, to look at; demo.gif stays as it was.
	const ok = recording.warnings.length === 0;
	const out = ok ? join(ROOT, 'demo.gif') : join(tmpdir(), 'k8snet-tui-demo.failed.gif');
	writeFileSync(out, gif);
	if (values.frames) writeFramePngs(values.frames, recording.frames.map(f => f.frame), rasterizer.renderPng);

	const seconds = recording.frames.reduce((sum, f) => sum + f.durationMs, 0) / 1000;
	log(`wrote ${out}: ${(gif.length / 1024).toFixed(0)} KiB, ${recording.frames.length} frames, ${width}×${height} px, ${seconds.toFixed(1)} s`);
	for (const warning of recording.warnings) log(`warning: ${warning}`);
	return ok ? 0 : 1;
}

function writeFramePngs(dir: string, frames: ScreenGrid[], renderPng: (g: ScreenGrid) => Buffer): void {
	mkdirSync(dir, {recursive: true});
	for (const [i, frame] of frames.entries()) writeFileSync(join(dir, `frame-${String(i).padStart(3, '0')}.png`), renderPng(frame));
	log(`wrote ${frames.length} PNGs to ${dir}`);
}

process.exitCode = await main().catch(error => {
	console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
	return 1;
});
