// Two captures at two hops of a path A → B at once, each through its own node's shell, and the
// correlated counter between them: requests sent at point 1 and not seen at point 2. Each stream is
// an ordinary capture session (its own ring, its own tcpdump); every packet of both also goes to the
// correlator, whose counts are published here, at most every TICK_MS. Moving a stream to another
// hop starts the counter again: a loss is only meaningful between two fixed points.
import {LossCorrelator, type LossCounts, type Translations} from '../core/capture-correlate.js';
import type {IpNames} from '../core/ip-names.js';
import type {IfNameOf} from '../core/pcap-decode.js';
import type {PathDocument, PathEnd} from '../core/path/types.js';
import type {PodPath, Result} from '../core/types.js';
import type {NodeShell} from '../node/node-shell.js';
import {startCapture, type CaptureSession} from './capture-session.js';
import {capturableHops, defaultHops, hopCapture, nextHop, type HopPoint} from './two-point-points.js';

export interface TwoPointStream {
	/** Index into the snapshot's hops. */
	readonly hop: number;
	readonly session: CaptureSession | null;
	/** Why this stream has no capture. */
	readonly error: {reason: string; hint: string} | null;
}

export type StreamNumber = 1 | 2;

export interface TwoPointSnapshot {
	readonly version: number;
	readonly from: string;
	readonly to: string;
	readonly hops: readonly HopPoint[];
	readonly streams: readonly [TwoPointStream, TwoPointStream];
	/** The stream `c` and `w` act on. */
	readonly active: StreamNumber;
	readonly counts: LossCounts;
	/** Epoch ms the counter started (the streams' last move). */
	readonly since: number;
}

export interface TwoPointOptions {
	doc: PathDocument;
	/** The shell of a node, reached through the registry. */
	shell(node: string): Promise<Result<NodeShell>>;
	names: IpNames;
	ifNames?: (node: string) => IfNameOf;
	translations?: Translations;
	now?: () => number;
}

export interface TwoPointCapture {
	subscribe(listener: () => void): () => void;
	getSnapshot(): TwoPointSnapshot;
	/** Both streams listening (or stopped for a reason their snapshots give). */
	ready(timeoutMs?: number): Promise<void>;
	pick(stream: StreamNumber): void;
	/** Moves the active stream to the next hop the other does not hold. */
	move(): Promise<Result<HopPoint>>;
	save(): Promise<Result<string>>;
	setTranslations(translations: Translations): void;
	stop(): Promise<void>;
}

const TICK_MS = 250;

function endLabel(end: PathDocument['to']): string {
	return 'name' in end ? `${end.namespace}/${end.name}` : end.ip;
}

/** The capture session names its lines' pod after A: only its name and IPs are read. */
function podOf(end: PathEnd): PodPath {
	return {
		namespace: end.namespace, name: end.name, uid: '', node: end.node, ip: end.ip, ips: [end.ip], hostNetwork: false,
		status: 'resolved', netns: null, eth0: null, peer: null, bridge: null, routes: [], evidence: [], heuristic: false,
	};
}

export async function startTwoPoint(o: TwoPointOptions): Promise<Result<TwoPointCapture>> {
	const hops = capturableHops(o.doc);
	const pair = defaultHops(hops);
	if (pair === null) return {ok: false, reason: 'this path has fewer than two hops to capture at', hint: 'a two-point capture needs host veths, a bridge, a VXLAN device or an uplink on the way'};
	const two = new TwoPoint(o, hops);
	await Promise.all([two.startStream(1, pair[0]), two.startStream(2, pair[1])]);
	return {ok: true, value: two};
}

class TwoPoint implements TwoPointCapture {
	private readonly listeners = new Set<() => void>();
	private readonly now: () => number;
	private readonly ticker: NodeJS.Timeout;
	private readonly ips: string[];

	private streams: [TwoPointStream, TwoPointStream] = [{hop: -1, session: null, error: null}, {hop: -1, session: null, error: null}];
	private active: StreamNumber = 1;
	private correlator: LossCorrelator;
	private translations: Translations;
	private since: number;
	private version = 0;
	private snapshot: TwoPointSnapshot;
	private stopped = false;
	/** Moves and the stop run one after another: two at once would leave a tcpdump no stream shows. */
	private queue: Promise<unknown> = Promise.resolve();

