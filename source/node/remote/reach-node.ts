// How target.ts reaches a node that is not this host: --node-ssh, --node-exec, or (neither given)
// a running docker/podman container named like the node and labelled by kind or minikube. Connects
// and checks the node once, so a bad key, a missing tool or a hung node is one line before anything
// else starts.
import type {Result} from '../../core/types.js';
import {createExecShell, detectNodeContainer} from './exec-shell.js';
import {fillNodeArgs, type NodeIdentity} from './node-args.js';
import {describeNeeds, type NodeNeeds} from './node-needs.js';
import type {RemoteShell} from './remote-shell.js';
import {createSshShell} from './ssh-shell.js';

export interface RemoteReachOptions {
	nodeSsh?: string | undefined;
	nodeExec?: string | undefined;
	node: NodeIdentity;
	connectTimeoutMs?: number;
}

export interface RemoteReach {
	shell: RemoteShell;
	needs: NodeNeeds;
	/** Something missing that leaves the tool working but reduced (no tcpdump, not root), as one line. */
	warning: {reason: string; hint: string} | null;
}

/** null: no flag was given and no container is named like the node, so this is not a remote node. */
export async function reachRemoteNode(o: RemoteReachOptions): Promise<Result<RemoteReach> | null> {
	let shell: RemoteShell;
	if (o.nodeSsh !== undefined) {
		const args = fillNodeArgs(o.nodeSsh, o.node, '--node-ssh');
		if (!args.ok) return args;
		shell = createSshShell({args: args.value, connectTimeoutMs: o.connectTimeoutMs});
	} else {
		const args = o.nodeExec === undefined ? await detectNodeContainer(o.node.name) : fillNodeArgs(o.nodeExec, o.node, '--node-exec');
		if (args === null) return null;
		if (!args.ok) return args;
		shell = createExecShell(args.value);
	}

	const ready = await shell.prepare();
	if (!ready.ok) {
		shell.close();
		return ready;
	}

	const problem = describeNeeds(ready.value, shell.via);
	if (problem && ready.value.missing.includes('ip')) {
		shell.close();
		return {ok: false, ...problem};
	}

	return {ok: true, value: {shell, needs: ready.value, warning: problem}};
}
