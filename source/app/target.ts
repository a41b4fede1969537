// Which cluster and which node, and how to reach that node. Node choice, in order: --node; the
// node that is this host (same name, or one of its InternalIPs is ours); the lab's node when the
// kubeconfig points at a running lab's API; otherwise a one-line failure listing the nodes.
import {hostname, networkInterfaces} from 'node:os';
import type {NodeAccess, Result} from '../core/types.js';
import {loadKubeTarget, type KubeTarget} from '../cluster/kube-target.js';
import {listNodes, nodeNotFound, type NodeInfo} from '../cluster/nodes.js';
import {readLabState, type LabState} from '../lab/lab-state.js';
import {createLabShell} from '../node/lab-shell.js';
import {createLocalShell} from '../node/local-shell.js';
import type {NodeShell} from '../node/node-shell.js';
import type {TargetOptions} from './options.js';

export interface Target {
	kube: KubeTarget;
	node: string;
	shell: NodeShell;
	access: NodeAccess;
	nodes: NodeInfo[];
}

/** Pure: is this NodeInfo the machine (or network namespace) we run in? */
export function isThisHost(node: NodeInfo, host: string, localIPs: ReadonlySet<string>): boolean {
	const short = (name: string) => name.split('.')[0]!.toLowerCase();
	if (short(node.name) === short(host) || (node.hostname !== null && short(node.hostname) === short(host))) return true;
	return node.internalIPs.some(ip => localIPs.has(ip));
}

function localAddresses(): Set<string> {
	const ips = new Set<string>();
	for (const list of Object.values(networkInterfaces())) {
		for (const address of list ?? []) if (!address.internal) ips.add(address.address);
	}

	return ips;
}

function labFor(kube: KubeTarget): LabState | null {
	const lab = readLabState();
	return lab !== null && lab.apiServer !== '' && lab.apiServer === kube.server ? lab : null;
}

export async function resolveTarget(o: TargetOptions): Promise<Result<Target>> {
	const loaded = loadKubeTarget({kubeconfig: o.kubeconfig, context: o.context});
	if (!loaded.ok) return loaded;
	const kube = loaded.value;
	const listed = await listNodes(kube);
	const nodes = listed.ok ? listed.value : [];
	const lab = labFor(kube);
	const host = hostname();
	const local = localAddresses();

	const reach = (name: string): Result<Target> => {
		const info = nodes.find(n => n.name === name);
		// Inside the lab's node namespace the lab node is this host: no netns to enter (and, not as root, none we could).
		if (info !== undefined && isThisHost(info, host, local)) {
			const shell = createLocalShell();
			return {ok: true, value: {kube, node: name, shell, access: shell.access, nodes}};
		}

		if (lab && name === lab.node) {
			const shell = createLabShell(lab.nodeNetns);
			return {ok: true, value: {kube, node: name, shell, access: shell.access, nodes}};
		}

		if (info === undefined) {
			const shell = createLocalShell();
			return {ok: true, value: {kube, node: name, shell, access: shell.access, nodes}};
		}

		return {
			ok: false,
			reason: `node "${name}" is not this host (${host}) and reaching another node over ssh or docker exec is not available yet`,
			hint: 'run k8snet-tui on that node itself',
		};
	};

	if (o.node) {
		if (listed.ok && !nodes.some(n => n.name === o.node)) return nodeNotFound(o.node, nodes, kube.server);
		return reach(o.node);
	}

	if (!listed.ok && !lab) return listed;
	const self = nodes.find(n => isThisHost(n, host, local));
	if (self) return reach(self.name);
	if (lab) return reach(lab.node);
	const names = nodes.map(n => n.name);
	return {
		ok: false,
		reason: `this host (${host}) is none of the cluster's nodes: ${names.length > 10 ? `${names.slice(0, 10).join(', ')}, ... (${names.length})` : names.join(', ') || '(none)'}`,
		hint: 'pick one with --node NAME and run k8snet-tui on that node',
	};
}
