// Capture under load: a bounded 10 s `ping -f` between two pod namespaces of a throwaway bridge
// network (test/capture/topology.ts, names k8snet-cap-*), captured at the bridge through a real
// CaptureSession, with the capture pane mounted and a key pressed every 200 ms.
// Figures: lines/s ingested, RSS growth, kernel drops (tcpdump's own counters), keypress → frame p95,
// and the ceiling: a plain `tcpdump -w /dev/null` with the same filter on the same interface in the
// same run. The capture's share of what the ceiling saw is the goal (≥ 95 %).
import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {createElement, useMemo, type ReactNode} from 'react';
import {useInput} from 'ink';
import {render} from 'ink-testing-library';
import {startCapture} from '../source/capture/capture-session.js';
import {buildIpNames} from '../source/core/ip-names.js';
import {createLabShell} from '../source/node/lab-shell.js';
import {KeyBus, KeyBusContext} from '../source/ui/keys.js';
import {CaptureView} from '../source/ui/panes/CapturePane.js';
import {parseKernelCounters} from '../source/capture/tcpdump.js';
import {createTopology, NODE_NETNS} from '../test/capture/topology.js';

const FLOOD_SECONDS = 10;

function Keys({children}: {children: ReactNode}) {
	const bus = useMemo(() => new KeyBus(), []);
	useInput((input, key) => {
		bus.dispatch(input, key);
	});
	return createElement(KeyBusContext.Provider, {value: bus}, children);
}

/** heapUsed after full collections: what the capture keeps, as opposed to garbage not yet collected. */
function retainedHeap(): number {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	// React's development build keeps a performance measure per render until they are cleared.
	performance.clearMeasures();
	performance.clearMarks();
	gc();
	gc();
	return process.memoryUsage().heapUsed;
}

function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function round(n: number, digits = 1): number {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
}

