// The lab's record of what it built. `lab up` writes it (atomically, as it goes, so `lab down` can
// clean a half-built lab); the lab API daemon serves its pods from it and reloads it on change;
// the engine uses it to find the lab node and, in the lab, as the container runtime's records.
import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export const LAB_PREFIX = 'k8snet-lab';
export const LAB_DIR = `/run/${LAB_PREFIX}`;
export const LAB_STATE_FILE = join(LAB_DIR, 'state.json');
export const LAB_NODE_NAME = LAB_PREFIX;
export const LAB_NODE_NETNS = `${LAB_PREFIX}-node`;
export const LAB_WORLD_NETNS = `${LAB_PREFIX}-world`;
/** host-local IPAM's dataDir: the lab's own, so it never meets a real node's allocations. */
export const LAB_IPAM_DIR = join(LAB_DIR, 'ipam');
/** Written by the API daemon once it listens: {pid, port, apiServer, kubeconfig, socket}. */
export const LAB_API_JSON = join(LAB_DIR, 'api.json');

export type LabSandboxStyle = 'netns' | 'process' | 'mixed';
export type LabCni = 'bridge' | 'ptp';
/** How pods on different nodes reach each other: none (one node), flannel's VXLAN, or plain routes. */
export type LabOverlay = 'none' | 'vxlan' | 'routed';

/** flannel's VXLAN lease of a node: the one record its peers derive their route, neigh and fdb from. */
export interface LabVtep {
	device: 'flannel.1';
	vni: 1;
	port: 8472;
	mac: string;
	mtu: number;
}

/** One lab node: a netns with an eth0 on the underlay and a podCIDR of its own. */
export interface LabNode {
	name: string;
	netns: string;
	/** InternalIP, on eth0. */
	ip: string;
	podCIDR: string;
	/** The pods' gateway on this node (the bridge's or each ptp veth's address). */
	gateway: string;
	/** The bridge the CNI bridge plugin makes: `bridge` on a one-node lab (minikube's), `cni0` on more. */
	bridge: string;
	/** The MTU the CNI gives the pods' eth0 (the overlay's, as flannel's subnet.env makes it); absent: the plugin's default. */
	podMtu?: number;
	/** host-local IPAM's dataDir for this node's podCIDR. */
	ipamDir: string;
	/** Present in vxlan mode only. */
	vtep?: LabVtep;
}

export interface LabOptions {
	pods: number;
	namespaces: string[];
	sandbox: LabSandboxStyle;
	cni: LabCni;
	ipv6: boolean;
	oddPods: boolean;
	fakeNodes: number;
	fakePods: number;
	traffic: boolean;
	/** 1–5; absent in state files from before multi-node (read as 1). */
	nodes?: number;
	overlay?: LabOverlay;
	/** How each node programs Services, as kube-proxy would; absent means none (no Service rules). */
	proxy?: LabProxyMode;
	/** `--runtime containerd`: pods made by a real containerd's CRI; absent: by the lab's own processes. */
	runtime?: 'containerd';
	/** Whether the lab's policy agent enforces NetworkPolicy; absent: none, as minikube's bridge CNI. */
	policy?: LabPolicyMode;
}

export type LabProxyMode = 'none' | 'iptables' | 'nftables';

export type LabPolicyMode = 'none' | 'enforce';

export type FaultKind = 'veth-down' | 'fdb-missing' | 'neigh-missing' | 'route-missing' | 'blackhole' | 'mtu' | 'drop' | 'stale-rules' | 'no-endpoints' | 'hairpin-off';

/** Where a step runs: a node netns by name, or a pod's netns by path. */
export type StepTarget = {netns: string} | {netnsPath: string};
export interface FaultStep {
	tool: 'ip' | 'bridge' | 'nft';
	target: StepTarget;
	lines: string[];
}

