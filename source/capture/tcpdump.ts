// tcpdump as we run it: the argv (never a shell string) and the meaning of what it says on stderr.
// Checked against tcpdump 4.99.3 / libpcap 1.10.3 (Debian).
import {constants} from 'node:os';

export interface TcpdumpTarget {
	iface: string;
	/** Enter this network namespace first (the pod's eth0 point); null for the node's own. */
	netnsPath: string | null;
}

export interface KernelCounters {
	captured: number;
	received: number;
	dropped: number;
}

function enter(target: TcpdumpTarget): string[] {
	return target.netnsPath === null ? [] : ['nsenter', `--net=${target.netnsPath}`, '--'];
}

/**
 * The kernel buffer tcpdump asks for, in KiB (-B; libpcap's default is 2 MiB). Without immediate
 * mode libpcap hands tcpdump whole blocks of packets, and this ring rides out the moments our
 * reader is busy: under a 10 s `ping -f` on two loaded cores, 64 MiB left no kernel drops, 8 MiB
 * dropped about half (bench/capture.ts).
 */
export const CAPTURE_BUFFER_KIB = 65536;

/**
 * The capture command: pcap on stdout (`-w -`), each packet written as tcpdump handles it (`-U`),
 * decoded by us (source/core/pcap-decode.ts). No --immediate-mode: libpcap then hands tcpdump whole
 * blocks of packets (a lone packet waits for the 1 s block timeout) instead of waking it per packet,
 * which under a flood cost a third of the packets to kernel drops. Without -U the stream would be
 * cut in 4 KiB writes, and a packet on a quiet interface would never show; tcpdump's SIGUSR2 flush
 * would bound that, but it runs stdio from a signal handler and tore the stream under a flood. The shell runs it under the watchdog
 * (source/node/watchdog.ts), which ends it once we are gone; setpriv makes the kernel SIGKILL it at
 * once when its parent dies, unless exec clears that signal (a tcpdump with file capabilities).
 * -Z root keeps tcpdump from switching to the tcpdump user, which would clear it too. No -p: a
 * bridge sees forwarded pod-to-pod frames only in promiscuous mode. nsenter execs tcpdump in the
 * same process, so the signal survives it.
 */
export function tcpdumpArgv(target: TcpdumpTarget, filter: string, bufferKib = CAPTURE_BUFFER_KIB): string[] {
	return [
		'setpriv', '--pdeathsig', 'KILL', '--',
		...enter(target),
		'tcpdump', '-Z', 'root', '-n', '-B', String(bufferKib), '-U', '-w', '-', '-i', target.iface,
		filter,
	];
}

/** tcpdump compiles the filter for the interface's link type and prints the BPF program: a dry run. */
export function compileCheckArgv(target: TcpdumpTarget, filter: string): string[] {
	return [...enter(target), 'tcpdump', '-d', '-i', target.iface, filter];
}

/**
 * Counters from stderr. On SIGUSR1 tcpdump prints one line
 * "tcpdump: 8 packets captured, 8 packets received by filter, 0 packets dropped by kernel";
 * on exit it prints three lines, one counter each.
 */
export function parseKernelCounters(line: string): Partial<KernelCounters> | null {
	const found: Partial<KernelCounters> = {};
	let any = false;
	for (const m of line.matchAll(/(\d+) packets? (captured|received by filter|dropped by kernel)/g)) {
		const n = Number(m[1]);
		if (m[2] === 'captured') found.captured = n;
		else if (m[2] === 'received by filter') found.received = n;
		else found.dropped = n;
		any = true;
	}
	return any ? found : null;
}

export interface StopReason {
	reason: string;
	hint: string;
}

/** Why tcpdump ended, from its exit and the stderr lines it left (noise lines are ignored). */
export function explainExit(
	exit: {exitCode: number | null; signal: string | null; failure: string | null},
	stderr: readonly string[],
	iface: string,
): StopReason {
	const text = stderr.join('\n');
	if (/failed to execute tcpdump|tcpdump: (command )?not found|No such file or directory.*tcpdump|exec: tcpdump/i.test(text) || exit.exitCode === 127) {
		return {reason: 'tcpdump is not installed on the node', hint: 'install it on the node: apt-get install tcpdump'};
	}
	if (/failed to execute (setpriv|nsenter)/.test(text)) {
		return {reason: 'setpriv or nsenter is missing on the node', hint: 'install util-linux on the node'};
	}
	if (/permission|Operation not permitted/i.test(text)) {
		return {reason: `no permission to capture on ${iface}`, hint: 'run as root, or give tcpdump CAP_NET_RAW (setcap cap_net_raw+ep $(command -v tcpdump))'};
	}
	if (/interface disappeared|No such device|ENXIO|went down/i.test(text)) {
		return {reason: `the interface ${iface} vanished`, hint: 'the pod may have been deleted or re-created; pick the pod again'};
	}
	if (/reassociate with setns|nsenter: /.test(text)) {
		return {reason: 'cannot enter the pod network namespace', hint: 'the pod sandbox may be gone; pick the pod again'};
	}
	const said = stderr.filter(l => !/^(tcpdump: )?(listening on|verbose output|data link type)|packets? (captured|received|dropped)/.test(l)).join(' ').trim();
	if (exit.failure !== null) return {reason: `tcpdump could not run: ${exit.failure}`, hint: said};
	const signal = exit.signal ?? signalOfShellStatus(exit.exitCode);
	if (signal !== null) return {reason: `tcpdump was killed (${signal})`, hint: said || 'something outside this tool ended it'};
	return {reason: `tcpdump exited with code ${String(exit.exitCode)}`, hint: said};
}

/** The watchdog's sh reports a command killed by signal N as exit 128+N; tcpdump itself exits 0, 1 or 2. */
function signalOfShellStatus(exitCode: number | null): string | null {
	if (exitCode === null || exitCode <= 128) return null;
	return Object.entries(constants.signals).find(([, n]) => n === exitCode - 128)?.[0] ?? null;
}
