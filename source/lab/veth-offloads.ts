// GRO, GSO and TSO off on the lab's veths (both ends of each pod's, and the nodes' eth0s), so a
// capture at one hop counts the same packets as a capture at the next: with them on, the kernel
// merges and splits TCP segments between hops, and the two-point counter would see different
// packets. One `ethtool -K` per device.
import {existsSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import type {Result} from '../core/types.js';
import {inNetns} from './lab-node.js';

/** K8SNET_LAB_ETHTOOL names the binary; tests point it at a missing one. */
function ethtoolCommand(): string {
	return process.env['K8SNET_LAB_ETHTOOL'] ?? 'ethtool';
}

/** Why the lab cannot turn offloads off, or null. */
export function ethtoolProblem(): {reason: string; hint: string} | null {
	const command = ethtoolCommand();
	const found = command.includes('/') ? existsSync(command) : (process.env['PATH'] ?? '').split(delimiter).some(dir => dir !== '' && existsSync(join(dir, command)));
	if (found) return null;
	return {reason: `${command} is not installed: the lab turns GRO/GSO off on its veths so that packet counts match between hops`, hint: 'apt-get install ethtool'};
}

export async function offloadsOff(netnsPath: string, ifname: string): Promise<Result<void>> {
	const r = await inNetns(netnsPath, [ethtoolCommand(), '-K', ifname, 'gro', 'off', 'gso', 'off', 'tso', 'off']);
	return r.ok ? {ok: true, value: undefined} : r;
}

/** Both ends of a pod's veth: eth0 in the pod, its peer in the node. */
export async function podOffloadsOff(podNetns: string, nodeNetns: string, hostVeth: string): Promise<Result<void>> {
	const done = await Promise.all([offloadsOff(podNetns, 'eth0'), offloadsOff(nodeNetns, hostVeth)]);
	return done.find(r => !r.ok) ?? {ok: true, value: undefined};
}
