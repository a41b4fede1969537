// One lab pod in the kernel: a pause process holding the pod's netns (a named netns, containerd
// style, or an unnamed one held only by the process, Docker style), the netns wired by the CNI
// plugin (or by hand), and one or two container processes joined to that same netns.
import {randomBytes, randomUUID} from 'node:crypto';
import type {Result} from '../core/types.js';
import {cniAdd, cniDel} from './cni-plugin.js';
import {type PodIpAllocator, wireByHand} from './hand-wiring.js';
import {ip, netnsIdentity, netnsPath} from './lab-node.js';
import {podOffloadsOff} from './veth-offloads.js';
import {isLabProcess, killProcesses, spawnTitled, waitForTitle} from './lab-process.js';
import {LAB_PREFIX, type LabNode, type LabOptions, type LabPod, type LabPodKind, type LabState} from './lab-state.js';

export type PodStyle = 'netns' | 'process';

/** What a pod build needs from `lab up` / `lab pod add`. */
export interface PodBuildContext {
	options: LabOptions;
	builtWith: LabState['builtWith'];
	/** The node the pod runs on. */
	node: LabNode;
	allocator: PodIpAllocator;
	/** Writes the state file: called after every step so a crash leaves a cleanable record. */
	save: () => void;
}

const hex64 = () => randomBytes(32).toString('hex');

export function pauseTitle(p: {namespace: string; name: string}): string {
	return `${LAB_PREFIX}-pause-${p.namespace}-${p.name}`;
}

export function containerTitle(p: {namespace: string; name: string}, container: string): string {
	return `${LAB_PREFIX}-ctr-${p.namespace}-${p.name}-${container}`;
}

/** The record of a pod before anything exists in the kernel. */
export function planPod(namespace: string, name: string, kind: LabPodKind, sidecar: boolean, node: string): LabPod {
	const app = name.replace(/-\d+$/, '') || 'app';
	const image = app === 'nginx' ? 'docker.io/library/nginx:1.27' : 'docker.io/library/busybox:1.36';
	const pending = kind === 'pending';
	const containers = [{name: app, id: pending ? '' : hex64(), pid: null, image}];
	if (sidecar) containers.push({name: 'sidecar', id: pending ? '' : hex64(), pid: null, image: 'docker.io/library/busybox:1.36'});
	return {
		namespace,
		name,
		uid: randomUUID(),
		kind,
		ip: null,
		ips: [],
		netnsPath: null,
		netnsName: null,
		sandboxPid: null,
		// A Pending pod has no sandbox yet: the empty id says so to the runtime and the API.
		sandboxId: pending ? '' : hex64(),
		containers,
		createdAt: new Date().toISOString(),
		node,
	};
}

async function startProcess(title: string, netns: Parameters<typeof spawnTitled>[0]['netns'], loUp: boolean): Promise<Result<number>> {
	const pid = spawnTitled({title, argv: ['sleep', 'infinity'], netns, loUp});
	if (!(await waitForTitle(pid, title))) {
		return {ok: false, reason: `process '${title}' (pid ${pid}) did not start`, hint: 'is nsenter/unshare (util-linux) installed?'};
	}

	return {ok: true, value: pid};
}

