// A node tool whose absence would otherwise look like a pod problem: without nsenter, every netns
// held by a process (Docker-style pods) fails to probe, and the lab's node cannot be entered at
// all. Asked once per session of a node on this host; a remote node's needs are checked when it is
// reached (source/node/remote/node-needs.ts).
import type {NodeEndpoint} from '../node/node-shell.js';
import type {Failure} from '../store/tui-state.js';

export async function missingNsenter(node: NodeEndpoint): Promise<Failure | null> {
	if (!node.sharesProcfs) return null;
	const checked = await node.capabilities();
	if (!checked.ok || checked.value.nsenter) return null;
	// A node namespace of the lab is entered for every command; this host's own only for process-held pods.
	const what = node.nodeNetnsPath?.startsWith('/run/netns/')
		? 'the lab\'s node namespace cannot be entered'
		: 'pods whose network namespace is held by a process cannot be probed';
	return {reason: `'nsenter' is not installed on this host: ${what}`, hint: 'install util-linux (apt-get install util-linux), then press r'};
}
