// Types shared across layers: the cluster side produces PodRef/PodInfo, the node side produces
// NodeNetSnapshot/NetnsProbe, the pure join turns both into PodPath. Everything here is plain data
// (JSON-serialisable) so `dump --json`, the store and the tests can all use it as is.

/** What the engine needs to know about a pod, however it was obtained. */
export interface PodRef {
	namespace: string;
	name: string;
	uid: string;
	/** spec.nodeName; null while unscheduled. */
	nodeName: string | null;
	hostNetwork: boolean;
	/** status.podIPs (or podIP) exactly as the API gave them: not yet validated. */
	ips: string[];
	/**
	 * status.phase. A Succeeded or Failed pod keeps its podIP in the API after the kernel may have
	 * handed that IP to a new pod, so the join must know it finished.
	 */
	phase: string;
}

export type ContainerKind = 'init' | 'regular' | 'ephemeral';

/** spec.containers[].ports[]: what a NetworkPolicy's named ports resolve against. */
export interface ContainerPort {
	name: string | null;
	containerPort: number;
	/** TCP when the spec leaves it out. */
	protocol: string;
}

export interface ContainerInfo {
	name: string;
	kind: ContainerKind;
	image: string;
	/** running | waiting | terminated | unknown */
	state: string;
	/** waiting/terminated reason, if any (CrashLoopBackOff, Completed, ...). */
	reason: string | null;
	ready: boolean;
	restarts: number;
	/** `runtime://id` as the API reports it, or null before the container exists. */
	containerID: string | null;
	ports: ContainerPort[];
}

/** The cluster's view of a pod, as the UI shows it. */
export interface PodInfo extends PodRef {
	ready: boolean;
	restarts: number;
	hostIP: string | null;
	startTime: string | null;
	conditions: Array<{type: string; status: string}>;
	labels: Record<string, string>;
	containers: ContainerInfo[];
	resourceVersion: string;
}

// ---- node side -------------------------------------------------------------------------------

export interface Address {
	family: 'inet' | 'inet6';
	local: string;
	prefixlen: number;
	scope: string;
}

export interface LinkStats {
	rxBytes: number;
	txBytes: number;
	rxPackets: number;
	txPackets: number;
	rxDropped: number;
	txDropped: number;
}

export interface Link {
	ifindex: number;
	ifname: string;
	/** linkinfo.info_kind: veth, bridge, vxlan, ... ; null for physical/unknown. */
	kind: string | null;
	/** For a veth: the peer's ifindex, in the namespace named by linkNetnsid. */
	linkIndex: number | null;
	linkNetnsid: number | null;
	master: string | null;
	mac: string | null;
	mtu: number;
	operstate: string;
	flags: string[];
	addresses: Address[];
	stats: LinkStats | null;
	/** Bridge port state (forwarding, blocking, ...) when this link is a bridge port. */
	portState: string | null;
}

export interface Route {
	family: 'inet' | 'inet6';
	dst: string;
	dev: string | null;
	gateway: string | null;
	protocol: string | null;
	scope: string | null;
	table: string | null;
	type: string | null;
}

export interface Neighbour {
	dst: string;
	dev: string;
	lladdr: string | null;
	state: string[];
}

export interface FdbEntry {
	mac: string;
	ifname: string;
	master: string | null;
	state: string | null;
	flags: string[];
}

/** One poll of the node's own network namespace. */
export interface NodeNetSnapshot {
	links: Link[];
	routes: Route[];
	neighbours: Neighbour[];
	fdb: FdbEntry[];
	/**
	 * `ip netns list-id` in the node namespace: which nsid (a veth's link_netnsid) is which /run/netns
	 * name (null: a namespace without a name, e.g. held by a process). Lets the join tell two
	 * namespaces with the same pod IP apart (the lab next to other namespaces on one host).
	 */
	netnsIds?: Array<{nsid: number; name: string | null}>;
	/** Epoch ms. */
	takenAt: number;
}

/** Something that keeps a network namespace alive: a /run/netns bind mount or a process. */
export interface NetnsHolder {
	inode: number;
	/** /run/netns/NAME or /proc/PID/ns/net */
	path: string;
	name: string | null;
	pid: number | null;
	/** /proc/PID/stat start time (clock ticks since boot), to tell a reused pid apart. */
	pidStart: number | null;
}

