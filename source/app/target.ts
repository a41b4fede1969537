// Which cluster and which node, and how to reach that node. Node choice, in order: --node; the
// node that is this host (same name, or one of its InternalIPs is ours); the lab's node when the
// kubeconfig points at a running lab's API; otherwise a one-line failure listing the nodes. This
// host stands for a node only when the API shows that node to be this host.
import {hostname, networkInterfaces} from 'node:os';
import type {NodeAccess, Result} from '../core/types.js';
import {loadKubeTarget, type KubeTarget} from '../cluster/kube-target.js';
import {getNode, listNodes, nodeNotFound, type NodeInfo} from '../cluster/nodes.js';
import {runningLabFor} from '../lab/running-lab.js';
import {reachNode} from '../node/node-reach.js';
import {createNodeRegistry, type NodeHandle, type NodeRegistry} from '../node/node-registry.js';
import {reachAgentNode} from '../node/remote/agent-reach.js';
import type {TargetOptions} from './options.js';

/** No access reaches `node` from here: an agent pod could (the TUI offers A). */
export interface Unreachable {
	ok: false;
	reason: string;
	hint: string;
	unreachableNode: string;
}

export interface Target {
	kube: KubeTarget;
	node: string;
	/** The chosen node, open in the registry. */
	shell: NodeHandle;
	access: NodeAccess;
	nodes: NodeInfo[];
	/** Every node this session reaches: the chosen one first, others (a path's far end) on demand. */
	registry: NodeRegistry;
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

/**
 * The registry for one cluster: node names become endpoints through this host, the lab, ssh or a
 * container exec, as the flags and the API allow. A node the API does not show is never this host.
 */
export function createClusterRegistry(kube: KubeTarget, known: () => readonly NodeInfo[], o: TargetOptions): NodeRegistry {
	const host = hostname();
	const localIPs = localAddresses();
	const lab = () => runningLabFor({server: kube.server});
	const agent = (node: string) => reachAgentNode(kube, {node, namespace: o.agentNamespace, image: o.agentImage, profile: o.agentProfile});
	return createNodeRegistry(
		name => {
			const info = known().find(n => n.name === name);
			const thisHost = info !== undefined && isThisHost(info, host, localIPs);
			const viaAgent = o.agent === true || (o.agentNodes ?? []).includes(name);
			return reachNode({name, ip: info?.internalIPs[0] ?? null, thisHost}, {nodeSsh: o.nodeSsh, nodeExec: o.nodeExec, lab, agent: viaAgent ? agent : undefined});
		},
		name => unreachable(name, host),
		{criSocket: o.criSocket},
	);
}

function unreachable(name: string, host: string): {reason: string; hint: string} {
	return {
		reason: `node "${name}" is not this host (${host}) and no kind or minikube container is named like it`,
		hint: `reach it with --node-ssh 'root@{ip}', --node-exec 'docker exec -i {node}' or --agent, or run k8snet-tui on that node`,
	};
}

export async function resolveTarget(o: TargetOptions): Promise<Result<Target> | Unreachable> {
	const loaded = loadKubeTarget({kubeconfig: o.kubeconfig, context: o.context});
	if (!loaded.ok) return loaded;
	const kube = loaded.value;
	const listed = await listNodes(kube);
	const nodes = listed.ok ? listed.value : [];
	const lab = runningLabFor({server: kube.server});
	const host = hostname();
	const localIPs = localAddresses();
	// --node-ssh / --node-exec / --agent: the user said how to reach the node, so this host is not it.
	const remoteWanted = o.nodeSsh !== undefined || o.nodeExec !== undefined || o.agent === true;
	const registry = createClusterRegistry(kube, () => nodes, o);

	const reach = async (name: string): Promise<Result<Target> | Unreachable> => {
		const opened = await registry.open(name);
		if (!opened.ok) {
			await registry.close();
			return opened.reason === unreachable(name, host).reason ? {...opened, unreachableNode: name} : opened;
		}

		const shell = opened.value;
		return {ok: true, value: {kube, node: name, shell, access: shell.access, nodes, registry, warning: shell.warning}};
	};

	if (o.node) {
		if (listed.ok) {
			return nodes.some(n => n.name === o.node) ? reach(o.node) : nodeNotFound(o.node, nodes, kube.server);
		}

		// The list is refused: ask for this one node. A node we cannot see is never taken for this host.
		const got = await getNode(kube, o.node);
		if (got.ok) {
			nodes.push(got.value);
			return reach(o.node);
		}

		if (remoteWanted || lab?.node === o.node) return reach(o.node);
		return {
			ok: false,
			reason: `--node ${o.node}: ${got.reason}`,
			hint: `${got.hint}; or say how to reach the node: --node-ssh 'root@ADDRESS' or --node-exec 'PREFIX'`,
		};
	}

	if (!listed.ok && !lab) return listed;
	const self = remoteWanted ? undefined : nodes.find(n => isThisHost(n, host, localIPs));
	if (self) return reach(self.name);
	if (lab) return reach(lab.node);
	if (remoteWanted && nodes.length === 1) return reach(nodes[0]!.name);
	const names = nodes.map(n => n.name);
	return {
		ok: false,
		reason: `this host (${host}) is none of the cluster's nodes: ${names.length > 10 ? `${names.slice(0, 10).join(', ')}, ... (${names.length})` : names.join(', ') || '(none)'}`,
		hint: 'pick one with --node NAME and run k8snet-tui on that node',
	};
}
