// `--traffic`: a few pods ping another lab pod about once a second, so a capture on the bridge or a
// veth shows something; on a multi-node lab, pairs alternate between cross-node and same-node. Sources and targets are lab pods only: the ping runs in a pod's netns and
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

/**
 * The pod wired[i] pings: the next one in the ring on another node for even i, on its own node for
 * odd i, whichever exists. On one node that is simply pod i+1.
 */
export function trafficTarget(wired: LabPod[], i: number): LabPod {
	const from = wired[i] as LabPod;
	const after = [...wired.slice(i + 1), ...wired.slice(0, i)];
	const cross = after.find((p) => p.node !== from.node);
	const same = after.find((p) => p.node === from.node);
	return ((i % 2 === 0 ? (cross ?? same) : (same ?? cross)) as LabPod);
}

/** Starts up to MAX_PINGERS pingers (see trafficTarget); returns their pids. */
export function startTraffic(pods: LabPod[]): number[] {
	const wired = pods.filter(isWiredPod);
	if (wired.length < 2) return [];
	const pids: number[] = [];
	for (let i = 0; i < Math.min(MAX_PINGERS, wired.length); i++) {
		const from = wired[i] as LabPod;
		const to = trafficTarget(wired, i);
		const target = to.kernelIps?.[0] as string;
		// -4: iputils picks the family from argv0's last character, and our titles may end in a 6.
		pids.push(spawnTitled({title: trafficTitle(from), argv: ['ping', '-4', '-q', '-i', '1', target], netns: {kind: 'join', path: from.netnsPath as string}}));
	}

	return pids;
}