/** The interfaces seen inside one (non-node) network namespace, probed once and cached. */
export interface NetnsProbe {
	holder: NetnsHolder;
	links: Link[];
	probedAt: number;
}

/** Everything the join needs from the node. */
export interface NodeView {
	snapshot: NodeNetSnapshot;
	namespaces: NetnsProbe[];
	/** False when this process cannot enter namespaces (not root): the join falls back to heuristics. */
	canEnterNetns: boolean;
	/** Why it could not, in plain words (for evidence), when canEnterNetns is false. */
	enterDeniedReason: string | null;
}

// ---- the join ----------------------------------------------------------------------------------

export type PodStatus =
	| 'resolved'
	| 'host-network'
	| 'no-ip'
	| 'not-on-this-node'
	| 'netns-not-found'
	| 'partial'
	| 'invalid-ip'
	/** Succeeded or Failed: joined to nothing, since its IP may be a live pod's by now. */
	| 'completed';

export interface PodPath {
	namespace: string;
	name: string;
	uid: string;
	node: string | null;
	/** The first valid IP, or null. */
	ip: string | null;
	/** All valid IPs. */
	ips: string[];
	hostNetwork: boolean;
	status: PodStatus;
	netns: {inode: number; path: string; pid: number | null} | null;
	eth0: {
		ifname: string;
		ifindex: number;
		linkIndex: number | null;
		mac: string | null;
		mtu: number;
		addresses: string[];
	} | null;
	peer: {
		ifname: string;
		ifindex: number;
		mac: string | null;
		kind: string | null;
		master: string | null;
	} | null;
	bridge: {ifname: string; addresses: string[]; ports: string[]} | null;
	routes: string[];
	evidence: string[];
	heuristic: boolean;
}

export interface CniInfo {
	/** bridge | ptp | calico | cilium | flannel | weave | kube-router | aws-vpc | azure | unknown */
	kind: string;
	summary: string;
	/** Where a capture should run by default: the bridge, the host peer, or inside the pod netns. */
	capturePoint: 'bridge' | 'peer' | 'pod';
	/** Interface name, when capturePoint is 'bridge'. */
	bridge: string | null;
	evidence: string[];
}

/** How the tool reached the node. */
export interface NodeAccess {
	kind: 'local' | 'lab' | 'exec' | 'ssh' | 'agent';
	target: string;
}

/** Errors are values at the boundaries: a pane shows reason and hint. */
export type Result<T> = {ok: true; value: T} | {ok: false; reason: string; hint: string};

/** One container as the node's runtime reports it: `dump --json`'s `containers[]`, and the Containers pane's. */
export interface RuntimeContainer {
	name: string;
	id: string;
	image: string | null;
	imageID: string | null;
	/** running | exited | created | unknown ... as the runtime says, lowercased. */
	state: string;
	reason: string | null;
	exitCode: number | null;
	restarts: number | null;
	/** ISO 8601. */
	startedAt: string | null;
	pid: number | null;
	netnsInode: number | null;
	cgroup: string | null;
	/** containerd | cri-o | docker | lab | cri (crictl, runtime not named) */
	runtime: string;
}

/** A pod's sandbox as the container runtime (CRI, docker / crictl, the lab's records) reports it. */
export interface RuntimeSandbox {
	podUid: string;
	namespace: string;
	name: string;
	sandboxId: string;
	/** The pause process holding the netns; null when the sandbox is not running. */
	pid: number | null;
	/** ready | notready (CRI's words; docker's and the lab's sandboxes are said the same way). */
	state: string;
	/** The netns file the runtime names (/run/netns/cni-...), else the pause process's. */
	netnsPath: string | null;
	netnsInode: number | null;
	containers: RuntimeContainer[];
}

export interface RuntimeInfo {
	/** cri (a CRI socket) | crictl | docker | lab | none */
	kind: string;
	sandboxes: RuntimeSandbox[];
	/** e.g. "no container runtime CLI on this node: containers come from the API alone" */
	note: string | null;
}
