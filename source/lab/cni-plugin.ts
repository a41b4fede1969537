// Running the real CNI plugins (Debian's containernetworking-plugins) the way a kubelet's runtime
// does: the plugin runs inside the node netns, gets the pod's netns as CNI_NETNS, reads the network
// config on stdin and prints its result as JSON. The config is minikube's `--cni=bridge` one, with
// an IPAM dataDir of the lab's own; on a multi-node lab, each node's config is the one flannel's CNI
// plugin hands the bridge plugin: the node's podCIDR on `cni0`, with the overlay's MTU.
import {existsSync} from 'node:fs';
import type {Result} from '../core/types.js';
import {POD_CIDR, POD_CIDR6, netnsPath} from './lab-node.js';
import type {LabCni, LabNode} from './lab-state.js';
import {describeFailure, runCommand} from './run-command.js';

export const DEFAULT_CNI_PATH = '/usr/lib/cni';

/** Where the plugins live; K8SNET_LAB_CNI_PATH overrides it (tests point it at an empty folder). */
export function cniPath(): string {
	return process.env['K8SNET_LAB_CNI_PATH'] ?? DEFAULT_CNI_PATH;
}

export function cniPluginsInstalled(cni: LabCni, dir = cniPath()): boolean {
	return existsSync(`${dir}/${cni}`) && existsSync(`${dir}/host-local`);
}

export function cniConfig(cni: LabCni, ipv6: boolean, node: LabNode): Record<string, unknown> {
	const ranges = [[{subnet: node.podCIDR}], ...(ipv6 ? [[{subnet: POD_CIDR6}]] : [])];
	const ipam = {type: 'host-local', ranges, dataDir: node.ipamDir};
	const common = {cniVersion: '1.0.0', name: 'k8snet-lab', ...(node.podMtu === undefined ? {} : {mtu: node.podMtu})};
	// ptp routes a pod only to its own subnet; when that is one node's slice of the cluster, the pod
	// also needs a default route, as kindnet's ptp config gives it.
	const ptpRoutes = node.podCIDR === POD_CIDR ? {} : {routes: [{dst: '0.0.0.0/0'}]};
	if (cni === 'ptp') return {...common, type: 'ptp', ipMasq: false, ipam: {...ipam, ...ptpRoutes}};
	return {...common, type: 'bridge', bridge: node.bridge, isDefaultGateway: true, hairpinMode: true, ipam};
}

interface CniCall {
	cni: LabCni;
	ipv6: boolean;
	/** The node whose netns the plugin runs in and whose podCIDR it hands out. */
	node: LabNode;
	containerId: string;
	netnsPath: string;
}

async function callPlugin(command: 'ADD' | 'DEL', c: CniCall): Promise<Result<string>> {
	const dir = cniPath();
	const argv = ['nsenter', `--net=${netnsPath(c.node.netns)}`, '--', `${dir}/${c.cni}`];
	const env = {
		PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
		CNI_COMMAND: command,
		CNI_CONTAINERID: c.containerId,
		CNI_NETNS: c.netnsPath,
		CNI_IFNAME: 'eth0',
		CNI_PATH: dir,
	};
	const r = await runCommand(argv, {input: JSON.stringify(cniConfig(c.cni, c.ipv6, c.node)), env, timeoutMs: 20_000});
	if (!r.ok) {
		// A plugin reports errors as JSON on stdout: {"code":..,"msg":..,"details":..}.
		return {ok: false, reason: `CNI ${command} (${c.cni}) failed: ${describeFailure(argv, r)}`, hint: `config ${JSON.stringify(cniConfig(c.cni, c.ipv6, c.node))}`};
	}

	return {ok: true, value: r.stdout};
}

/**
 * CNI ADD; returns the pod's IPs (without prefix length) and the host end of its veth (the
 * result's interface that is neither in the sandbox nor the bridge) from the plugin's result.
 */
export async function cniAdd(c: CniCall): Promise<Result<{ips: string[]; hostVeth: string | null}>> {
	const r = await callPlugin('ADD', c);
	if (!r.ok) return r;
	try {
		const result = JSON.parse(r.value) as {ips?: Array<{address: string}>; interfaces?: Array<{name: string; sandbox?: string}>};
		const ips = (result.ips ?? []).map((a) => a.address.split('/')[0] as string);
		if (ips.length === 0) return {ok: false, reason: 'CNI ADD returned no IPs', hint: r.value};
		const hostVeth = (result.interfaces ?? []).find((i) => (i.sandbox ?? '') === '' && i.name !== c.node.bridge)?.name ?? null;
		return {ok: true, value: {ips, hostVeth}};
	} catch {
		return {ok: false, reason: 'CNI ADD printed something that is not JSON', hint: r.value.slice(0, 200)};
	}
}

export async function cniDel(c: CniCall): Promise<Result<void>> {
	const r = await callPlugin('DEL', c);
	return r.ok ? {ok: true, value: undefined} : r;
}
