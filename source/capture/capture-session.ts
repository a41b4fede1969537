// A live tcpdump for one pod at one capture point, run through a NodeShell. tcpdump writes pcap
// (`-w -`); each packet goes into a ring buffer outside React as its first bytes, decoded into a
// line only when it is shown, and, while saving, into a pcapng on this machine: one stream serves
// the view and the file. The session is its own tiny external store (subscribe/getSnapshot) whose
// immutable snapshots are published at most every 50 ms. Restarts (another point, another filter)
// keep the lines and mark the gap.
import {tmpdir} from 'node:os';
import {buildCaptureFilter, type CaptureFilter, type QuickFilter} from '../core/bpf-filter.js';
import type {IpNames, LineProtocol} from '../core/ip-names.js';
import {decodeFrame, packetTime, type IfNameOf} from '../core/pcap-decode.js';
import {PcapStreamReader, type PcapHeader, type PcapRecord} from '../core/pcap-stream.js';
import {quoteCommand} from '../core/shell-quote.js';
import {DEFAULT_RING_CAPACITY, RingBuffer, type RingEntry} from '../core/ring-buffer.js';
import type {CniInfo, PodPath, Result} from '../core/types.js';
import type {NodeShell, StreamHandle} from '../node/node-shell.js';
import {capturePoints, defaultCapturePoint, nextCapturePoint, type CapturePoint, type CapturePointKind, type NodeUplink} from './capture-points.js';
import {fdSink, openPrivateFile, PcapngRecorder, type RecordedPoint} from './capture-file.js';
import {compileCheckArgv, explainExit, parseKernelCounters, tcpdumpArgv, type KernelCounters, type StopReason} from './tcpdump.js';

export interface CaptureLine {
	/** The line in tcpdump's shape. Names are added when a line is shown (annotateLine with the
	 * snapshot's names): at a flood's rate, annotating every line would double what each one costs. */
	readonly text: string;
	readonly protocol: LineProtocol;
}

/** Headers enough for every line the decoder writes (cooked v2 + IPv6 + ICMPv6 + the quoted packet). */
const SHOWN_BYTES = 160;

/** A packet as the ring holds it: its first bytes, decoded the first time it is shown. */
class PacketLine implements CaptureLine {
	private decoded: {text: string; protocol: LineProtocol} | null = null;
	private readonly data: Buffer;

	constructor(
		private readonly linkType: number,
		private readonly seconds: number,
		private readonly micros: number,
		private readonly origLen: number,
		data: Buffer,
		private readonly ifName: IfNameOf | undefined,
	) {
		this.data = Buffer.from(data.subarray(0, SHOWN_BYTES));
	}

	private decode(): {text: string; protocol: LineProtocol} {
		if (this.decoded === null) {
			const frame = decodeFrame(this.linkType, this.data, this.origLen, this.ifName);
			this.decoded = {text: `${packetTime(this.seconds, this.micros)} ${frame.text}`, protocol: frame.protocol};
		}
		return this.decoded;
	}

	get text(): string {
		return this.decode().text;
	}

	get protocol(): LineProtocol {
		return this.decode().protocol;
	}
}

/** One packet as it came, for whoever wants every one (the headless command). Valid during the call only. */
export interface CapturedPacket {
	readonly header: PcapHeader;
	readonly record: PcapRecord;
	readonly point: CapturePoint;
	/** How a pcapng names the point it came through (pod, point, filter). */
	readonly recorded: RecordedPoint;
}

export type CaptureEntry = RingEntry<CaptureLine>;

export interface CaptureSnapshot {
	readonly version: number;
	readonly pod: {namespace: string; name: string};
	readonly state: 'starting' | 'running' | 'stopped';
	readonly point: CapturePoint;
	readonly points: readonly CapturePoint[];
	/** The exact command that runs on the node, as it can be pasted into a shell there. */
	readonly command: string;
	readonly filter: string;
	readonly quick: QuickFilter;
	readonly expression: string;
	/** Packet lines received since the session started (across restarts). */
	readonly packets: number;
	readonly ratePerSecond: number;
	/** tcpdump's own counters, from its latest SIGUSR1 report; null until the first one. */
	readonly kernel: KernelCounters | null;
	/** Set once the capture has stopped for good. */
	readonly stopped: StopReason | null;
	/** The last request that failed (a filter tcpdump rejected, a save that could not start). */
	readonly notice: StopReason | null;
	/** The pcapng being written on this machine, when saving. */
	readonly savePath: string | null;
	/** Address → "ns/pod" or node name, for annotateLine. */
	readonly names: IpNames;
	readonly firstSeq: number;
	readonly endSeq: number;
	readonly capacity: number;
	/** Entries with from <= seq < to, clamped to this snapshot's range and to what is still held. */
	lines(from: number, to: number): readonly CaptureEntry[];
}

