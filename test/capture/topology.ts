// A throwaway two-pod bridge network for the capture tests and bench, built with the real CNI
// bridge plugin: a node netns (k8snet-cap-node) holding the bridge and the host veth peers, two pod
// netns, and an uplink veth to a "world" netns that pod-to-pod traffic must never cross.
// Every name carries the k8snet-cap prefix; destroy() removes all of it and is safe to call twice.
import {execFileSync} from 'node:child_process';
import {mkdirSync, rmSync} from 'node:fs';
import type {PodPath} from '../../source/core/types.js';

export const NODE_NETNS = 'k8snet-cap-node';
const WORLD_NETNS = 'k8snet-cap-world';
export const BRIDGE = 'k8snet-cap-br';
export const UPLINK = 'k8snet-cap-up';
const WORLD_END = 'k8snet-cap-wup';
const NODE_UPLINK_IP = '198.51.100.101';
const SUBNET = '10.244.200.0/24';

export interface TopologyPod {
	name: string;
	netns: string;
	netnsPath: string;
	ip: string;
	peer: string;
}

export interface Topology {
	/** Prefix for this run's netns names, e.g. k8snet-cap-a. */
	pods: TopologyPod[];
	nodeNetnsPath: string;
	paths: PodPath[];
	destroy(): void;
}

function sh(argv: string[], input?: string): string {
	const [cmd, ...args] = argv;
	return execFileSync(cmd!, args, {encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe']});
}

function quiet(argv: string[]): void {
	try {
		sh(argv);
	} catch {
		// cleanup of something that may not exist
	}
}

export function destroyTopology(podNames = ['a', 'b']): void {
	for (const p of podNames) quiet(['ip', 'netns', 'del', `k8snet-cap-${p}`]);
	quiet(['ip', 'netns', 'del', NODE_NETNS]);
	quiet(['ip', 'netns', 'del', WORLD_NETNS]);
	rmSync('/tmp/k8snet-cap-ipam', {recursive: true, force: true});
}

function inNode(argv: string[]): string {
	return sh(['ip', 'netns', 'exec', NODE_NETNS, ...argv]);
}

export function createTopology(podNames = ['a', 'b']): Topology {
	destroyTopology(podNames);
	sh(['ip', 'netns', 'add', NODE_NETNS]);
	sh(['ip', 'netns', 'add', WORLD_NETNS]);
	inNode(['ip', 'link', 'set', 'lo', 'up']);
	inNode(['ip', 'link', 'add', UPLINK, 'type', 'veth', 'peer', 'name', WORLD_END, 'netns', WORLD_NETNS]);
	inNode(['ip', 'addr', 'add', `${NODE_UPLINK_IP}/24`, 'dev', UPLINK]);
	inNode(['ip', 'link', 'set', UPLINK, 'up']);
	sh(['ip', 'netns', 'exec', WORLD_NETNS, 'ip', 'addr', 'add', '198.51.100.1/24', 'dev', WORLD_END]);
	sh(['ip', 'netns', 'exec', WORLD_NETNS, 'ip', 'link', 'set', WORLD_END, 'up']);
	mkdirSync('/tmp/k8snet-cap-ipam', {recursive: true});
	const conf = JSON.stringify({
		cniVersion: '0.4.0',
		name: 'k8snet-cap',
		type: 'bridge',
		bridge: BRIDGE,
		isDefaultGateway: true,
		hairpinMode: true,
		ipam: {type: 'host-local', subnet: SUBNET, dataDir: '/tmp/k8snet-cap-ipam'},
	});
	const pods: TopologyPod[] = [];
	for (const p of podNames) {
		const netns = `k8snet-cap-${p}`;
		sh(['ip', 'netns', 'add', netns]);
		const out = sh(
			[
				'ip', 'netns', 'exec', NODE_NETNS, 'env',
				'CNI_COMMAND=ADD', `CNI_CONTAINERID=k8snet-cap-${p}`, `CNI_NETNS=/run/netns/${netns}`,
				'CNI_IFNAME=eth0', 'CNI_PATH=/usr/lib/cni', '/usr/lib/cni/bridge',
			],
			conf,
		);
		const result = JSON.parse(out) as {
			interfaces: Array<{name: string; sandbox?: string}>;
			ips: Array<{address: string}>;
		};
		const ip = result.ips[0]!.address.split('/')[0]!;
		const peer = result.interfaces.find(i => i.name.startsWith('veth') && !i.sandbox)!.name;
		pods.push({name: `pod-${p}`, netns, netnsPath: `/run/netns/${netns}`, ip, peer});
	}

	const paths: PodPath[] = pods.map(p => ({
		namespace: 'capture-test',
		name: p.name,
		uid: `uid-${p.name}`,
		node: 'k8snet-cap-node',
		ip: p.ip,
		ips: [p.ip],
		hostNetwork: false,
		status: 'resolved',
		netns: {inode: 0, path: p.netnsPath, pid: null},
		eth0: {ifname: 'eth0', ifindex: 2, linkIndex: null, mac: null, mtu: 1500, addresses: [p.ip]},
		peer: {ifname: p.peer, ifindex: 0, mac: null, kind: 'veth', master: BRIDGE},
		bridge: {ifname: BRIDGE, addresses: ['10.244.200.1'], ports: pods.map(q => q.peer)},
		routes: [],
		evidence: [],
		heuristic: false,
	}));
	return {
		pods,
		nodeNetnsPath: `/run/netns/${NODE_NETNS}`,
		paths,
		destroy: () => destroyTopology(podNames),
	};
}

/** A bounded ping from one test pod to another (never to any address outside the topology). */
export function pingBetween(from: TopologyPod, to: TopologyPod, count = 3): string {
	return sh(['ip', 'netns', 'exec', from.netns, 'ping', '-c', String(count), '-i', '0.2', '-W', '1', to.ip]);
}
