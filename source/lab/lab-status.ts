// `lab status`: what the state file says exists, in the JSON shape issue 2 fixes (names kept
// stable for scripts and tests), or as a short table for people.
import {existsSync} from 'node:fs';
import {netnsPath} from './lab-node.js';
import {isLabProcess} from './lab-process.js';
import {labNodes} from './lab-nodes.js';
import type {LabOverlay, LabPod, LabState} from './lab-state.js';

export interface LabStatusPod {
	namespace: string;
	name: string;
	ip: string | null;
	netnsPath: string | null;
	sandboxPid: number | null;
	containerPids: number[];
	uid: string;
	kind: LabPod['kind'];
	ips: string[];
	kernelIps: string[];
	netnsName: string | null;
	sandboxId: string;
	node: string;
}

export interface LabStatusNode {
	name: string;
	netns: string;
	ip: string;
	podCIDR: string;
	overlay: LabOverlay;
	/** flannel.1's MAC in vxlan mode, else null. */
	vtepMac: string | null;
}

export type LabStatus =
	| {up: false; pods: []}
	| {
			up: boolean;
			phase: LabState['phase'];
			node: string;
			nodeNetns: string;
			nodeNetnsPath: string;
			nodeIP: string;
			kubeconfig: string;
			apiServer: string;
			apiSocket: string;
			builtWith: LabState['builtWith'];
			options: LabState['options'];
			daemonPids: number[];
			trafficPids: number[];
			/** What the state records but the kernel no longer has (a netns or process gone by hand). */
			problems: string[];
			nodes: LabStatusNode[];
			pods: LabStatusPod[];
	  };

/** Checks the records against the kernel; the odd pods are expected to lack things. */
export function labProblems(state: LabState): string[] {
	const problems: string[] = [];
	for (const name of [...labNodes(state).map((n) => n.netns), state.worldNetns]) if (!existsSync(netnsPath(name))) problems.push(`netns ${name} is gone`);
	for (const pid of state.daemonPids) if (!isLabProcess(pid)) problems.push(`API daemon ${pid} is not running`);
	for (const p of state.pods) {
		if (p.kind === 'pending' || p.kind === 'sandbox-gone') continue;
		const pids = [p.sandboxPid, ...p.containers.map((c) => c.pid)];
		if (pids.some((pid) => pid === null || !isLabProcess(pid))) problems.push(`pod ${p.namespace}/${p.name}: a process is not running`);
		if (p.netnsName !== null && !existsSync(netnsPath(p.netnsName))) problems.push(`pod ${p.namespace}/${p.name}: netns ${p.netnsName} is gone`);
	}

	return problems;
}

export function labStatus(state: LabState | null, problems: string[] = []): LabStatus {
	if (state === null) return {up: false, pods: []};
	return {
		up: state.phase === 'up',
		phase: state.phase,
		node: state.node,
		nodeNetns: state.nodeNetns,
		nodeNetnsPath: netnsPath(state.nodeNetns),
		nodeIP: state.nodeIP,
		kubeconfig: state.kubeconfig,
		apiServer: state.apiServer,
		apiSocket: state.apiSocket,
		builtWith: state.builtWith,
		options: state.options,
		daemonPids: state.daemonPids,
		trafficPids: state.trafficPids,
		problems,
		nodes: labNodes(state).map((n) => ({name: n.name, netns: n.netns, ip: n.ip, podCIDR: n.podCIDR, overlay: state.options.overlay ?? 'none', vtepMac: n.vtep?.mac ?? null})),
		pods: state.pods.map((p) => ({
			namespace: p.namespace,
			name: p.name,
			ip: p.ip,
			netnsPath: p.netnsPath,
			sandboxPid: p.sandboxPid,
			containerPids: p.containers.map((c) => c.pid).filter((pid): pid is number => pid !== null),
			uid: p.uid,
			kind: p.kind,
			ips: p.ips,
			kernelIps: p.kernelIps ?? [],
			netnsName: p.netnsName,
			sandboxId: p.sandboxId,
			node: p.node ?? state.node,
		})),
	};
}

export function formatLabStatus(s: LabStatus): string {
	if (!('node' in s)) return 'lab: not up (start it with `k8snet-tui lab up`)';
	const o = s.options;
	const lines = [
		`lab: ${s.up ? 'up' : `${s.phase} (unless a \`lab up\` is still running, a crash left it: \`k8snet-tui lab down\` removes it)`} — node ${s.node} (netns ${s.nodeNetns}, ${s.nodeIP}), ${o.cni} via ${s.builtWith}, sandbox ${o.sandbox}${o.ipv6 ? ', dual-stack' : ''}`,
		`api: ${s.apiServer || '-'}   kubeconfig: ${s.kubeconfig || '-'}`,
	];
	for (const problem of s.problems) lines.push(`problem: ${problem} (\`k8snet-tui lab down\` then up again rebuilds it)`);
	const multi = s.nodes.length > 1;
	if (multi) {
		const nodeRows = s.nodes.map((n) => [n.name, n.ip, n.podCIDR, n.overlay, n.netns, n.vtepMac ?? '-']);
		lines.push(...table(['NODE', 'INTERNAL-IP', 'POD-CIDR', 'OVERLAY', 'NETNS', 'VTEP-MAC'], nodeRows), '');
	}

	const rows = s.pods.map((p) => [`${p.namespace}/${p.name}`, p.ip ?? '-', p.kind, ...(multi ? [p.node] : []), p.netnsPath ?? '-', String(p.sandboxPid ?? '-'), p.containerPids.join(',') || '-']);
	lines.push(...table(['POD', 'IP', 'KIND', ...(multi ? ['NODE'] : []), 'NETNS', 'SANDBOX', 'CONTAINERS'], rows));
	return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
	return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd());
}
