// A node view holding only the namespaces of the pods a path joins: the runtime names each pod's
// sandbox netns by inode, discovery finds what holds that inode, and only those are probed, with
// the node's own snapshot beside them. On a node of 110 pods this is two namespaces probed, not
// every one. Null when the runtime does not say (no sandbox inode): the caller polls the whole node.
import type {NodeView, Result, RuntimeSandbox} from '../core/types.js';
import {preferredHolder} from '../node/netns-cache.js';
import {createNetnsDiscovery} from '../node/netns-discovery.js';
import {probeNamespaces} from '../node/netns-probe.js';
import type {NodeShell} from '../node/node-shell.js';
import {readNodeSnapshot} from '../node/node-snapshot.js';

export async function podsView(shell: NodeShell, sandboxes: readonly RuntimeSandbox[], uids: readonly string[]): Promise<{view: Result<NodeView>; processes: number} | null> {
	const inodes = uids.map(uid => sandboxes.find(s => s.podUid === uid)?.netnsInode ?? null);
	if (inodes.some(inode => inode === null)) return null;
	// Not root on this host: the full poller knows how to fall back to the routes.
	if (shell.access.kind === 'local' && process.geteuid?.() !== 0) return null;
	const discovery = createNetnsDiscovery(shell);
	const [found, snapshot] = await Promise.all([discovery.discover(), readNodeSnapshot(shell, {netnsIds: true})]);
	if (!snapshot.ok) return {view: snapshot, processes: found.processes + 1};
	const holders = inodes.flatMap(inode => {
		const list = found.byInode.get(inode!);
		return list && list.length > 0 ? [preferredHolder(list)] : [];
	});
	const {outcomes, processes} = await probeNamespaces(shell, holders.map(h => ({path: h.path, inode: h.inode})), {loops: 1});
	const probedAt = Date.now();
	const namespaces = holders.flatMap(holder => {
		const outcome = outcomes.get(holder.path);
		return outcome?.ok ? [{holder, links: outcome.links, probedAt}] : [];
	});
	return {view: {ok: true, value: {snapshot: snapshot.value, namespaces, canEnterNetns: true, enterDeniedReason: null}}, processes: found.processes + 1 + processes};
}
