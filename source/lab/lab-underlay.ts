// The multi-node lab's kernel side below the pods: an underlay switch (a bridge in a netns of its
// own), each node netns with an eth0 on it, the lab's world namespace on it as the nodes' gateway,
// and the overlay between the nodes. All of it inside lab namespaces, in private and documentation
// ranges: nothing is routed to the host.
import type {Result} from '../core/types.js';
import {UPLINK_PREFIX, WORLD_IP, ip, ipBatch, makeRouter, netnsPath} from './lab-node.js';
import {overlayLines} from './overlay-plan.js';
import {LAB_PREFIX, LAB_WORLD_NETNS, type LabNode, type LabOverlay} from './lab-state.js';
import {describeFailure, runCommand} from './run-command.js';

export const UNDERLAY_NETNS = `${LAB_PREFIX}-underlay`;
export const UNDERLAY_BRIDGE = 'underlay';

/** Runs `bridge -n NETNS -batch -` (fdb entries have no `ip` command). */
export async function bridgeBatch(netns: string, lines: string[]): Promise<Result<void>> {
	if (lines.length === 0) return {ok: true, value: undefined};
	const argv = ['bridge', '-n', netns, '-batch', '-'];
	const r = await runCommand(argv, {input: lines.join('\n') + '\n'});
	if (!r.ok) return {ok: false, reason: describeFailure(argv, r), hint: lines.join('; ')};
	return {ok: true, value: undefined};
}

async function all(steps: Array<Promise<Result<unknown>>>): Promise<Result<void>> {
	const failed = (await Promise.all(steps)).find((r) => !r.ok);
	return failed && !failed.ok ? failed : {ok: true, value: undefined};
}

/** The switch, the world and every node with its eth0 on the switch; then the overlay in each node. */
export async function createUnderlay(nodes: LabNode[], overlay: LabOverlay): Promise<Result<void>> {
	for (const name of [UNDERLAY_NETNS, LAB_WORLD_NETNS, ...nodes.map((n) => n.netns)]) {
		const r = await ip(['netns', 'add', name]);
		if (!r.ok) return r;
	}

	const sw = await ipBatch(UNDERLAY_NETNS, ['link set lo up', `link add ${UNDERLAY_BRIDGE} type bridge`, `link set ${UNDERLAY_BRIDGE} up`]);
	if (!sw.ok) return sw;
	const world = await ipBatch(LAB_WORLD_NETNS, [
		'link set lo up',
		`link add eth0 type veth peer name world netns ${UNDERLAY_NETNS}`,
		`addr add ${WORLD_IP}/${UPLINK_PREFIX} dev eth0`,
		'link set eth0 up',
		// The world reaches each node's pods the way a LAN reaches a podCIDR: via that node.
		...nodes.map((n) => `route add ${n.podCIDR} via ${n.ip}`),
	]);
	if (!world.ok) return world;
	const answers = await makeRouter(netnsPath(LAB_WORLD_NETNS));
	if (!answers.ok) return answers;

	const wired = await all(
		nodes.map((n, i) =>
			ipBatch(n.netns, [
				'link set lo up',
				`link add eth0 type veth peer name node${i + 1} netns ${UNDERLAY_NETNS}`,
				`addr add ${n.ip}/${UPLINK_PREFIX} dev eth0`,
				'link set eth0 up',
				`route add default via ${WORLD_IP}`,
			]),
		),
	);
	if (!wired.ok) return wired;
	const ports = await ipBatch(UNDERLAY_NETNS, ['world', ...nodes.map((_, i) => `node${i + 1}`)].flatMap((p) => [`link set ${p} master ${UNDERLAY_BRIDGE}`, `link set ${p} up`]));
	if (!ports.ok) return ports;

	return all(nodes.map((n) => programNode(n, nodes, overlay)));
}

async function programNode(node: LabNode, nodes: LabNode[], overlay: LabOverlay): Promise<Result<void>> {
	const fwd = await makeRouter(netnsPath(node.netns));
	if (!fwd.ok) return fwd;
	const lines = overlayLines(overlay, node, nodes);
	if (lines.device.length > 0) {
		const dev = await ipBatch(node.netns, lines.device);
		if (!dev.ok) return dev;
	}

	const fdb = await bridgeBatch(node.netns, lines.fdb);
	if (!fdb.ok) return fdb;
	return ipBatch(node.netns, lines.routes);
}
