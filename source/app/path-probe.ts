// `path --probe`: the kernel's answer next to the walk. One attempt from FROM's netns through its
// node's shell; for a Service, then the conntrack entry the attempt made on the DNAT node (FROM's),
// whose reply source is the endpoint the kernel chose. Results are values: a probe that cannot run
// says why in `note`, with result null, and the path is still printed.
import type {JoinedServiceTrace} from './path-service-trace.js';
import type {PathProbe} from '../core/path/types.js';
import type {PodPath} from '../core/types.js';
import type {NodeShell} from '../node/node-shell.js';
import {probeFromPod, readProbeConntrack, type ProbeProto} from '../node/path-probe.js';
import type {ServiceLookup} from './service-lookup.js';

const none = (note: string, tool: string | null = null): PathProbe => ({tool, result: null, ms: null, endpoint: null, conntrack: null, answer: null, note});

/** One attempt from `from` to ip:port. */
export async function probeTo(shell: NodeShell | undefined, from: PodPath, ip: string, port: number | null, proto: ProbeProto): Promise<PathProbe & {sport: number | null}> {
	if (shell === undefined || from.netns === null) return {...none(`${from.namespace}/${from.name}'s netns is not known on its node, so nothing can be sent from it`), sport: null};
	const r = await probeFromPod(shell, from.netns.path, ip, port, proto);
	if (!r.ok) return {...none(`${r.reason} (${r.hint})`), sport: null};
	const a = r.value;
	if (a.tool === null) return {...none(a.reason ?? 'no probe tool on the node'), sport: null};
	return {tool: a.tool, result: a.result, ms: a.ms, endpoint: null, conntrack: null, answer: a.answer, note: null, sport: a.sport};
}

export async function probeService(trace: JoinedServiceTrace, found: ServiceLookup): Promise<PathProbe> {
	const clusterIP = found.service.clusterIPs[0] ?? '';
	const proto = found.port.protocol === 'UDP' ? 'udp' : 'tcp';
	const {sport, ...probe} = await probeTo(trace.dnat, trace.from, clusterIP, found.port.port, proto);
	if (probe.result === null || trace.from.ip === null) return probe;
	const ct = await readProbeConntrack(trace.dnat, {proto, src: trace.from.ip, dst: clusterIP, dport: found.port.port, sport});
	if (!ct.ok) return {...probe, note: `${ct.reason} (${ct.hint})`};
	const {entry, line, note} = ct.value;
	if (entry === null || entry.reply.sport === null) return {...probe, conntrack: line, note};
	const ip = entry.reply.src;
	const port = entry.reply.sport;
	const pod = found.slices.flatMap(s => s.endpoints).find(e => e.addresses.includes(ip))?.targetRef;
	return {...probe, endpoint: {ip, port, pod: pod?.kind === 'Pod' ? `${pod.namespace}/${pod.name}` : null}, conntrack: line, note: entry.orig.dst === ip ? 'the connection was not DNATed: the reply came from the ClusterIP itself' : null};
}
