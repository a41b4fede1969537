// Lab faults as plans: each is one kernel change in one node (or one pod) and the change that undoes
// it exactly, as argv-free lines for `ip -batch`, `bridge -batch` and `nft -f`. Pure: the caller
// resolves the facts that need the kernel (a pod's host veth, its eth0 MTU) and runs the steps.
// The VXLAN and route faults take their entries from overlay-plan.ts, the same text `lab up` used.
import ipaddr from 'ipaddr.js';
import type {Result} from '../core/types.js';
import {labNodes} from './lab-nodes.js';
import {isDnsLabel} from '../core/k8s-names.js';
import type {FaultKind, FaultStep, LabFault, LabNode, LabPod, LabState} from './lab-state.js';
import {peerEntries} from './overlay-plan.js';
import {isServiceFault, planServiceFault} from './services/service-faults.js';


/** The lab's own nft table for `drop`, apart from kube-proxy's and any policy agent's. */
export const FAULT_TABLE = 'k8snet-lab-faults';

/** What the caller looked up in the kernel for the faults that need it. */
export interface FaultFacts {
	hostVeth?: string;
	podMtu?: number;
}

/** What a fault needs looked up before it can be planned. */
export function factsNeeded(kind: FaultKind): Array<keyof FaultFacts> {
	if (kind === 'veth-down' || kind === 'hairpin-off') return ['hostVeth'];
	if (kind === 'mtu') return ['podMtu'];
	return [];
}

const USAGE: Record<FaultKind, string> = {
	'veth-down': 'veth-down NS/POD',
	'fdb-missing': 'fdb-missing NODE PEER',
	'neigh-missing': 'neigh-missing NODE PEER',
	'route-missing': 'route-missing NODE CIDR',
	blackhole: 'blackhole NODE CIDR',
	mtu: 'mtu NS/POD N',
	drop: 'drop NODE NS/POD',
	'stale-rules': 'stale-rules NS/SVC',
	'no-endpoints': 'no-endpoints NS/SVC',
	'hairpin-off': 'hairpin-off NS/POD',
};

export const FAULT_KINDS = Object.keys(USAGE) as FaultKind[];

export function isFaultKind(s: string | undefined): s is FaultKind {
	return (FAULT_KINDS as readonly string[]).includes(s ?? '');
}

/**
 * What a fault changes, as a key: two faults on one object (a route missing and blackholed, two MTUs
 * on one eth0) would make each other's undo wrong, so a second one on the same key is refused.
 */
export function faultKey(kind: FaultKind, args: string[]): string {
	const object = kind === 'route-missing' || kind === 'blackhole' ? 'route' : isServiceFault(kind) ? 'service-rules' : kind;
	return [object, ...args.slice(0, kind === 'mtu' ? 1 : 2)].join(' ');
}

function fail(reason: string, hint: string): {ok: false; reason: string; hint: string} {
	return {ok: false, reason, hint};
}

function findNode(state: LabState, name: string | undefined): Result<LabNode> {
	const node = labNodes(state).find((n) => n.name === name);
	return node ? {ok: true, value: node} : fail(`no lab node '${name ?? ''}'`, `nodes: ${labNodes(state).map((n) => n.name).join(', ')}`);
}

/** A wired pod (NS/NAME) with a valid IPv4 in the kernel. */
export function findPod(state: LabState, ref: string | undefined): Result<LabPod> {
	const [ns, name, extra] = (ref ?? '').split('/');
	const pod = extra === undefined ? state.pods.find((p) => p.namespace === ns && p.name === name) : undefined;
	if (!pod || !isDnsLabel(ns ?? '') || !isDnsLabel(name ?? '')) return fail(`no lab pod '${ref ?? ''}'`, 'NS/NAME of a pod in `k8snet-tui lab status`');
	const ip = pod.kernelIps?.[0];
	if (pod.kind !== 'normal' || pod.netnsPath === null || ip === undefined || !ipaddr.IPv4.isValidFourPartDecimal(ip)) {
		return fail(`pod ${ref} is not a wired pod of its own netns`, 'pick a normal pod (kind "normal" in `lab status`)');
	}

	return {ok: true, value: pod};
}

