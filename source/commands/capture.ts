// `k8snet-tui capture NS/POD [--at POINT] [-f FILTER] [-w FILE|-] [-c COUNT] [--duration S]`: the
// capture pane without the TUI. tcpdump streams pcap from the node (`-w -`) through the node shell;
// here it becomes a pcapng (a file, or stdout for `| wireshark -k -i -`) or tcpdump's text with pod
// names. Exit 0 when it ran to its end (COUNT, the duration, a closed stdout pipe), 130/143 on
// SIGINT/SIGTERM, 1 with one line when it cannot start or tcpdump stops by itself. Every way out
// stops tcpdump on the node first. Never imports Ink or React.
import type {TargetOptions} from '../app/options.js';
import type {Target} from '../app/target.js';
import {fdSink, openNamedFile, PcapngRecorder, type PacketSink} from '../capture/capture-file.js';
import {defaultRouteDevice, ifNamesOf} from '../capture/node-interfaces.js';
import type {CapturePointKind} from '../capture/capture-points.js';
import {startCapture, type CapturedPacket, type CaptureSession} from '../capture/capture-session.js';
import {filterRequest} from '../capture/capture-view.js';
import {detectCni} from '../core/cni-detect.js';
import {displayText} from '../core/display-text.js';
import {annotateLine, buildIpNames} from '../core/ip-names.js';
import {resolvePods} from '../core/join.js';
import {decodeFrame, packetTime} from '../core/pcap-decode.js';
import type {Result} from '../core/types.js';
import {toRef} from './dump.js';

export const CAPTURE_POINTS: readonly CapturePointKind[] = ['pod', 'peer', 'bridge', 'uplink', 'any'];

export interface CaptureCommandOptions {
	pod: string | undefined;
	at: string | undefined;
	filter: string | undefined;
	write: string | undefined;
	count: number | undefined;
	duration: number | undefined;
}

interface Checked {
	namespace: string;
	name: string;
	at: CapturePointKind | undefined;
	count: number | null;
	durationMs: number | null;
}

/** Flags first: a bad one is a line and a hint, before any API call or node command. */
export function checkCaptureOptions(o: CaptureCommandOptions, namespace: string | undefined): Result<Checked> {
	const bad = (reason: string, hint: string): Result<Checked> => ({ok: false, reason, hint});
	if (o.pod === undefined) return bad('which pod? give NS/POD', 'e.g. k8snet-tui capture default/web-0; list them with k8snet-tui dump');
	const [first, second, ...extra] = o.pod.split('/');
	if (extra.length > 0 || !first || second === '') return bad(`"${o.pod}" is not NAME or NAMESPACE/NAME`, 'e.g. default/web-0');
	const ns = second === undefined ? (namespace ?? 'default') : first;
	const name = second ?? first;
	if (o.at !== undefined && !CAPTURE_POINTS.includes(o.at as CapturePointKind)) {
		return bad(`--at ${o.at} is not a capture point`, `one of ${CAPTURE_POINTS.join(', ')}`);
	}
	if (o.count !== undefined && (!Number.isInteger(o.count) || o.count < 1)) return bad(`-c ${o.count} is not a packet count`, 'a whole number of packets, 1 or more');
	if (o.duration !== undefined && (!Number.isFinite(o.duration) || o.duration <= 0)) return bad(`--duration ${o.duration} is not a duration`, 'seconds, more than 0, e.g. --duration 10');
	if (o.write === '') return bad('-w needs a file name, or - for stdout', 'e.g. -w web-0.pcapng, or -w - | wireshark -k -i -');
	return {ok: true, value: {namespace: ns, name, at: o.at as CapturePointKind | undefined, count: o.count ?? null, durationMs: o.duration === undefined ? null : o.duration * 1000}};
}

export async function runCapture(target: TargetOptions, o: CaptureCommandOptions): Promise<number> {
	const fail = (reason: string, hint?: string) => {
		console.error(displayText(`k8snet-tui capture: ${reason}${hint ? ` (${hint})` : ''}`));
		return 1;
	};
	const checked = checkCaptureOptions(o, target.namespace);
	if (!checked.ok) return fail(checked.reason, checked.hint);
	const want = checked.value;

	const [{resolveTarget}, {listPods}] = await Promise.all([import('../app/target.js'), import('../cluster/pods.js')]);
	const resolved = await resolveTarget(target);
	if (!resolved.ok) return fail(resolved.reason, resolved.hint);
	try {
		return await captureOn(resolved.value, want, o, fail, listPods);
	} finally {
		// What the access left on the node (an agent pod) goes before we exit.
		await resolved.value.registry.close();
	}
}

