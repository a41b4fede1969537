// `lab down`: remove everything the lab made, whatever state it is in. It trusts the state file
// for what it names, and also sweeps by prefix (processes titled k8snet-lab*, netns k8snet-lab-*),
// so a crashed or half-built lab goes away too. Running it on nothing is a no-op.
import {existsSync, rmSync} from 'node:fs';
import {cniPluginsInstalled} from './cni-plugin.js';
import {downLabContainerd} from './containerd/containerd-down.js';
import {CONTAINERD_DIR} from './containerd/containerd-paths.js';
import {ip, listLabNetns, netnsPath} from './lab-node.js';
import {nodeOfPod} from './lab-nodes.js';
import {teardownPod} from './lab-pod.js';
import {findLabProcesses, isLabProcess, killProcesses} from './lab-process.js';
import {LAB_DIR, readLabState} from './lab-state.js';
import {mapLimit} from './run-command.js';

export interface DownReport {
	pods: number;
	processes: number;
	namespaces: number;
	removedDir: boolean;
}

export async function downLab(): Promise<DownReport> {
	const state = readLabState();
	const report: DownReport = {pods: 0, processes: 0, namespaces: 0, removedDir: false};

	// Before the sweep below: it would end containerd but not its shims, which are not titled ours.
	if (state?.containerd || existsSync(CONTAINERD_DIR)) await downLabContainerd(state);
	if (state) {
		report.pods = state.pods.length;
		const plugins = state.builtWith === 'cni-plugin' && cniPluginsInstalled(state.options.cni);
		// The lab containerd's pods went through its CRI above.
		await mapLimit(state.containerd ? [] : state.pods, 4, (pod) => {
			const node = nodeOfPod(state, pod);
			// CNI DEL needs the pod's node netns (the plugin runs there); skip it when a crash already lost that.
			const cniDel = plugins && existsSync(netnsPath(node.netns));
			return teardownPod(pod, {cni: state.options.cni, ipv6: state.options.ipv6, builtWith: state.builtWith, cniDel, node});
		});
	}

	// Recorded pids are checked against their title first: a pid may have been reused since.
	const recorded = state ? [...state.daemonPids, ...state.trafficPids, ...(state.answerPids ?? [])].filter(isLabProcess) : [];
	const pids = [...new Set([...recorded, ...findLabProcesses()])];
	report.processes = pids.length;
	await killProcesses(pids);

	const names = listLabNetns();
	report.namespaces = names.length;
	for (const name of names) await ip(['netns', 'delete', name]);

	if (existsSync(LAB_DIR)) {
		rmSync(LAB_DIR, {recursive: true, force: true});
		report.removedDir = true;
	}

	return report;
}

export function describeDown(r: DownReport): string {
	if (r.pods === 0 && r.processes === 0 && r.namespaces === 0 && !r.removedDir) return 'lab down: nothing to remove';
	return `lab down: removed ${r.pods} pods, ${r.processes} more processes, ${r.namespaces} namespaces${r.removedDir ? ', /run/k8snet-lab' : ''}`;
}