/** A fault `lab fault add` set (source/lab/fault-plan.ts plans it), with the steps that undo it. */
export interface LabFault {
	/** `KIND ARGS...`, as typed: the fault's identity for `clear` and `list`. */
	id: string;
	kind: FaultKind;
	args: string[];
	node: string;
	/** What changed, in words naming the kernel object (for `list` and the evidence). */
	change: string;
	apply: FaultStep[];
	restore: FaultStep[];
	/** stale-rules: the endpoint IPs the Service's rules keep while the fault is set, as kube-proxy that stopped syncing. */
	staleEndpoints?: string[];
}

/** What a lab pod is, for the odd pods the API must show differently. */
export type LabPodKind = 'normal' | 'host-network' | 'pending' | 'sandbox-gone' | 'invalid-ip';

export interface LabPod {
	namespace: string;
	name: string;
	uid: string;
	kind: LabPodKind;
	/** As the API reports it; for 'invalid-ip' a string that is not an IP. */
	ip: string | null;
	ips: string[];
	/** /run/netns/NAME (netns style) or /proc/<sandbox pid>/ns/net (process style); null if none. */
	netnsPath: string | null;
	netnsName: string | null;
	sandboxPid: number | null;
	sandboxId: string;
	containers: Array<{name: string; id: string; pid: number | null; image: string}>;
	createdAt: string;
	/** The IPs the kernel gave the pod's eth0; differs from `ips` only for 'invalid-ip' pods. */
	kernelIps?: string[];
	/** The node (LabNode.name) it runs on; absent in older state files, meaning `LabState.node`. */
	node?: string;
}

export interface LabState {
	version: 1;
	/** 'building' until `lab up` finished; 'up' after. */
	phase: 'building' | 'up';
	options: LabOptions;
	/** Node 1, the one the product's single-node code inspects. */
	node: string;
	nodeNetns: string;
	worldNetns: string;
	/** The node's InternalIP, on its uplink (a veth to the lab's world namespace). */
	nodeIP: string;
	worldIP: string;
	/** 'cni-plugin' when /usr/lib/cni built it, 'iproute2' otherwise. */
	builtWith: 'cni-plugin' | 'iproute2';
	kubeconfig: string;
	apiServer: string;
	/** Unix socket of the API daemon, for admin requests (fault modes) that TCP clients never see. */
	apiSocket: string;
	daemonPids: number[];
	trafficPids: number[];
	/** The answer daemons, one per node (source/lab/services/answer-daemon.ts); absent in older state files. */
	answerPids?: number[];
	pods: LabPod[];
	/** Every node, node 1 first; absent in state files from before multi-node. */
	nodes?: LabNode[];
	/** `lab fault add` faults in force, oldest first, each with the steps that undo it. */
	faults?: LabFault[];
	/** `lab svc add` Services, in the order they were added. */
	services?: LabService[];
	/** `--runtime containerd`: the lab's own containerd, whose CRI made the pods. */
	containerd?: LabContainerd;
	/** The policy agent's pid with `--policy enforce` (also in daemonPids, so `lab down` ends it). */
	policyAgentPid?: number;
}

export interface LabServicePort {
	name: string;
	port: number;
	targetPort: number;
	protocol: 'TCP' | 'UDP';
	nodePort?: number;
}

/** A Service of the lab: the API serves it and its EndpointSlice, and `--proxy` programs it on every node. */
export interface LabService {
	namespace: string;
	name: string;
	uid: string;
	/** From 10.96.0.0/12, as kube-apiserver's default service-cluster-ip-range. */
	clusterIP: string;
	type: 'ClusterIP' | 'NodePort';
	ports: LabServicePort[];
	selector: Record<string, string>;
	createdAt: string;
}

/** The lab's containerd: every path is its own, under LAB_DIR, so the host's containerd is never touched. */
export interface LabContainerd {
	pid: number | null;
	socket: string;
	root: string;
	state: string;
	config: string;
}

export function readLabState(file = LAB_STATE_FILE): LabState | null {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as LabState;
	} catch {
		return null;
	}
}

/** Atomic (write + rename), so the API daemon watching the file never reads half of it. */
export function writeLabState(state: LabState, file = LAB_STATE_FILE): void {
	const tmp = `${file}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(state, null, '\t') + '\n', {mode: 0o644});
	renameSync(tmp, file);
}