async function captureOn(
	resolved: Target,
	want: Checked,
	o: CaptureCommandOptions,
	fail: (reason: string, hint?: string) => number,
	listPods: typeof import('../cluster/pods.js').listPods,
): Promise<number> {
	const {kube, node, shell, nodes, warning} = resolved;
	if (warning !== null) console.error(displayText(`k8snet-tui: ${warning.reason} (${warning.hint})`));
	const [viewResult, podsResult, runtime] = await Promise.all([
		shell.poller.poll(),
		listPods(kube, {nodeName: node}),
		shell.runtime().catch(() => null),
	]);
	if (!podsResult.ok) return fail(podsResult.reason, podsResult.hint);
	if (!viewResult.ok) return fail(`cannot read node ${node}: ${viewResult.reason}`, viewResult.hint);
	const pods = podsResult.value.map(toRef);
	const pod = pods.find(p => p.namespace === want.namespace && p.name === want.name);
	if (pod === undefined) {
		return fail(`pod ${want.namespace}/${want.name} is not on node ${node}`, 'a capture runs on the pod\'s node: pass --node NAME (kubectl get pod -o wide shows it)');
	}
	const view = viewResult.value;
	const paths = resolvePods(pods, view, node, runtime?.sandboxes);
	const path = paths.find(p => p.uid === pod.uid)!;
	const names = buildIpNames(paths, nodes.map(n => ({name: n.name, ips: n.internalIPs})));
	const {quick, expression} = filterRequest(o.filter ?? '');

	let end: (code: number) => void = () => undefined;
	const ended = new Promise<number>(resolve => (end = resolve));
	const toStdout = o.write === undefined || o.write === '-';
	let sink: PacketSink;
	if (toStdout) {
		sink = pipeSink(() => end(0));
	} else {
		const file = openNamedFile(o.write!);
		if (!file.ok) return fail(file.reason, file.hint);
		sink = fdSink(file.value.fd, {closeFd: true});
	}
	const out = batched(sink);
	// -w writes pcapng (SHB now, each point's IDB and the names as packets bring them); else text.
	const recorder = o.write === undefined ? null : new PcapngRecorder(out, names);

	let seen = 0;
	const onPacket = (packet: CapturedPacket) => {
		if (seen >= (want.count ?? Infinity)) return;
		seen++;
		if (recorder !== null) recorder.record(packet.recorded, packet.record);
		else out.write([Buffer.from(`${displayText(annotateLine(lineOf(packet), names))}\n`)]);
		if (seen === want.count) end(0);
	};
	const started = await startCapture({
		shell,
		pod: path,
		cni: detectCni(view.snapshot, []),
		uplink: {iface: defaultRouteDevice(view.snapshot)},
		names,
		point: want.at,
		quick,
		expression,
		ifNames: ifNamesOf(view.snapshot),
		onPacket,
	});
	if (!started.ok) return fail(started.reason, started.hint);
	const session = started.value;

	const onSignal = (code: number) => () => end(code);
	process.once('SIGINT', onSignal(130));
	process.once('SIGTERM', onSignal(143));
	const ready = await Promise.race([session.ready(10_000), ended.then(code => ({ok: false as const, reason: '', hint: '', code}))]);
	if (!ready.ok) {
		await session.stop();
		out.close();
		return 'code' in ready ? ready.code : fail(ready.reason, ready.hint);
	}
	const snapshot = session.getSnapshot();
	console.error(displayText(`k8snet-tui capture: ${want.namespace}/${want.name} at ${snapshot.point.label} on ${node}: ${snapshot.command}`));
	const timer = want.durationMs === null ? null : setTimeout(() => end(0), want.durationMs);
	const stoppedItself = watchStop(session, reason => end(fail(reason)));
	const code = await ended;
	if (timer !== null) clearTimeout(timer);
	stoppedItself();
	await session.stop();
	out.close();
	const kernel = session.getSnapshot().kernel;
	console.error(`k8snet-tui capture: ${seen} packets${toStdout ? '' : ` written to ${o.write}`}${kernel === null ? '' : `, ${kernel.dropped} dropped by the kernel`}`);
	return code;
}

function lineOf({header, record}: CapturedPacket): string {
	return `${packetTime(record.seconds, record.micros)} ${decodeFrame(header.linkType, record.data, record.origLen).text}`;
}

/** Calls back once the capture stops by itself (tcpdump failed, the interface went); returns the unsubscribe. */
function watchStop(session: CaptureSession, onStop: (reason: string) => void): () => void {
	let told = false;
	const check = () => {
		const stopped = session.getSnapshot().stopped;
		if (stopped === null || told) return;
		told = true;
		onStop(`${stopped.reason}${stopped.hint ? ` (${stopped.hint})` : ''}`);
	};
	check();
	return session.subscribe(check);
}

/** stdout as a sink: a reader that goes away (EPIPE: `| head -c 100`) ends the capture, quietly. */
function pipeSink(onClosed: () => void): PacketSink {
	let closed = false;
	process.stdout.on('error', () => {
		closed = true;
		onClosed();
	});
	return {
		write(blocks) {
			if (!closed) process.stdout.write(blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks));
		},
		flush: () => undefined,
		close: () => undefined,
	};
}

/** Writes gathered and flushed once per turn of the event loop: one write for a chunk's packets. */
function batched(sink: PacketSink): PacketSink {
	let pending: Buffer[] = [];
	let scheduled = false;
	const flush = () => {
		scheduled = false;
		if (pending.length === 0) return;
		const blocks = pending;
		pending = [];
		sink.write(blocks);
		sink.flush();
	};
	return {
		write(blocks) {
			pending.push(...blocks);
			if (!scheduled) {
				scheduled = true;
				setImmediate(flush);
			}
		},
		flush,
		close() {
			flush();
			sink.close();
		},
	};
}