/** Builds the pod in the kernel, filling in `pod` (already in the state) and saving as it goes. */
export async function buildPod(pod: LabPod, style: PodStyle, ctx: PodBuildContext): Promise<Result<void>> {
	if (pod.kind === 'pending') return {ok: true, value: undefined};
	const nodePath = netnsPath(ctx.node.netns);

	if (pod.kind === 'host-network') {
		const pause = await startProcess(pauseTitle(pod), {kind: 'join', path: nodePath}, false);
		if (!pause.ok) return pause;
		pod.sandboxPid = pause.value;
		pod.ip = ctx.node.ip;
		pod.ips = [ctx.node.ip];
		pod.kernelIps = [ctx.node.ip];
		ctx.save();
		return startContainers(pod, nodePath, ctx);
	}

	// Taken before the first await, so concurrent builds get addresses in the order they started.
	const handIps = ctx.builtWith === 'iproute2' ? ctx.allocator.next(ctx.options.ipv6) : null;
	let path: string;
	if (style === 'netns') {
		const name = `${LAB_PREFIX}-cni-${randomUUID()}`;
		const add = await ip(['netns', 'add', name]);
		if (!add.ok) return add;
		pod.netnsName = name;
		pod.netnsPath = path = netnsPath(name);
		ctx.save();
		const pause = await startProcess(pauseTitle(pod), {kind: 'join', path}, true);
		if (!pause.ok) return pause;
		pod.sandboxPid = pause.value;
	} else {
		const pause = await startProcess(pauseTitle(pod), {kind: 'new'}, true);
		if (!pause.ok) return pause;
		pod.sandboxPid = pause.value;
		pod.netnsPath = path = `/proc/${pause.value}/ns/net`;
	}

	ctx.save();

	// Never wire a netns that is ours or the node's: that would put a pod's eth0 in the wrong place.
	const id = netnsIdentity(path);
	if (id === null || id === netnsIdentity('/proc/self/ns/net') || id === netnsIdentity(nodePath)) {
		return {ok: false, reason: `pod ${pod.namespace}/${pod.name}: its netns ${path} is not a netns of its own`, hint: 'refusing to wire it'};
	}

	let kernelIps: string[];
	let hostVeth: string | null;
	if (handIps === null) {
		const added = await cniAdd({cni: ctx.options.cni, ipv6: ctx.options.ipv6, node: ctx.node, containerId: pod.sandboxId, netnsPath: path});
		if (!added.ok) return added;
		kernelIps = added.value.ips;
		hostVeth = added.value.hostVeth;
	} else {
		kernelIps = handIps;
		const wired = await wireByHand(ctx.options.cni, path, kernelIps);
		if (!wired.ok) return wired;
		hostVeth = wired.value;
	}

	if (hostVeth === null) return {ok: false, reason: `pod ${pod.namespace}/${pod.name}: the CNI result names no host veth`, hint: 'its offloads cannot be turned off; is the plugin a bridge or ptp one?'};
	const offloads = await podOffloadsOff(path, nodePath, hostVeth);
	if (!offloads.ok) return offloads;

	pod.kernelIps = kernelIps;
	pod.ips = kernelIps;
	pod.ip = kernelIps[0] ?? null;
	ctx.save();
	return startContainers(pod, path, ctx);
}

async function startContainers(pod: LabPod, path: string, ctx: PodBuildContext): Promise<Result<void>> {
	const started = await Promise.all(
		pod.containers.map(async (c) => {
			const r = await startProcess(containerTitle(pod, c.name), {kind: 'join', path}, false);
			if (r.ok) c.pid = r.value;
			return r;
		}),
	);
	ctx.save();
	const failed = started.find((r) => !r.ok);
	return failed && !failed.ok ? failed : {ok: true, value: undefined};
}

export function podPids(pod: LabPod): number[] {
	return [pod.sandboxPid, ...pod.containers.map((c) => c.pid)].filter((p): p is number => p !== null);
}

/**
 * Takes the pod out of the kernel: CNI DEL (best effort), its processes, its named netns.
 * The record stays with the caller (a sandbox-gone pod keeps it on purpose).
 */
export async function teardownPod(pod: LabPod, o: {cni: LabOptions['cni']; ipv6: boolean; builtWith: LabState['builtWith']; cniDel: boolean; node: LabNode}): Promise<void> {
	if (o.cniDel && o.builtWith === 'cni-plugin' && pod.netnsPath !== null && pod.sandboxId !== '' && pod.kind !== 'host-network') {
		await cniDel({cni: o.cni, ipv6: o.ipv6, node: o.node, containerId: pod.sandboxId, netnsPath: pod.netnsPath});
	}

	await killProcesses(podPids(pod).filter(isLabProcess));
	if (pod.netnsName !== null) await ip(['netns', 'delete', pod.netnsName]);
}
