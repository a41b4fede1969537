// Which cluster and which node, and how to reach that node. Node choice, in order: --node; the
// node that is this host (same name, or one of its InternalIPs is ours); the lab's node when the
// kubeconfig points at a running lab's API; otherwise a one-line failure listing the nodes. This
// host stands for a node only when the API shows that node to be this host.
import {hostname, networkInterfaces} from 'node:os';
import type {NodeAccess, Result} from '../core/types.js';
import {loadKubeTarget, type KubeTarget} from '../cluster/kube-target.js';
import {getNode, listNodes, nodeNotFound, type NodeInfo} from '../cluster/nodes.js';
import type {LabState} from '../lab/lab-state.js';
import {runningLabFor} from '../lab/running-lab.js';
import {createLabShell} from '../node/lab-shell.js';
import {createLocalShell} from '../node/local-shell.js';
import type {NodeShell} from '../node/node-shell.js';
import {reachAgentNode} from '../node/remote/agent-reach.js';
import {reachRemoteNode} from '../node/remote/reach-node.js';
import type {TargetOptions} from './options.js';

export interface Target {
	kube: KubeTarget;
	node: string;
	shell: NodeShell;
	access: NodeAccess;
	nodes: NodeInfo[];
	/** Something the node lacks that leaves the tool working but reduced (no tcpdump, not root). */
	warning: {reason: string; hint: string} | null;
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
	return runningLabFor({server: kube.server});
}

export async function resolveTarget(o: TargetOptions): Promise<Result<Target>> {
	const loaded = loadKubeTarget({kubeconfig: o.kubeconfig, context: o.context});
	if (!loaded.ok) return loaded;
	const kube = loaded.value;
	const listed = await listNodes(kube);
	const nodes = listed.ok ? listed.value : [];
	const lab = labFor(kube);
	const host = hostname();
	const localIPs = localAddresses();

	// --node-ssh / --node-exec win over this host and the lab: the user said how to reach the node.
	const remoteWanted = o.nodeSsh !== undefined || o.nodeExec !== undefined || o.agent === true;
	const local = (name: string, shell: NodeShell): Result<Target> => ({ok: true, value: {kube, node: name, shell, access: shell.access, nodes, warning: null}});

	const reach = async (name: string, info: NodeInfo | undefined): Promise<Result<Target>> => {
		// --agent: every node through an agent pod, whatever else could reach it.
		if (o.agent) {
			const agent = await reachAgentNode(kube, {node: name, namespace: o.agentNamespace, image: o.agentImage, profile: o.agentProfile});
			if (!agent.ok) return agent;
			return {ok: true, value: {kube, node: name, shell: agent.value.shell, access: agent.value.shell.access, nodes, warning: agent.value.warning}};
		}

		// Inside the lab's node namespace the lab node is this host: no netns to enter (and, not as root, none we could).
		if (!remoteWanted && info !== undefined && isThisHost(info, host, localIPs)) return local(name, createLocalShell());
		if (!remoteWanted && lab && name === lab.node) return local(name, createLabShell(lab.nodeNetns));

		const remote = await reachRemoteNode({nodeSsh: o.nodeSsh, nodeExec: o.nodeExec, node: {name, ip: info?.internalIPs[0] ?? null}});
		if (remote === null) {
			return {
				ok: false,
				reason: `node "${name}" is not this host (${host}) and no kind or minikube container is named like it`,
				hint: `reach it with --node-ssh 'root@{ip}' or --node-exec 'docker exec -i {node}', or run k8snet-tui on that node`,
			};
		}

		if (!remote.ok) return remote;
		const {shell, warning} = remote.value;
		return {ok: true, value: {kube, node: name, shell, access: shell.access, nodes, warning}};
	};

	if (o.node) {
		if (listed.ok) {
			const info = nodes.find(n => n.name === o.node);
			return info === undefined ? nodeNotFound(o.node, nodes, kube.server) : reach(o.node, info);
		}

		// The list is refused: ask for this one node. A node we cannot see is never taken for this host.
		const got = await getNode(kube, o.node);
		if (got.ok) return reach(o.node, got.value);
		if (remoteWanted || lab?.node === o.node) return reach(o.node, undefined);
		return {
			ok: false,
			reason: `--node ${o.node}: ${got.reason}`,
			hint: `${got.hint}; or say how to reach the node: --node-ssh 'root@ADDRESS' or --node-exec 'PREFIX'`,
		};
	}

	if (!listed.ok && !lab) return listed;
	const self = remoteWanted ? undefined : nodes.find(n => isThisHost(n, host, localIPs));
	if (self) return reach(self.name, self);
	if (lab) return reach(lab.node, nodes.find(n => n.name === lab.node));
	if (remoteWanted && nodes.length === 1) return reach(nodes[0]!.name, nodes[0]);
	const names = nodes.map(n => n.name);
	return {
		ok: false,
		reason: `this host (${host}) is none of the cluster's nodes: ${names.length > 10 ? `${names.slice(0, 10).join(', ')}, ... (${names.length})` : names.join(', ') || '(none)'}`,
		hint: 'pick one with --node NAME and run k8snet-tui on that node',
	};
}