function vxlanPeer(state: LabState, nodeArg: string | undefined, peerArg: string | undefined): Result<{node: LabNode; peer: LabNode}> {
	const node = findNode(state, nodeArg);
	if (!node.ok) return node;
	const peer = findNode(state, peerArg);
	if (!peer.ok) return peer;
	if (peer.value.name === node.value.name) return fail('a node holds no overlay entries for itself', 'PEER must be another node');
	if (!peer.value.vtep) return fail('this fault removes a VXLAN entry, and the lab has no VXLAN overlay', 'k8snet-tui lab up --nodes 2 --overlay vxlan');
	return {ok: true, value: {node: node.value, peer: peer.value}};
}

function cidrArg(arg: string | undefined): Result<string> {
	try {
		const [addr, len] = ipaddr.IPv4.parseCIDR(arg ?? '');
		const network = ipaddr.IPv4.networkAddressFromCIDR(arg ?? '');
		if (network.toString() !== addr.toString()) return fail(`'${arg}' has host bits set`, `did you mean ${network.toString()}/${len}?`);
		return {ok: true, value: `${addr.toString()}/${len}`};
	} catch {
		return fail(`'${arg ?? ''}' is not an IPv4 CIDR`, 'e.g. 10.244.1.0/24');
	}
}

const ip = (netns: string, lines: string[]): FaultStep => ({tool: 'ip', target: {netns}, lines});

