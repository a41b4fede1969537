// `--traffic`: a few pods ping another lab pod about once a second, so a capture on the bridge or a
// veth shows something. Sources and targets are lab pods only: the ping runs in a pod's netns and
// its destination is another lab pod's IP, validated, never anything else.
import ipaddr from 'ipaddr.js';
import {spawnTitled} from './lab-process.js';
import {LAB_PREFIX, type LabPod} from './lab-state.js';

const MAX_PINGERS = 4;

export function trafficTitle(from: {namespace: string; name: string}): string {
	return `${LAB_PREFIX}-traffic-${from.namespace}-${from.name}`;
}

function isWiredPod(p: LabPod): boolean {
	const ip = p.kernelIps?.[0];
	return p.kind === 'normal' && p.netnsPath !== null && p.sandboxPid !== null && ip !== undefined && ipaddr.IPv4.isValidFourPartDecimal(ip);
}

/** Starts up to MAX_PINGERS pingers, pod i → pod i+1 (in a ring); returns their pids. */
export function startTraffic(pods: LabPod[]): number[] {
	const wired = pods.filter(isWiredPod);
	if (wired.length < 2) return [];
	const pids: number[] = [];
	for (let i = 0; i < Math.min(MAX_PINGERS, wired.length); i++) {
		const from = wired[i] as LabPod;
		const to = wired[(i + 1) % wired.length] as LabPod;
		const target = to.kernelIps?.[0] as string;
		// -4: iputils picks the family from argv0's last character, and our titles may end in a 6.
		pids.push(spawnTitled({title: trafficTitle(from), argv: ['ping', '-4', '-q', '-i', '1', target], netns: {kind: 'join', path: from.netnsPath as string}}));
	}

	return pids;
}
