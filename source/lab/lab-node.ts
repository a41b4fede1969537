// The lab's node: a netns playing the minikube node, with an uplink veth to a small "world" netns
// of the lab's own that holds the node's InternalIP (the `dummy` link type is missing on some
// kernels here). Everything is made with `ip -n`, so the host's root netns is never touched.
import {readdirSync, statSync} from 'node:fs';
import type {Result} from '../core/types.js';
import {LAB_NODE_NETNS, LAB_PREFIX, LAB_WORLD_NETNS} from './lab-state.js';
import {describeFailure, runCommand} from './run-command.js';

export const NODE_IP = '198.51.100.2';
export const WORLD_IP = '198.51.100.1';
export const UPLINK_PREFIX = 24;
export const POD_CIDR = '10.244.0.0/16';
export const POD_GATEWAY = '10.244.0.1';
export const POD_CIDR6 = 'fd00:10:244::/64';
export const POD_GATEWAY6 = 'fd00:10:244::1';
export const NODE_NETNS_PATH = `/run/netns/${LAB_NODE_NETNS}`;

/**
 * The lab's routers (its nodes and its world) send every ICMP error they owe: the kernel's default
 * of one per second per peer made a probe's "unreachable" a "timeout" when a test probed twice in a
 * second (the answer to a SYN's retransmission never came). A real router's limit is its own affair;
 * the lab's answers must not depend on timing.
 */
export const ROUTER_SYSCTLS = ['net.ipv4.ip_forward=1', 'net.ipv4.icmp_ratelimit=0'] as const;

/** Makes the netns at `path` a router of the lab's (see ROUTER_SYSCTLS). */
export function makeRouter(path: string, extra: readonly string[] = []): Promise<Result<string>> {
	return inNetns(path, ['sysctl', '-q', '-w', ...ROUTER_SYSCTLS, ...extra]);
}

export function netnsPath(name: string): string {
	return `/run/netns/${name}`;
}

/** Every named netns carrying the lab prefix, ours or not. */
export function listLabNetns(): string[] {
	try {
		return readdirSync('/run/netns').filter((n) => n.startsWith(LAB_PREFIX));
	} catch {
		return [];
	}
}

/** Runs `ip -n NETNS -batch -` so a dozen steps cost one process. */
export async function ipBatch(netns: string | null, lines: string[]): Promise<Result<void>> {
	const argv = netns === null ? ['ip', '-batch', '-'] : ['ip', '-n', netns, '-batch', '-'];
	const r = await runCommand(argv, {input: lines.join('\n') + '\n'});
	if (!r.ok) return {ok: false, reason: describeFailure(argv, r), hint: lines.join('; ')};
	return {ok: true, value: undefined};
}

export async function ip(args: string[]): Promise<Result<string>> {
	const argv = ['ip', ...args];
	const r = await runCommand(argv);
	if (!r.ok) return {ok: false, reason: describeFailure(argv, r), hint: 'see the iproute2 error above'};
	return {ok: true, value: r.stdout};
}

/** Runs a command inside a netns (by path) through nsenter: works for /proc/<pid>/ns/net too. */
export async function inNetns(path: string, argv: string[], input?: string): Promise<Result<string>> {
	const full = ['nsenter', `--net=${path}`, '--', ...argv];
	const r = await runCommand(full, {input});
	if (!r.ok) return {ok: false, reason: describeFailure(full, r), hint: 'see the error above'};
	return {ok: true, value: r.stdout};
}

/** The identity of a netns (its nsfs inode), to tell two paths to one netns apart. */
export function netnsIdentity(path: string): string | null {
	try {
		const s = statSync(path);
		return `${s.dev}:${s.ino}`;
	} catch {
		return null;
	}
}

export async function createNodeAndWorld(o: {ipv6: boolean}): Promise<Result<void>> {
	for (const name of [LAB_WORLD_NETNS, LAB_NODE_NETNS]) {
		const r = await ip(['netns', 'add', name]);
		if (!r.ok) return r;
	}

	const node = await ipBatch(LAB_NODE_NETNS, [
		'link set lo up',
		`link add eth0 type veth peer name node0 netns ${LAB_WORLD_NETNS}`,
		`addr add ${NODE_IP}/${UPLINK_PREFIX} dev eth0`,
		'link set eth0 up',
		`route add default via ${WORLD_IP}`,
	]);
	if (!node.ok) return node;
	const world = await ipBatch(LAB_WORLD_NETNS, [
		'link set lo up',
		`addr add ${WORLD_IP}/${UPLINK_PREFIX} dev node0`,
		'link set node0 up',
		// The world can reach the pods the way a real LAN reaches a node's pod CIDR via the node.
		`route add ${POD_CIDR} via ${NODE_IP}`,
	]);
	if (!world.ok) return world;

	// A node forwards between its pods and its uplink (ptp pods depend on it).
	const fwd = await makeRouter(NODE_NETNS_PATH, o.ipv6 ? ['net.ipv6.conf.all.forwarding=1'] : []);
	if (!fwd.ok) return fwd;
	const answers = await makeRouter(netnsPath(LAB_WORLD_NETNS));
	if (!answers.ok) return answers;
	return {ok: true, value: undefined};
}

/** The bridge minikube's CNI config makes, for when the bridge plugin is not installed. */
export async function createBridgeByHand(o: {ipv6: boolean}): Promise<Result<void>> {
	return ipBatch(LAB_NODE_NETNS, [
		'link add bridge type bridge',
		`addr add ${POD_GATEWAY}/16 dev bridge`,
		...(o.ipv6 ? [`addr add ${POD_GATEWAY6}/64 dev bridge nodad`] : []),
		'link set bridge up',
	]);
}