/** The plan for `lab fault add KIND ARGS`, or why not (one line, with a hint). */
export function planFault(state: LabState, kind: FaultKind, args: string[], facts: FaultFacts): Result<LabFault> {
	const id = [kind, ...args].join(' ');
	const wrongArity = fail(`lab fault ${kind} takes ${USAGE[kind].split(' ').length - 1} arguments`, `usage: k8snet-tui lab fault add ${USAGE[kind]}`);
	if (args.length !== USAGE[kind].split(' ').length - 1) return wrongArity;
	const [a, b] = args;
	const base = {id, kind, args};

	switch (kind) {
		case 'veth-down': {
			const pod = findPod(state, a);
			if (!pod.ok) return pod;
			const node = findNode(state, pod.value.node ?? state.node);
			if (!node.ok) return node;
			const veth = facts.hostVeth;
			if (veth === undefined) return fail(`pod ${a}: its host veth was not found in ${node.value.netns}`, 'see `k8snet-tui dump` for the pod');
			return {ok: true, value: {...base, node: node.value.name, change: `link ${veth} (host end of ${a}) set down in ${node.value.netns}`, apply: [ip(node.value.netns, [`link set ${veth} down`])], restore: [ip(node.value.netns, [`link set ${veth} up`])]}};
		}

		case 'fdb-missing': {
			const r = vxlanPeer(state, a, b);
			if (!r.ok) return r;
			const fdb = peerEntries('vxlan', r.value.peer).fdb as string;
			const key = fdb.replace(/ permanent$/, '');
			return {ok: true, value: {...base, node: r.value.node.name, change: `fdb entry ${key} removed in ${r.value.node.netns}`, apply: [{tool: 'bridge', target: {netns: r.value.node.netns}, lines: [`fdb del ${key}`]}], restore: [{tool: 'bridge', target: {netns: r.value.node.netns}, lines: [`fdb append ${fdb}`]}]}};
		}

		case 'neigh-missing': {
			const r = vxlanPeer(state, a, b);
			if (!r.ok) return r;
			const neigh = peerEntries('vxlan', r.value.peer).neigh as string;
			const [vtepIP, , , , dev] = neigh.split(' ');
			return {ok: true, value: {...base, node: r.value.node.name, change: `neighbour ${neigh} removed in ${r.value.node.netns}`, apply: [ip(r.value.node.netns, [`neigh del ${vtepIP} dev ${dev}`])], restore: [ip(r.value.node.netns, [`neigh replace ${neigh}`])]}};
		}

		case 'route-missing':
		case 'blackhole': {
			const node = findNode(state, a);
			if (!node.ok) return node;
			const cidr = cidrArg(b);
			if (!cidr.ok) return cidr;
			const peer = labNodes(state).find((n) => n.podCIDR === cidr.value && n.name !== node.value.name);
			const route = peer ? peerEntries(state.options.overlay ?? 'none', peer).route : null;
			const ns = node.value.netns;
			if (kind === 'route-missing') {
				if (route === null) return fail(`${cidr.value} is not another node's podCIDR, so ${node.value.name} has no overlay route to it`, `podCIDRs: ${labNodes(state).map((n) => `${n.name} ${n.podCIDR}`).join(', ')}`);
				return {ok: true, value: {...base, node: node.value.name, change: `route ${route} removed in ${ns}`, apply: [ip(ns, [`route del ${route}`])], restore: [ip(ns, [`route add ${route}`])]}};
			}

			// Over a peer's route the blackhole replaces it, and clear puts that route back; elsewhere it is added and deleted.
			const apply = route ? [`route replace blackhole ${cidr.value}`] : [`route add blackhole ${cidr.value}`];
			const restore = route ? [`route replace ${route}`] : [`route del blackhole ${cidr.value}`];
			return {ok: true, value: {...base, node: node.value.name, change: `blackhole route ${cidr.value} in ${ns}${route ? ` (replacing ${route})` : ''}`, apply: [ip(ns, apply)], restore: [ip(ns, restore)]}};
		}

		case 'mtu': {
			const pod = findPod(state, a);
			if (!pod.ok) return pod;
			const node = findNode(state, pod.value.node ?? state.node);
			if (!node.ok) return node;
			const overlayMtu = node.value.podMtu ?? 1500;
			const n = Number(b);
			if (!Number.isInteger(n) || n <= overlayMtu || n > 65_535) return fail(`mtu must be a whole number above the overlay's ${overlayMtu} (and at most 65535)`, `got '${b ?? ''}'`);
			if (facts.podMtu === undefined) return fail(`pod ${a}: its eth0 MTU could not be read`, 'is the pod still running? see `k8snet-tui lab status`');
			const target = {netnsPath: pod.value.netnsPath as string};
			return {ok: true, value: {...base, node: node.value.name, change: `eth0 of ${a} set to mtu ${n} (was ${facts.podMtu}; overlay ${overlayMtu})`, apply: [{tool: 'ip', target, lines: [`link set eth0 mtu ${n}`]}], restore: [{tool: 'ip', target, lines: [`link set eth0 mtu ${facts.podMtu}`]}]}};
		}

		case 'stale-rules':
		case 'no-endpoints':
			return planServiceFault(state, kind, a as string);

		case 'hairpin-off': {
			const pod = findPod(state, a);
			if (!pod.ok) return pod;
			if (state.options.cni !== 'bridge') return fail('hairpin is a bridge port\'s flag, and --cni ptp has no bridge', 'k8snet-tui lab up --cni bridge');
			const node = findNode(state, pod.value.node ?? state.node);
			if (!node.ok) return node;
			const veth = facts.hostVeth;
			if (veth === undefined) return fail(`pod ${a}: its host veth was not found in ${node.value.netns}`, 'see `k8snet-tui dump` for the pod');
			const step = (mode: string): FaultStep => ({tool: 'bridge', target: {netns: node.value.netns}, lines: [`link set dev ${veth} hairpin ${mode}`]});
			return {ok: true, value: {...base, node: node.value.name, change: `hairpin off on bridge port ${veth} (host end of ${a}) in ${node.value.netns}: its own Service's answers cannot come back through it`, apply: [step('off')], restore: [step('on')]}};
		}

		case 'drop': {
			const node = findNode(state, a);
			if (!node.ok) return node;
			const pod = findPod(state, b);
			if (!pod.ok) return pod;
			const podIP = pod.value.kernelIps?.[0] as string;
			// A base chain of its own per fault, so clear removes exactly this fault's rules.
			const chain = `drop-${pod.value.namespace}-${pod.value.name}`;
			const nft = (lines: string[]): FaultStep => ({tool: 'nft', target: {netns: node.value.netns}, lines});
			return {
				ok: true,
				value: {
					...base,
					node: node.value.name,
					change: `nft table inet ${FAULT_TABLE}, chain ${chain} in ${node.value.netns}: forwarded traffic from and to ${podIP} dropped`,
					apply: [
						nft([
							`add table inet ${FAULT_TABLE}`,
							`add chain inet ${FAULT_TABLE} ${chain} { type filter hook forward priority -10; policy accept; }`,
							`add rule inet ${FAULT_TABLE} ${chain} ip saddr ${podIP} counter drop`,
							`add rule inet ${FAULT_TABLE} ${chain} ip daddr ${podIP} counter drop`,
						]),
					],
					restore: [nft([`flush chain inet ${FAULT_TABLE} ${chain}`, `delete chain inet ${FAULT_TABLE} ${chain}`])],
				},
			};
		}
	}
}