export interface CaptureOptions {
	shell: NodeShell;
	pod: PodPath;
	cni: CniInfo | null;
	uplink?: NodeUplink;
	/** Address → "ns/pod" or node name, for annotating lines. */
	names: IpNames;
	point?: CapturePointKind;
	/** Capture at exactly this point with this filter instead (a hop of a path, two-point capture). */
	at?: {point: CapturePoint; filter: CaptureFilter};
	quick?: QuickFilter;
	expression?: string;
	/** Ring buffer capacity (lines). */
	capacity?: number;
	/** How often tcpdump is asked for its counters (SIGUSR1). */
	statsIntervalMs?: number;
	/** Directory on this machine in which each saved pcap gets a private directory of its own (TMPDIR by default). */
	saveDir?: string;
	/** Names the interface index of an `any` capture's packets (the node's links). */
	ifNames?: IfNameOf;
	/** Every packet, as it arrives (before the ring, which keeps only the newest). */
	onPacket?(packet: CapturedPacket): void;
	now?: () => number;
}

export interface CaptureSession {
	subscribe(listener: () => void): () => void;
	getSnapshot(): CaptureSnapshot;
	/** Resolves once tcpdump listens, or with the reason it stopped first. */
	ready(timeoutMs?: number): Promise<Result<void>>;
	/**
	 * Write the packets from now on into a pcapng on this machine, FILE (mode 0600) in a new 0700
	 * directory, from the same stream the pane shows (tcpdump goes on). Returns its path; a second
	 * call while saving returns the same path.
	 */
	save(): Promise<Result<string>>;
	setPoint(kind: CapturePointKind): Promise<Result<CapturePoint>>;
	cyclePoint(): Promise<Result<CapturePoint>>;
	/** Validates (tcpdump compiles it) before restarting; on error the running capture goes on. */
	setFilter(quick: QuickFilter, expression: string): Promise<Result<string>>;
	/** The pod was deleted: stop, and say so. */
	podGone(): Promise<void>;
	stop(reason?: StopReason): Promise<void>;
	/** The pid of the running tcpdump client process, if any (tests and diagnostics). */
	pid(): number | undefined;
}

const FRAME_MS = 50;
const TICK_MS = 1000;
const RATE_WINDOW_MS = 3000;
const KILL_GRACE_MS = 1000;

/** Compiles the filter with tcpdump on the node; the error text is tcpdump's own. */
export async function checkFilterCompiles(shell: NodeShell, point: CapturePoint, filter: CaptureFilter): Promise<Result<void>> {
	if (point.target === null) return {ok: false, reason: `cannot capture at ${point.label}`, hint: point.unavailable ?? ''};
	const result = await shell.run(compileCheckArgv(point.target, filter.expression), {timeoutMs: 10_000});
	if (result.exitCode === 0) return {ok: true, value: undefined};
	const lines = result.stderr.split('\n').filter(l => l.trim() !== '');
	if (result.failure !== null || result.exitCode === 127) {
		const why = explainExit({exitCode: result.exitCode, signal: null, failure: result.failure}, lines, point.target.iface);
		return {ok: false, ...why};
	}
	const message = lines.map(l => l.replace(/^tcpdump: /, '')).join('; ') || `tcpdump -d exited with ${String(result.exitCode)}`;
	return {ok: false, reason: `tcpdump rejects the filter: ${message}`, hint: `filter was: ${filter.expression}`};
}

