// The whole pipeline against a small program in a real pty: keys in, screen sampled, frames
// rendered and encoded. The TUI itself runs in `npm run demo:gif`.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {GifReader} from 'omggif';
import {recordDemo, type DemoStep} from '../../scripts/demo/demo-recorder.js';
import {gifDelays} from '../../scripts/demo/frame-timeline.js';
import {encodeGif} from '../../scripts/demo/gif-writer.js';
import {createGridRasterizer} from '../../scripts/demo/grid-raster.js';
import {startPtyTerminal} from '../../scripts/demo/pty-terminal.js';
import {cellAt, gridText} from '../../scripts/demo/screen-grid.js';
import {paletteColor} from '../../scripts/demo/xterm-palette.js';
import {needs} from '../support/prerequisites.js';

const PROGRAM = String.raw`printf 'ready\n'; read -r line; sleep 0.4; printf '\e[32mgot %s\e[0m\n' "$line"; sleep 0.4`;

test('keys reach the program, each change becomes a frame, and the frames encode to a GIF', {skip: needs({tools: ['bash'], files: ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf']})}, async () => {
	const columns = 40;
	const t = startPtyTerminal({command: 'bash', args: ['-c', PROGRAM], columns, rows: 6, cwd: '/'});
	const steps: DemoStep[] = [
		{kind: 'wait', what: 'ready', until: text => text.includes('ready'), timeoutMs: 5000, required: true},
		{kind: 'key', key: {key: '⏎', label: 'send hello'}, data: 'hello\r', thenMs: 0},
		{kind: 'wait', what: 'the reply', until: text => text.includes('got hello'), timeoutMs: 5000, required: true},
		{kind: 'wait', what: 'something that never comes', until: text => text.includes('never'), timeoutMs: 100, required: false},
		{kind: 'exit', timeoutMs: 5000},
		{kind: 'print', data: '$ '},
	];
	const started = performance.now();
	const lines: string[] = [];
	const recording = await recordDemo(t, steps, {columns, sampleMs: 100, holdLastMs: 700, log: line => lines.push(line)});
	const elapsed = performance.now() - started;
	t.kill();

	assert.deepEqual(recording.warnings, ['did not see something that never comes within 100 ms']);
	assert.ok(lines.includes('the program exited with 0'), lines.join('\n'));
	const last = recording.frames.at(-1)!.frame;
	assert.equal(last.rows, 7, 'six terminal rows and the key caption');
	const text = gridText(last).split('\n');
	assert.deepEqual(text.slice(0, 4), ['ready', 'hello', 'got hello', '$']);
	assert.match(text[6]!, /⏎ +send hello/);
	assert.deepEqual(cellAt(last, 0, 2).fg, paletteColor(2));
	// ready; hello echoed; (maybe the caption first); got hello; the prompt.
	assert.ok(recording.frames.length >= 4 && recording.frames.length <= 10, `${recording.frames.length} frames`);
	const total = recording.frames.reduce((sum, f) => sum + f.durationMs, 0);
	assert.ok(Math.abs(total - 700 - elapsed) < 400, `frames last ${total} ms over ${elapsed} ms`);

	const rasterizer = createGridRasterizer();
	const rasters = recording.frames.map(f => rasterizer.render(f.frame));
	const delays = gifDelays(recording.frames.map(f => f.durationMs));
	const gif = encodeGif(rasters.map((r, i) => ({rgba: r.rgba, delayCs: delays[i]!})), {width: rasters[0]!.width, height: rasters[0]!.height});
	const reader = new GifReader(Buffer.from(gif));
	assert.equal(reader.numFrames(), recording.frames.length);
	assert.equal(reader.width, rasters[0]!.width);
});
