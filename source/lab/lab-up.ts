// `lab up`: the node and world namespaces, the pods (by the real CNI plugin when installed), the
// odd pods, the API daemons and the optional traffic, recording each step in the state file first
// so `lab down` can always clean up. It refuses names that exist but are not its own.
import {existsSync, mkdirSync} from 'node:fs';
import {cniPath} from './cni-plugin.js';
import type {Result} from '../core/types.js';
import {cniPluginsInstalled} from './cni-plugin.js';
import {PodIpAllocator} from './hand-wiring.js';
import {buildContainerdLab, containerdOptionsProblem} from './containerd/containerd-lab.js';
import {startApiForwarder, startApiServer} from './lab-api-daemons.js';
import {NODE_IP, WORLD_IP, createBridgeByHand, createNodeAndWorld, listLabNetns, netnsPath} from './lab-node.js';
import {ethtoolProblem, offloadsOff} from './veth-offloads.js';
import {planLabNodes} from './lab-nodes.js';
import {sameLabOptions} from './lab-options.js';
import {type PodBuildContext, type PodStyle, buildPod, planPod, teardownPod} from './lab-pod.js';
import {
	LAB_DIR,
	LAB_IPAM_DIR,
	LAB_NODE_NAME,
	LAB_NODE_NETNS,
	LAB_WORLD_NETNS,
	type LabNode,
	type LabOptions,
	type LabPod,
	type LabState,
	readLabState,
	writeLabState,
} from './lab-state.js';
import {startTraffic} from './lab-traffic.js';
import {startPolicyAgent} from './policy/agent-start.js';
import {startServices} from './services/services-up.js';
import {createUnderlay} from './lab-underlay.js';
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

/**
 * The pods `lab up` makes: `--pods` per node, nginx-1.. spread over the namespaces and dealt to the
 * nodes in turn (as a scheduler spreads a Deployment), then the odd ones, on node 1.
 */
export function planLabPods(options: LabOptions, nodeNames: string[] = [LAB_NODE_NAME]): LabPod[] {
	const ns = (i: number) => options.namespaces[i % options.namespaces.length] as string;
	const node = (i: number) => nodeNames[i % nodeNames.length] as string;
	const pods = Array.from({length: options.pods * nodeNames.length}, (_, i) => planPod(ns(i), `nginx-${i + 1}`, 'normal', i % 2 === 1, node(i)));
	if (options.oddPods) {
		const first = node(0);
		pods.push(
			planPod(ns(0), 'odd-hostnet', 'host-network', false, first),
			planPod(ns(1), 'odd-pending', 'pending', false, first),
			planPod(ns(0), 'odd-sandbox-gone', 'sandbox-gone', false, first),
			planPod(ns(1), 'odd-bad-ip', 'invalid-ip', false, first),
		);
	}

	return pods;
}

/** Not-an-IP as the API will report it; it must reach no shell and no BPF filter. */
export const INVALID_POD_IP = '10.244.0.999;touch /tmp/pwned';

/** Builds the lab. When `signal` aborts (Ctrl-C), it stops between steps and says so. */
export async function buildLab(options: LabOptions, signal?: AbortSignal): Promise<Result<LabState>> {
	const interrupted = {ok: false as const, reason: 'interrupted', hint: 'nothing half-built is kept unless --debug'};
	const noEthtool = ethtoolProblem();
	if (noEthtool !== null) return {ok: false, ...noEthtool};
	const builtWith: LabState['builtWith'] = cniPluginsInstalled(options.cni) ? 'cni-plugin' : 'iproute2';
	const nodes = planLabNodes(options);
	const multi = nodes.length > 1;
	if (options.runtime === 'containerd') {
		const problem = containerdOptionsProblem(options);
		if (!problem.ok) return problem;
		if (builtWith !== 'cni-plugin') return {ok: false, reason: `--runtime containerd needs the CNI ${options.cni}, host-local and loopback plugins, and ${cniPath()} lacks them`, hint: 'apt-get install containernetworking-plugins'};
	}

	if (multi && builtWith !== 'cni-plugin') {
		return {ok: false, reason: `--nodes ${nodes.length} needs the CNI ${options.cni} and host-local plugins, and ${cniPath()} lacks them`, hint: 'apt-get install containernetworking-plugins, or use --nodes 1'};
	}

	mkdirSync(LAB_IPAM_DIR, {recursive: true, mode: 0o755});
	for (const n of nodes) mkdirSync(n.ipamDir, {recursive: true, mode: 0o755});
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
		nodes,
	};
	const save = () => writeLabState(state);
	save();

	const kernel = multi ? await createUnderlay(nodes, options.overlay ?? 'vxlan') : await createNodeAndWorld(options);
	if (!kernel.ok) return kernel;
	if (multi) {
		const uplinks = await Promise.all(nodes.map((n) => offloadsOff(netnsPath(n.netns), 'eth0')));
		const failedUplink = uplinks.find((r) => !r.ok);
		if (failedUplink && !failedUplink.ok) return failedUplink;
	}

	if (builtWith === 'iproute2' && options.cni === 'bridge') {
		const bridge = await createBridgeByHand(options);
		if (!bridge.ok) return bridge;
	}

	const allocator = new PodIpAllocator([]);
	const contexts = new Map(nodes.map((n): [string, PodBuildContext] => [n.name, {options, builtWith, node: n, allocator, save}]));
	const planned = planLabPods(options, nodes.map((n) => n.name));
	state.pods = planned;
	save();
	const viaCri = options.runtime === 'containerd' ? await buildContainerdLab(state, nodes[0] as LabNode, planned, options, save) : null;
	if (viaCri && !viaCri.ok) return viaCri;
	const build = async (pod: LabPod, i: number): Promise<Result<void>> =>
		signal?.aborted ? interrupted : buildPod(pod, styleOf(options, i), contexts.get(pod.node ?? LAB_NODE_NAME) as PodBuildContext);
	const indexed = planned.map((pod, i) => ({pod, i}));
	// Each node's first pod creates that node's bridge: alone on its node, to avoid racing on it.
	const firsts = nodes.map((n) => indexed.find((x) => x.pod.node === n.name)).filter((x) => x !== undefined);
	const rest = indexed.filter((x) => !firsts.includes(x));
	const results = viaCri ? [] : [...(await Promise.all(firsts.map((x) => build(x.pod, x.i)))), ...(await mapLimit(rest, BUILD_CONCURRENCY, (x) => build(x.pod, x.i)))];
	const failed = results.find((r) => !r.ok);
	if (failed && !failed.ok) return failed;

	for (const pod of planned) {
		if (pod.kind === 'sandbox-gone') {
			// Wired, then the runtime lost it: the API still shows the pod with its IP, and the record
			// keeps the netns path that is gone now; exited processes have no pid, as in a runtime.
			await teardownPod(pod, {cni: options.cni, ipv6: options.ipv6, builtWith, cniDel: false, node: (contexts.get(pod.node ?? LAB_NODE_NAME) as PodBuildContext).node});
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

	const services = await startServices(state, save);
	if (!services.ok) return services;
	if (options.policy === 'enforce') {
		const agent = await startPolicyAgent((pid) => {
			state.policyAgentPid = pid;
			state.daemonPids.push(pid);
			save();
		});
		if (!agent.ok) return agent;
	}

	if (options.traffic) state.trafficPids = startTraffic(state.pods);
	state.phase = 'up';
	save();
	return {ok: true, value: state};
}