	constructor(private readonly o: TwoPointOptions, private readonly hops: HopPoint[]) {
		this.now = o.now ?? Date.now;
		this.translations = o.translations ?? new Map();
		this.ips = [o.doc.from.ip, o.doc.to.ip];
		this.correlator = this.newCorrelator();
		this.since = this.now();
		this.snapshot = this.build();
		this.ticker = setInterval(() => this.tick(), TICK_MS);
		this.ticker.unref();
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	readonly getSnapshot = (): TwoPointSnapshot => this.snapshot;

	private stream(n: StreamNumber): TwoPointStream {
		return n === 1 ? this.streams[0] : this.streams[1];
	}

	private newCorrelator(): LossCorrelator {
		return new LossCorrelator({from: [this.o.doc.from.ip], to: [this.o.doc.to.ip], translations: this.translations});
	}

	private build(): TwoPointSnapshot {
		return Object.freeze({
			version: this.version,
			from: endLabel(this.o.doc.from),
			to: endLabel(this.o.doc.to),
			hops: this.hops,
			streams: this.streams,
			active: this.active,
			counts: this.correlator.counts(),
			since: this.since,
		});
	}

	private publish(): void {
		this.version++;
		this.snapshot = this.build();
		for (const listener of this.listeners) listener();
	}

	private tick(): void {
		this.correlator.advance(this.now());
		const before = this.snapshot.counts;
		const after = this.correlator.counts();
		if (before.sent !== after.sent || before.lost !== after.lost || before.lostRecent !== after.lostRecent || before.matched !== after.matched) this.publish();
	}

	async startStream(n: StreamNumber, hop: number): Promise<void> {
		const at = this.hops[hop]!;
		const set = (stream: TwoPointStream) => {
			this.streams = n === 1 ? [stream, this.streams[1]] : [this.streams[0], stream];
			this.publish();
		};
		const fixed = hopCapture(at, this.ips);
		const shell = fixed.ok ? await this.o.shell(at.node) : fixed;
		if (!shell.ok || !fixed.ok) {
			set({hop, session: null, error: shell.ok ? null : {reason: shell.reason, hint: shell.hint}});
			return;
		}

		const started = await startCapture({
			shell: shell.value,
			pod: podOf(this.o.doc.from),
			cni: null,
			names: this.o.names,
			at: fixed.value,
			ifNames: this.o.ifNames?.(at.node),
			// The packet's own timestamp: both points are stamped by a kernel clock, not by when their pipe was read.
			onPacket: ({header, record}) => this.correlator.seen(n, header.linkType, record.data, record.seconds * 1000 + record.micros / 1000),
		});
		if (this.stopped) {
			if (started.ok) await started.value.stop();
			return;
		}

		set(started.ok ? {hop, session: started.value, error: null} : {hop, session: null, error: {reason: started.reason, hint: started.hint}});
	}

	async ready(timeoutMs = 10_000): Promise<void> {
		await Promise.all(this.streams.map(s => s.session?.ready(timeoutMs)));
	}

	pick(stream: StreamNumber): void {
		if (this.active === stream) return;
		this.active = stream;
		this.publish();
	}

	private serial<T>(work: () => Promise<T>): Promise<T> {
		const next = this.queue.then(work);
		this.queue = next.catch(() => undefined);
		return next;
	}

	move(): Promise<Result<HopPoint>> {
		return this.serial(async () => {
			if (this.stopped) return {ok: false, reason: 'the two-point capture has stopped', hint: 't in the path view starts it again'};
			const n = this.active;
			const mine = this.stream(n);
			const other = this.stream(n === 1 ? 2 : 1);
			const hop = nextHop(this.hops, mine.hop, other.hop);
			await mine.session?.stop();
			this.correlator = this.newCorrelator();
			this.since = this.now();
			await this.startStream(n, hop);
			await this.stream(n).session?.ready();
			const now = this.stream(n);
			return now.error ? {ok: false, ...now.error} : {ok: true, value: this.hops[hop]!};
		});
	}

	async save(): Promise<Result<string>> {
		const session = this.stream(this.active).session;
		if (!session) return {ok: false, reason: `stream ${this.active} has no capture`, hint: 'c moves it to another hop'};
		return session.save();
	}

	setTranslations(translations: Translations): void {
		this.translations = translations;
		this.correlator.setTranslations(translations);
	}

	stop(): Promise<void> {
		this.stopped = true;
		clearInterval(this.ticker);
		return this.serial(async () => {
			await Promise.all(this.streams.map(s => s.session?.stop()));
		});
	}
}
