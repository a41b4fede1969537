// The two-point pane in ink-testing-library: the counter line naming both hops, both streams with
// their lines (stacked below 120 columns, side by side from 120), ≥ 4 lines each at 80×24, and the
// keys 1 / 2 / c / w going out as commands.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {useMemo, type ReactNode} from 'react';
import {useInput} from 'ink';
import {render} from 'ink-testing-library';
import type {CaptureSession} from '../../source/capture/capture-session.js';
import type {CaptureCommand} from '../../source/capture/capture-view.js';
import type {StreamNumber, TwoPointCapture, TwoPointSnapshot} from '../../source/capture/two-point-capture.js';
import {computeLayout} from '../../source/ui/layout.js';
import {KeyBus, KeyBusContext} from '../../source/ui/keys.js';
import {TwoPointView} from '../../source/ui/panes/TwoPointCapturePane.js';
import {createTheme, ThemeContext} from '../../source/ui/theme.js';
import {fillRing, snapshotOf} from './snapshot-fixture.js';

const tick = () => new Promise(resolve => setImmediate(resolve));

function Keys({children}: {children: ReactNode}) {
	const bus = useMemo(() => new KeyBus(), []);
	useInput((input, key) => {
		bus.dispatch(input, key);
	});
	return <KeyBusContext.Provider value={bus}>{children}</KeyBusContext.Provider>;
}

function session(seqText: (i: number) => string): CaptureSession {
	const snapshot = snapshotOf(fillRing(30, 100, seqText));
	return {subscribe: () => () => undefined, getSnapshot: () => snapshot} as unknown as CaptureSession;
}

function twoPoint(): TwoPointCapture {
	const hops = [
		{node: 'node1', kind: 'host-veth', ifname: 'veth1', label: 'A host veth veth1'},
		{node: 'node1', kind: 'bridge', ifname: 'cni0', label: 'bridge cni0'},
		{node: 'node2', kind: 'host-veth', ifname: 'veth9', label: 'B host veth veth9'},
	] as const;
	const snapshot: TwoPointSnapshot = {
		version: 1,
		from: 'default/a',
		to: 'default/b',
		hops: [...hops],
		streams: [
			{hop: 0, session: session(i => `12:00:00.${String(i).padStart(6, '0')} IP 10.244.0.2 > 10.244.1.3: ICMP echo request, id 1, seq ${i}, length 64`), error: null},
			{hop: 2, session: session(i => `12:00:01.${String(i).padStart(6, '0')} IP 10.244.0.2 > 10.244.1.3: ICMP echo request, id 1, seq ${i}, length 64`), error: null},
		],
		active: 1,
		counts: {sent: 40, matched: 33, lost: 7, lostRecent: 7, pending: 0, windowMs: 2000, recentMs: 60_000},
		since: 1_000_000,
	};
	return {subscribe: () => () => undefined, getSnapshot: () => snapshot} as unknown as TwoPointCapture;
}

function show(columns: number, rows: number) {
	const picked: StreamNumber[] = [];
	const commands: CaptureCommand[] = [];
	const height = computeLayout(columns, rows, {captureOpen: false, captureZoomed: false, containerRows: 1}).body;
	const r = render(
		<ThemeContext.Provider value={createTheme({NO_COLOR: '1'})}>
			<Keys>
				<TwoPointView capture={twoPoint()} width={columns} height={height} focused onPick={n => picked.push(n)} onCommand={c => commands.push(c)} now={1_030_000} />
			</Keys>
		</ThemeContext.Provider>,
	);
	return {r, picked, commands, height};
}

/** The lines of one stream: rows showing its seconds stamp. */
function streamRows(frame: string, stamp: string): number {
	return frame.split('\n').filter(line => line.includes(stamp)).length;
}

test('80×24: the counter names both hops; the streams are stacked, ≥ 4 lines each', async () => {
	const {r, height} = show(80, 24);
	await tick();
	const frame = r.lastFrame()!;
	assert.ok(frame.split('\n').length <= height, frame);
	assert.match(frame, /sent at 1 \(A host veth veth1 on node1\),\s*║\n║not seen at 2 \(B host veth veth9 on node2\): 7 in the last 30 s/, 'the counter, on two lines when 80 columns are too few');
	assert.match(frame, /40 requests default\/a → default\/b at 1 · 33 seen at 2 · 7 lost/);
	const lines = frame.split('\n');
	const one = lines.findIndex(l => l.includes('1 A host veth veth1 on node1'));
	const two = lines.findIndex(l => l.includes('2 B host veth veth9 on node2'));
	assert.ok(one >= 0 && two > one, 'stream 2 below stream 1');
	assert.ok(streamRows(frame, '12:00:00.') >= 4 && streamRows(frame, '12:00:01.') >= 4, frame);
	r.unmount();
});

test('120 columns: side by side, on the same rows', async () => {
	const {r} = show(120, 30);
	await tick();
	const frame = r.lastFrame()!;
	assert.match(frame, /sent at 1 \(A host veth veth1 on node1\), not seen at 2 \(B host veth veth9 on node2\): 7 in the last 30 s/);
	const both = frame.split('\n').filter(l => l.includes('12:00:00.') && l.includes('12:00:01.'));
	assert.ok(both.length >= 4, frame);
	r.unmount();
});

test('keys: 1 and 2 pick a stream, c moves it, w saves it', async () => {
	const {r, picked, commands} = show(80, 24);
	await tick();
	for (const key of ['2', 'c', '1', 'w']) {
		r.stdin.write(key);
		await tick();
	}
	assert.deepEqual(picked, [2, 1]);
	assert.deepEqual(commands, ['capture.cyclePoint', 'capture.save']);
	r.unmount();
});
