// `lab up`: the node and world namespaces, the pods (by the real CNI plugin when installed), the
// odd pods, the API daemons and the optional traffic, recording each step in the state file first
// so `lab down` can always clean up. It refuses names that exist but are not its own.
import {existsSync, mkdirSync} from 'node:fs';
import type {Result} from '../core/types.js';
import {cniPluginsInstalled} from './cni-plugin.js';
import {PodIpAllocator} from './hand-wiring.js';
import {startApiForwarder, startApiServer} from './lab-api-daemons.js';
import {NODE_IP, WORLD_IP, createBridgeByHand, createNodeAndWorld, listLabNetns} from './lab-node.js';
import {sameLabOptions} from './lab-options.js';
import {type PodBuildContext, type PodStyle, buildPod, planPod, teardownPod} from './lab-pod.js';
import {
	LAB_DIR,
	LAB_IPAM_DIR,
	LAB_NODE_NAME,
	LAB_NODE_NETNS,
	LAB_WORLD_NETNS,
	type LabOptions,
	type LabPod,
	type LabState,
	readLabState,
	writeLabState,
} from './lab-state.js';
import {startTraffic} from './lab-traffic.js';
import {mapLimit} from './run-command.js';

/** Pods built at once after the first (which creates the bridge alone, to avoid racing on it). */
const BUILD_CONCURRENCY = 6;

/** Why `lab up` must not build now, or null when the ground is clear. */
export function upBlocker(options: LabOptions): {exitCode: number; message: string; state?: LabState} | null {
	const state = readLabState();
	if (state) {
		if (state.phase !== 'up') return {exitCode: 1, message: 'a lab is being built, or a crash left one half-built: run `k8snet-tui lab down` first'};
		if (sameLabOptions(state.options, options)) return {exitCode: 0, message: 'lab: already up (same options); nothing changed', state};
		return {exitCode: 1, message: 'a lab with other options is up: run `k8snet-tui lab down` first'};
	}

	const foreign = [
		...listLabNetns().map((n) => `netns ${n}`),
		...(existsSync(LAB_DIR) ? [LAB_DIR] : []),
	];
	if (foreign.length > 0) {
		const more = foreign.length > 3 ? ` (and ${foreign.length - 3} more)` : '';
		return {
			exitCode: 1,
			message: `refusing: found ${foreign.slice(0, 3).join(', ')}${more}, which no lab state says is ours; if a crashed lab left it, \`k8snet-tui lab down\` removes it`,
		};
	}

	return null;
}

function styleOf(options: LabOptions, index: number): PodStyle {
	if (options.sandbox === 'mixed') return index % 2 === 0 ? 'netns' : 'process';
	return options.sandbox;
}

/** The pods `lab up` makes: nginx-1..N spread over the namespaces, then the odd ones. */
export function planLabPods(options: LabOptions): LabPod[] {
	const ns = (i: number) => options.namespaces[i % options.namespaces.length] as string;
	const pods = Array.from({length: options.pods}, (_, i) => planPod(ns(i), `nginx-${i + 1}`, 'normal', i % 2 === 1));
	if (options.oddPods) {
		pods.push(
			planPod(ns(0), 'odd-hostnet', 'host-network', false),
			planPod(ns(1), 'odd-pending', 'pending', false),
			planPod(ns(0), 'odd-sandbox-gone', 'sandbox-gone', false),
			planPod(ns(1), 'odd-bad-ip', 'invalid-ip', false),
		);
	}

	return pods;
}

/** Not-an-IP as the API will report it; it must reach no shell and no BPF filter. */
export const INVALID_POD_IP = '10.244.0.999;touch /tmp/pwned';

/** Builds the lab. When `signal` aborts (Ctrl-C), it stops between steps and says so. */
export async function buildLab(options: LabOptions, signal?: AbortSignal): Promise<Result<LabState>> {
	const interrupted = {ok: false as const, reason: 'interrupted', hint: 'nothing half-built is kept unless --debug'};
	const builtWith: LabState['builtWith'] = cniPluginsInstalled(options.cni) ? 'cni-plugin' : 'iproute2';
	mkdirSync(LAB_IPAM_DIR, {recursive: true, mode: 0o755});
	const state: LabState = {
		version: 1,
		phase: 'building',
		options,
		node: LAB_NODE_NAME,
		nodeNetns: LAB_NODE_NETNS,
		worldNetns: LAB_WORLD_NETNS,
		nodeIP: NODE_IP,
		worldIP: WORLD_IP,
		builtWith,
		kubeconfig: '',
		apiServer: '',
		apiSocket: '',
		daemonPids: [],
		trafficPids: [],
		pods: [],
	};
	const save = () => writeLabState(state);
	save();

	const node = await createNodeAndWorld(options);
	if (!node.ok) return node;
	if (builtWith === 'iproute2' && options.cni === 'bridge') {
		const bridge = await createBridgeByHand(options);
		if (!bridge.ok) return bridge;
	}

	const ctx: PodBuildContext = {options, builtWith, nodeIP: NODE_IP, allocator: new PodIpAllocator([]), save};
	const planned = planLabPods(options);
	state.pods = planned;
	save();
	const build = async (pod: LabPod, i: number): Promise<Result<void>> => (signal?.aborted ? interrupted : buildPod(pod, styleOf(options, i), ctx));
	const [first, ...rest] = planned;
	const results = first ? [await build(first, 0), ...(await mapLimit(rest, BUILD_CONCURRENCY, (p, i) => build(p, i + 1)))] : [];
	const failed = results.find((r) => !r.ok);
	if (failed && !failed.ok) return failed;

	for (const pod of planned) {
		if (pod.kind === 'sandbox-gone') {
			// Wired, then the runtime lost it: the API still shows the pod with its IP, and the record
			// keeps the netns path that is gone now; exited processes have no pid, as in a runtime.
			await teardownPod(pod, {cni: options.cni, ipv6: options.ipv6, builtWith, cniDel: false});
			pod.sandboxPid = null;
			for (const c of pod.containers) c.pid = null;
		} else if (pod.kind === 'invalid-ip') {
			pod.ip = INVALID_POD_IP;
			pod.ips = [INVALID_POD_IP];
		}
	}

	save();
	if (signal?.aborted) return interrupted;

	const api = await startApiServer((pid) => {
		state.daemonPids.push(pid);
		save();
	});
	if (!api.ok) return api;
	state.kubeconfig = api.value.kubeconfig;
	state.apiServer = api.value.apiServer;
	state.apiSocket = api.value.socket;
	save();
	const fwd = await startApiForwarder(api.value, (pid) => {
		state.daemonPids.push(pid);
		save();
	});
	if (!fwd.ok) return fwd;

	if (options.traffic) state.trafficPids = startTraffic(state.pods);
	state.phase = 'up';
	save();
	return {ok: true, value: state};
}