export async function bench(): Promise<Record<string, number | string>> {
	if (process.getuid?.() !== 0) return {capture: 'skipped: needs root (netns, tcpdump, ping -f)'};
	const topo = createTopology();
	try {
		const [a, b] = topo.pods as [typeof topo.pods[0], typeof topo.pods[0]];
		const started = await startCapture({
			shell: createLabShell(NODE_NETNS),
			pod: topo.paths[0]!,
			cni: {kind: 'bridge', summary: 'bridge', capturePoint: 'bridge', bridge: 'k8snet-cap-br', evidence: []},
			names: buildIpNames(topo.paths),
			statsIntervalMs: 1000,
		});
		if (!started.ok) return {capture: `failed: ${started.reason}`};
		const session = started.value;
		const ready = await session.ready();
		if (!ready.ok) return {capture: `failed: ${ready.reason} ${ready.hint}`};

		const app = render(
			createElement(Keys, null, createElement(CaptureView, {store: session, width: 100, height: 30, focused: true, onCommand: () => undefined})),
		);
		const heapBefore = retainedHeap();
		const rssBefore = process.memoryUsage().rss;
		let rssPeak = rssBefore;
		// The first seconds include V8 warming up Ink's render path; the second half shows whether
		// memory keeps growing with the packets (it must not: the ring is bounded).
		let rssPeakFirstHalf = rssBefore;
		// The ceiling listens before the flood starts, as the capture does.
		const ceiling = spawn('ip', ['netns', 'exec', NODE_NETNS, 'tcpdump', '-Z', 'root', '-n', '-i', 'k8snet-cap-br', '-w', '/dev/null', session.getSnapshot().filter], {stdio: ['ignore', 'ignore', 'pipe']});
		let ceilingErr = '';
		ceiling.stderr.on('data', (d: Buffer) => (ceilingErr += d.toString()));
		const ceilingDone = new Promise<void>(resolve => ceiling.once('close', () => resolve()));
		while (!ceilingErr.includes('listening on')) await new Promise(r => setTimeout(r, 20));
		const packetsBefore = session.getSnapshot().packets;
		const t0 = performance.now();
		const ping = spawn('ip', ['netns', 'exec', a.netns, 'ping', '-f', '-q', '-w', String(FLOOD_SECONDS), b.ip], {stdio: ['ignore', 'pipe', 'pipe']});
		let pingOut = '';
		ping.stdout.on('data', (d: Buffer) => (pingOut += d.toString()));
		const pingDone = new Promise<void>(resolve => ping.once('close', () => resolve()));

		// Press space (pause / follow) every 200 ms and time until a frame written to the terminal
		// shows it. Frames are caught as Ink writes them (no polling, which would steal the CPU).
		const frameWaiters = new Set<(frame: string) => void>();
		const stdout = app.stdout as unknown as {write(frame: string): void};
		const write = stdout.write.bind(stdout);
		stdout.write = (frame: string) => {
			write(frame);
			for (const waiter of frameWaiters) waiter(frame);
		};
		const latencies: number[] = [];
		let flooding = true;
		void pingDone.then(() => (flooding = false));
		while (flooding) {
			await new Promise(r => setTimeout(r, 200));
			const wasFollowing = (app.lastFrame() ?? '').includes('▼ following');
			const pressedAt = performance.now();
			await new Promise<void>(resolve => {
				const timer = setTimeout(done, 2000);
				function done() {
					clearTimeout(timer);
					frameWaiters.delete(check);
					resolve();
				}
				function check(frame: string) {
					if (frame.includes('▼ following') !== wasFollowing) done();
				}
				frameWaiters.add(check);
				app.stdin.write(' ');
			});
			latencies.push(performance.now() - pressedAt);
			rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
			if (performance.now() - t0 < (FLOOD_SECONDS * 1000) / 2) rssPeakFirstHalf = rssPeak;
		}
		const seconds = (performance.now() - t0) / 1000;
		await new Promise(r => setTimeout(r, 300));
		const atEnd = session.getSnapshot();
		const packets = atEnd.packets - packetsBefore;
		ceiling.kill('SIGINT');
		await ceilingDone;
		const ceilingCounters = Object.assign({captured: 0, dropped: 0}, ...ceilingErr.split('\n').map(l => parseKernelCounters(l) ?? {})) as {captured: number; dropped: number};
		const heapGrowth = retainedHeap() - heapBefore;
		await session.stop();
		const end = session.getSnapshot();
		app.unmount();
		const transmitted = /(\d+) packets transmitted/.exec(pingOut)?.[1] ?? '?';
		const figures = {
			'capture.ping_f_seconds': round(seconds),
			'capture.ping_f_transmitted': transmitted,
			'capture.lines_ingested': packets,
			'capture.ceiling_captured': ceilingCounters.captured,
			'capture.ceiling_dropped': ceilingCounters.dropped,
			'capture.share_of_ceiling_pct': round((100 * packets) / Math.max(1, ceilingCounters.captured)),
			'capture.share_goal_pct': 95,
			'capture.lines_per_s': Math.round(packets / seconds),
			'capture.state_at_flood_end': atEnd.stopped ? `stopped: ${atEnd.stopped.reason} (${atEnd.stopped.hint})` : atEnd.state,
			'capture.kernel_captured': end.kernel?.captured ?? 'unknown',
			'capture.kernel_dropped': end.kernel?.dropped ?? 'unknown',
			'capture.rss_growth_mb': round((rssPeak - rssBefore) / 1e6),
			'capture.rss_growth_second_half_mb': round((rssPeak - rssPeakFirstHalf) / 1e6),
			'capture.heap_retained_growth_mb': round(heapGrowth / 1e6),
			'capture.react_build': process.env['NODE_ENV'] === 'production' ? 'production' : 'development',
			'capture.ring_capacity': end.capacity,
			'capture.keypress_frame_p50_ms': round(percentile(latencies, 50)),
			'capture.keypress_frame_p95_ms': round(percentile(latencies, 95)),
			'capture.keypress_frame_p95_goal_ms': 100,
			'capture.rss_growth_goal_mb': 50,
			'capture.keypresses': latencies.length,
		};
		return figures;
	} finally {
		topo.destroy();
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	for (const [name, value] of Object.entries(await bench())) console.log(`${name.padEnd(40)} ${value}`);
	process.exit(0);
}
