// One connection attempt from a pod's network namespace, through the node's shell (never an exec
// into the container, so distroless pods work). On this host (the lab, local access) it is this
// binary under `nsenter --net`; a remote node is not probed yet, and says so.
import {parseProbeLine, type ProbeResult} from '../core/connect-probe-result.js';
import type {Result} from '../core/types.js';
import {selfCommand} from '../lab/self-command.js';
import type {NodeShell} from './node-shell.js';

export interface ProbeTarget {
	/** The source pod's netns file as the node sees it (/run/netns/NAME or /proc/PID/ns/net). */
	netnsPath: string;
	ip: string;
	port: number;
	protocol: 'TCP' | 'UDP' | 'SCTP';
}

const TOOL = 'k8snet-tui under nsenter --net';

export async function probeConnection(shell: NodeShell, t: ProbeTarget): Promise<Result<ProbeResult>> {
	if (t.protocol === 'SCTP') return {ok: false, reason: 'SCTP cannot be probed: this kernel has no SCTP', hint: 'the verdict is evaluated, not probed'};
	if (!shell.sharesProcfs) return {ok: false, reason: `no probe tool for ${shell.access.kind} access yet`, hint: 'probes run on this host only: the lab, or local access on the node'};
	if (!/^(\/run\/netns\/[\w.-]+|\/proc\/\d+\/ns\/net)$/.test(t.netnsPath)) return {ok: false, reason: `not a netns path: ${t.netnsPath}`, hint: 'a pod netns is /run/netns/NAME or /proc/PID/ns/net'};
	const r = await shell.run(['nsenter', `--net=${t.netnsPath}`, '--', ...selfCommand(), '__connect-probe', t.ip, String(t.port), t.protocol.toLowerCase()], {timeoutMs: 10_000});
	const parsed = parseProbeLine(r.stdout, TOOL);
	if (parsed === null) return {ok: false, reason: `the probe printed no result${r.failure ? `: ${r.failure}` : r.stderr ? `: ${r.stderr.trim().split('\n')[0]}` : ''}`, hint: 'nsenter (util-linux) and root are needed'};
	return {ok: true, value: parsed};
}