function safeFileName(text: string): string {
	return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function stamp(ms: number): string {
	return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * Validates everything first (a pod IP that is not an IP never starts a process), compiles a free
 * expression with tcpdump, then starts the capture. Failures after the start (tcpdump missing,
 * permission) are in the snapshot's `stopped`, with a hint.
 */
export async function startCapture(o: CaptureOptions): Promise<Result<CaptureSession>> {
	const quick = o.quick ?? {kind: 'all'};
	if (o.at !== undefined) {
		const fixed = new Session(o, [o.at.point], o.at.point, o.at.filter, quick, '');
		fixed.spawn();
		return {ok: true, value: fixed};
	}

	const expression = o.expression ?? '';
	const filter = buildCaptureFilter({ips: o.pod.ips.length > 0 ? o.pod.ips : o.pod.ip === null ? [] : [o.pod.ip], quick, expression});
	if (!filter.ok) return filter;
	const points = capturePoints(o.pod, o.cni, o.uplink ?? {iface: null});
	const point = o.point === undefined ? defaultCapturePoint(points, o.cni) : points.find(p => p.kind === o.point)!;
	if (point.target === null) return {ok: false, reason: `cannot capture at ${point.label}`, hint: point.unavailable ?? ''};
	if (expression.trim() !== '') {
		const compiled = await checkFilterCompiles(o.shell, point, filter.value);
		if (!compiled.ok) return compiled;
	}
	const session = new Session(o, points, point, filter.value, quick, expression);
	session.spawn();
	return {ok: true, value: session};
}

class Session implements CaptureSession {
	private readonly ring: RingBuffer<CaptureLine>;
	private readonly listeners = new Set<() => void>();
	private readonly now: () => number;
	private handle: StreamHandle | null = null;
	private argv: string[] = [];
	private stderr: string[] = [];
	private listening = false;
	private expectedExit = false;
	private exited: Promise<void> = Promise.resolve();
	private state: CaptureSnapshot['state'] = 'starting';
	private stopped: StopReason | null = null;
	private packets = 0;
	private kernel: KernelCounters | null = null;
	private savePath: string | null = null;
	private recorder: PcapngRecorder | null = null;
	private reader = new PcapStreamReader();
	private notice: StopReason | null = null;
	private rateSamples: Array<{at: number; packets: number}> = [];
	private rate = 0;
	private version = 0;
	private lastFlush = 0;
	private flushTimer: NodeJS.Timeout | null = null;
	private ticker: NodeJS.Timeout | null = null;
	private ticks = 0;
	private snapshot: CaptureSnapshot;
	private readyWaiters: Array<(r: Result<void>) => void> = [];
	private wanted: CapturePoint;
	/** Restarts and stops run one after another: two at once would leave a tcpdump untracked. */
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly o: CaptureOptions,
		private readonly points: CapturePoint[],
		private point: CapturePoint,
		private filter: CaptureFilter,
		private quick: QuickFilter,
		private expression: string,
	) {
		this.ring = new RingBuffer<CaptureLine>(o.capacity ?? DEFAULT_RING_CAPACITY);
		this.wanted = point;
		this.now = o.now ?? Date.now;
		this.snapshot = this.buildSnapshot();
	}

	// Arrow properties: React and other stores call these detached from the session.
	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	readonly getSnapshot = (): CaptureSnapshot => this.snapshot;

	pid(): number | undefined {
		return this.handle?.pid;
	}

	ready(timeoutMs = 5000): Promise<Result<void>> {
		if (this.listening) return Promise.resolve({ok: true, value: undefined});
		if (this.stopped !== null) return Promise.resolve({ok: false, ...this.stopped});
		return new Promise(resolve => {
			const timer = setTimeout(() => {
				this.readyWaiters = this.readyWaiters.filter(w => w !== finish);
				resolve({ok: false, reason: `tcpdump did not start listening within ${timeoutMs} ms`, hint: this.stderr.join(' ')});
			}, timeoutMs);
			const finish = (r: Result<void>) => {
				clearTimeout(timer);
				resolve(r);
			};
			this.readyWaiters.push(finish);
		});
	}

	private settleReady(r: Result<void>): void {
		const waiters = this.readyWaiters;
		this.readyWaiters = [];
		for (const w of waiters) w(r);
	}

	spawn(): void {
		const target = this.point.target!;
		this.argv = tcpdumpArgv(target, this.filter.expression);
		this.reader = new PcapStreamReader();
		this.stderr = [];
		this.listening = false;
		this.expectedExit = false;
		this.state = 'starting';
		const reader = this.reader;
		const point = this.point;
		const recorded: RecordedPoint = {key: '', linkType: 0, snaplen: 0, name: '', description: ''};
		const handle = this.o.shell.stream(this.argv, {
			onStdoutData: chunk => {
				reader.push(chunk, record => this.ingest(reader.header!, record, point, recorded));
				this.recorder?.flush();
				if (reader.error !== null && this.handle === handle) void this.stop({reason: reader.error.reason, hint: 'the node shell changes what tcpdump writes; a pty (ssh -t, docker exec -t) would'});
			},
			onStderrLine: line => this.onStderr(line),
		});
		this.handle = handle;
		this.exited = handle.exited.then(exit => {
			if (this.handle !== handle) return;
			this.handle = null;
			if (this.expectedExit) return;
			this.finish(explainExit(exit, this.stderr, target.iface));
		});
		this.startTicker();
		this.flushNow();
	}

	private ingest(header: PcapHeader, record: PcapRecord, point: CapturePoint, recorded: RecordedPoint): void {
		this.packets++;
		this.ring.push(new PacketLine(header.linkType, record.seconds, record.micros, record.origLen, record.data, this.o.ifNames));
		if (this.recorder !== null || this.o.onPacket !== undefined) {
			if (recorded.key === '') Object.assign(recorded, this.recordedPoint(header, point));
			this.recorder?.record(recorded, record);
			this.o.onPacket?.({header, record, point, recorded});
		}
		this.scheduleFlush();
	}

	/** How the pcapng names this tcpdump's packets: the pod, the point, the filter. */
	private recordedPoint(header: PcapHeader, point: CapturePoint): RecordedPoint {
		const pod = `${this.o.pod.namespace}/${this.o.pod.name}`;
		const iface = point.target?.iface ?? '?';
		const filter = this.filter.expression;
		return {
			key: `${point.kind}|${iface}|${header.linkType}|${filter}`,
			linkType: header.linkType,
			snaplen: header.snaplen,
			name: `${pod} ${point.kind} ${iface}`,
			description: `${pod} at ${point.label}, filter: ${filter}`,
		};
	}

	private onStderr(line: string): void {
		const counters = parseKernelCounters(line);
		if (counters !== null) {
			this.kernel = {captured: 0, received: 0, dropped: 0, ...this.kernel, ...counters};
		} else {
			// Bounded: tcpdump says little, but a broken node shell might not.
			if (this.stderr.length < 50) this.stderr.push(line);
			if (/^(tcpdump: )?listening on /.test(line)) {
				this.listening = true;
				this.state = 'running';
				this.flushNow();
				this.settleReady({ok: true, value: undefined});
				return;
			}
		}
		this.scheduleFlush();
	}

	private startTicker(): void {
		if (this.ticker !== null) return;
		this.ticker = setInterval(() => this.tick(), TICK_MS);
		this.ticker.unref();
	}

	private tick(): void {
		this.ticks++;
		const interval = Math.max(1, Math.round((this.o.statsIntervalMs ?? 3000) / TICK_MS));
		// Before tcpdump has installed its handler, SIGUSR1 would kill it.
		if (this.listening && this.handle !== null && this.ticks % interval === 0) this.handle.kill('SIGUSR1');
		this.scheduleFlush();
	}

	private updateRate(at: number): void {
		this.rateSamples.push({at, packets: this.packets});
		while (this.rateSamples.length > 2 && this.rateSamples[0]!.at < at - RATE_WINDOW_MS) this.rateSamples.shift();
		const first = this.rateSamples[0]!;
		const span = at - first.at;
		this.rate = span >= 250 ? ((this.packets - first.packets) * 1000) / span : this.rate;
	}

	private scheduleFlush(): void {
		if (this.flushTimer !== null) return;
		const delay = Math.max(0, this.lastFlush + FRAME_MS - this.now());
		this.flushTimer = setTimeout(() => {
			this.flushTimer = null;
			this.flush();
		}, delay);
	}

	/** State changes (listening, stopped, restarted) are rare and should show at once. */
	private flushNow(): void {
		if (this.flushTimer !== null) clearTimeout(this.flushTimer);
		this.flushTimer = null;
		this.flush();
	}

	private flush(): void {
		this.lastFlush = this.now();
		this.updateRate(this.lastFlush);
		this.version++;
		this.snapshot = this.buildSnapshot();
		for (const listener of this.listeners) listener();
	}

	private buildSnapshot(): CaptureSnapshot {
		const ring = this.ring;
		const firstSeq = ring.firstSeq;
		const endSeq = ring.endSeq;
		return Object.freeze({
			version: this.version,
			pod: {namespace: this.o.pod.namespace, name: this.o.pod.name},
			state: this.state,
			point: this.point,
			points: this.points,
			command: quoteCommand(this.argv),
			filter: this.filter.expression,
			quick: this.quick,
			expression: this.expression,
			packets: this.packets,
			ratePerSecond: this.rate,
			kernel: this.kernel,
			stopped: this.stopped,
			notice: this.notice,
			savePath: this.savePath,
			names: this.o.names,
			firstSeq,
			endSeq,
			capacity: ring.capacity,
			lines: (from: number, to: number) => ring.slice(Math.max(from, firstSeq), Math.min(to, endSeq)),
		});
	}

	private finish(reason: StopReason): void {
		if (this.stopped !== null) return;
		this.stopped = reason;
		this.state = 'stopped';
		this.rate = 0;
		this.ring.pushGap(`capture stopped: ${reason.reason}`);
		this.recorder?.close();
		this.recorder = null;
		if (this.ticker !== null) clearInterval(this.ticker);
		this.ticker = null;
		this.flushNow();
		this.settleReady({ok: false, ...reason});
	}

	/** Ends the running tcpdump on purpose: TERM, then KILL if it lingers. */
	private async endProcess(): Promise<void> {
		const handle = this.handle;
		if (handle === null) return;
		this.expectedExit = true;
		handle.kill('SIGTERM');
		const timer = setTimeout(() => handle.kill('SIGKILL'), KILL_GRACE_MS);
		await handle.exited;
		clearTimeout(timer);
		if (this.handle === handle) this.handle = null;
	}

	private serial<T>(work: () => Promise<T>): Promise<T> {
		const next = this.queue.then(work);
		this.queue = next.catch(() => undefined);
		return next;
	}

	private restart(note: string, before: () => void = () => undefined): Promise<Result<void>> {
		return this.serial(async () => {
			if (this.stopped !== null) return {ok: false, reason: 'the capture has stopped', hint: this.stopped.reason};
			await this.endProcess();
			before();
			this.ring.pushGap(note);
			this.spawn();
			return this.ready();
		});
	}

	save(): Promise<Result<string>> {
		return this.serial(async () => {
			if (this.savePath !== null) return {ok: true, value: this.savePath};
			if (this.stopped !== null) return this.noted({ok: false, reason: 'the capture has stopped', hint: this.stopped.reason});
			const name = `k8snet-${safeFileName(this.o.pod.namespace)}-${safeFileName(this.o.pod.name)}-${stamp(this.now())}.pcapng`;
			const made = openPrivateFile(this.o.saveDir ?? tmpdir(), name);
			if (!made.ok) return this.noted(made);
			this.recorder = new PcapngRecorder(fdSink(made.value.fd, {closeFd: true}), this.o.names);
			this.savePath = made.value.path;
			this.ring.pushGap(`saving to ${made.value.path}`);
			return this.noted({ok: true, value: made.value.path});
		});
	}


	async setPoint(kind: CapturePointKind): Promise<Result<CapturePoint>> {
		const next = this.points.find(p => p.kind === kind)!;
		if (next.target === null) return this.noted({ok: false, reason: `cannot capture at ${next.label}`, hint: next.unavailable ?? ''});
		this.wanted = next;
		const started = await this.restart(`capture point: ${this.point.label} → ${next.label}`, () => {
			this.point = next;
		});
		return this.noted(started.ok ? {ok: true, value: next} : started);
	}

	cyclePoint(): Promise<Result<CapturePoint>> {
		// From the point last asked for, so two quick presses move two steps.
		return this.setPoint(nextCapturePoint(this.points, this.wanted.kind).kind);
	}

	/** Keeps a failure for the pane to show, whoever asked. */
	private noted<T>(result: Result<T>): Result<T> {
		this.notice = result.ok ? null : {reason: result.reason, hint: result.hint};
		this.flushNow();
		return result;
	}

	async setFilter(quick: QuickFilter, expression: string): Promise<Result<string>> {
		const built = buildCaptureFilter({ips: this.filter.ips, quick, expression});
		if (!built.ok) return this.noted(built);
		if (expression.trim() !== '') {
			const compiled = await checkFilterCompiles(this.o.shell, this.point, built.value);
			if (!compiled.ok) return this.noted(compiled);
		}
		const started = await this.restart(`filter: ${built.value.expression}`, () => {
			this.filter = built.value;
			this.quick = quick;
			this.expression = expression;
		});
		return this.noted(started.ok ? {ok: true, value: built.value.expression} : started);
	}

	async podGone(): Promise<void> {
		await this.stop({reason: `the pod ${this.o.pod.namespace}/${this.o.pod.name} was deleted`, hint: 'the capture ended with it; select another pod'});
	}

	stop(reason: StopReason = {reason: 'capture stopped', hint: ''}): Promise<void> {
		return this.serial(async () => {
			await this.endProcess();
			await this.exited;
			this.finish(reason);
		});
	}
}
