// How one node is reached, in the order the user expects: this host; the lab's namespace for a lab
// node; --node-ssh; --node-exec or a kind/minikube container named like the node; with --agent, an
// agent pod for every node. The node registry
// is the only caller: everything above it holds endpoints, never an access kind.
import type {Result} from '../core/types.js';
import type {LabState} from '../lab/lab-state.js';
import {readCniConfigs} from './cni-configs.js';
import {connectHere, capabilitiesOf, localCapabilities} from './node-capabilities.js';
import {createLabShell} from './lab-shell.js';
import {createLocalShell} from './local-shell.js';
import type {NodeCapabilities, NodeShell} from './node-shell.js';
import type {Duplex} from 'node:stream';
import {reachRemoteNode, type RemoteReach} from './remote/reach-node.js';

export interface NodeToReach {
	name: string;
	/** Its first InternalIP, for {ip} in --node-ssh / --node-exec templates. */
	ip: string | null;
	/** The API shows this node to be the machine we run on. */
	thisHost: boolean;
}

export interface ReachChoices {
	nodeSsh?: string | undefined;
	nodeExec?: string | undefined;
	/** The running lab whose API the kubeconfig points at, read fresh each time (pods come and go). */
	lab: () => LabState | null;
	/** --agent: every node through an agent pod, whatever else could reach it. */
	agent?: ((node: string) => Promise<Result<RemoteReach & {release(): Promise<void>}>>) | undefined;
}

/** What the registry wraps into a node endpoint. */
export interface ReachedNode {
	shell: NodeShell;
	capabilities(): Promise<Result<NodeCapabilities>>;
	openUnixSocket(path: string): Promise<Result<Duplex>>;
	/** The lab's records play the container runtime for a lab node. */
	labState: (() => LabState | null) | null;
	cniConfigs(): string[];
	/** Something missing that leaves the tool working but reduced (no tcpdump, not root). */
	warning: {reason: string; hint: string} | null;
	/** Resolves once what the access left on the node is gone (an agent pod deleted). */
	close(): void | Promise<void>;
}

/** null: nothing says how to reach this node. */
export async function reachNode(node: NodeToReach, o: ReachChoices): Promise<Result<ReachedNode> | null> {
	if (o.agent) {
		const agent = await o.agent(node.name);
		if (!agent.ok) return agent;
		return {ok: true, value: remoteReached(agent.value, agent.value.release)};
	}

	// --node-ssh / --node-exec win over this host and the lab: the user said how to reach the node.
	const remoteWanted = o.nodeSsh !== undefined || o.nodeExec !== undefined;
	if (!remoteWanted) {
		// Inside the lab's node namespace the lab node is this host: no netns to enter (and, not as root, none we could).
		if (node.thisHost) return {ok: true, value: here(createLocalShell(), null, readCniConfigs)};
		const lab = o.lab();
		const labNode = lab === null ? undefined : (lab.nodes ?? [{name: lab.node, netns: lab.nodeNetns}]).find(n => n.name === node.name);
		if (labNode) return {ok: true, value: here(createLabShell(labNode.netns), o.lab, () => [])};
	}

	const remote = await reachRemoteNode({nodeSsh: o.nodeSsh, nodeExec: o.nodeExec, node: {name: node.name, ip: node.ip}});
	if (remote === null || !remote.ok) return remote;
	return {ok: true, value: remoteReached(remote.value, () => remote.value.shell.close())};
}

function remoteReached({shell, needs, warning}: RemoteReach, close: () => void | Promise<void>): ReachedNode {
	return {
		shell,
		capabilities: async () => ({ok: true, value: capabilitiesOf(needs)}),
		openUnixSocket: path => shell.openUnixSocket(path),
		labState: null,
		cniConfigs: () => [],
		warning,
		close,
	};
}

/** A node whose tools and filesystem are this machine's. */
function here(shell: NodeShell, labState: (() => LabState | null) | null, cniConfigs: () => string[]): ReachedNode {
	return {shell, capabilities: localCapabilities(), openUnixSocket: connectHere, labState, cniConfigs, warning: null, close: () => undefined};
}
