// `lab pod add|delete NS/NAME` on a live lab: kernel and state change together, and the API daemon,
// which watches the state file, turns the change into watch events.
import type {Result} from '../core/types.js';
import {PodIpAllocator} from './hand-wiring.js';
import {labNodes, nodeOfPod} from './lab-nodes.js';
import {type PodStyle, buildPod, planPod, teardownPod} from './lab-pod.js';
import {findLabProcesses, killProcesses, readArgv} from './lab-process.js';
import {type LabNode, type LabPod, type LabState, readLabState, writeLabState} from './lab-state.js';
import {trafficTitle} from './lab-traffic.js';

function liveLab(): Result<LabState> {
	const state = readLabState();
	if (state === null || state.phase !== 'up') return {ok: false, reason: 'no lab is up', hint: 'start one with `k8snet-tui lab up`'};
	// Its pods belong to its containerd, and change through the CRI alone.
	if (state.containerd) return {ok: false, reason: 'lab pod add/delete does not change a --runtime containerd lab', hint: 'lab down, then lab up --runtime containerd --pods N'};
	return {ok: true, value: state};
}

function nextStyle(state: LabState): PodStyle {
	if (state.options.sandbox !== 'mixed') return state.options.sandbox;
	const wired = state.pods.filter((p) => p.kind === 'normal');
	const inNetns = wired.filter((p) => p.netnsName !== null).length;
	return inNetns <= wired.length - inNetns ? 'netns' : 'process';
}

export async function addLabPod(namespace: string, name: string): Promise<Result<LabPod>> {
	const live = liveLab();
	if (!live.ok) return live;
	const state = live.value;
	if (state.pods.some((p) => p.namespace === namespace && p.name === name)) {
		return {ok: false, reason: `pod ${namespace}/${name} already exists in the lab`, hint: 'pick another name, or delete it first'};
	}

	const node = labNodes(state)[0] as LabNode;
	const pod = planPod(namespace, name, 'normal', false, node.name);
	const save = () => writeLabState(state);
	const ctx = {options: state.options, builtWith: state.builtWith, node, allocator: new PodIpAllocator(state.pods), save};
	state.pods.push(pod);
	save();
	const built = await buildPod(pod, nextStyle(state), ctx);
	if (!built.ok) {
		// Leave nothing half-made behind: the kernel side goes, and so does the record.
		await teardownPod(pod, {cni: state.options.cni, ipv6: state.options.ipv6, builtWith: state.builtWith, cniDel: true, node});
		state.pods = state.pods.filter((p) => p !== pod);
		save();
		return built;
	}

	return {ok: true, value: pod};
}

export async function deleteLabPod(namespace: string, name: string): Promise<Result<LabPod>> {
	const live = liveLab();
	if (!live.ok) return live;
	const state = live.value;
	const pod = state.pods.find((p) => p.namespace === namespace && p.name === name);
	if (!pod) return {ok: false, reason: `no pod ${namespace}/${name} in the lab`, hint: 'see `k8snet-tui lab status`'};

	// A pinger running inside the pod's netns would keep that netns alive: it goes first.
	const pinger = trafficTitle(pod);
	const pingers = findLabProcesses().filter((pid) => readArgv(pid)?.[0] === pinger);
	await killProcesses(pingers);
	state.trafficPids = state.trafficPids.filter((pid) => !pingers.includes(pid));
	await teardownPod(pod, {cni: state.options.cni, ipv6: state.options.ipv6, builtWith: state.builtWith, cniDel: true, node: nodeOfPod(state, pod)});
	state.pods = state.pods.filter((p) => p !== pod);
	writeLabState(state);
	return {ok: true, value: pod};
}
