// A node tool whose absence would otherwise look like a pod problem: without nsenter, every netns
// held by a process (Docker-style pods) fails to probe, and the lab's node cannot be entered at
// all. Asked once per session of a node on this host; a remote node's needs are checked when it is
// reached (source/node/remote/node-needs.ts).
import type {NodeShell} from '../node/node-shell.js';
import type {Failure} from '../store/tui-state.js';

export async function missingNsenter(shell: NodeShell): Promise<Failure | null> {
	if (!shell.sharesProcfs) return null;
	const probe = await shell.run(['nsenter', '--version'], {timeoutMs: 5000});
	if (probe.failure === null || !/is not installed/.test(probe.failure)) return null;
	const what = shell.access.kind === 'lab'
		? 'the lab\'s node namespace cannot be entered'
		: 'pods whose network namespace is held by a process cannot be probed';
	return {reason: `'nsenter' is not installed on this host: ${what}`, hint: 'install util-linux (apt-get install util-linux), then press r'};
}
