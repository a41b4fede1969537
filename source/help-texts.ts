// The help of each command, with examples. cli.ts prints the one that `--help` asks for and does
// nothing else: no API call, no lab, no node shell.

const CLUSTER_FLAGS = `
  Cluster flags (as kubectl)
    --kubeconfig PATH      kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
    --context NAME         kubeconfig context
    -n, --namespace NS     only pods of this namespace (default: every namespace on the node)
    -A, --all-namespaces   every namespace (the default)
    -l, --selector SEL     label selector, as kubectl -l`;

const NODE_FLAGS = `
  Node flags
    --node NAME            the node to inspect (default: this host, or the lab's node)
    --all-nodes            list the pods of every other node too (status not-on-this-node)
    --node-ssh 'ARGS'      reach the node over ssh, e.g. 'root@{ip}' ({node}, {ip} are filled in)
    --node-exec 'ARGV'     reach the node through a command prefix, e.g. 'docker exec -i {node}'
                           (a local kind or minikube container named like the node needs neither)
    --agent                reach the node through an agent pod (hostNetwork, hostPID, privileged)
                           and the API's exec: only a kubeconfig is needed; the pod is deleted at exit
    --agent-namespace NS   where the agent pod runs (default default); it must allow privileged pods
    --agent-image IMAGE    the agent's image (default nicolaka/netshoot:v0.16, pinned by digest)
    --agent-profile netadmin
                           NET_ADMIN, NET_RAW, SYS_ADMIN, SYS_PTRACE instead of privileged`;

const LAB_UP_FLAGS = `
  Lab flags
    --pods N               pods per lab node (default 4, at most 1000)
    --nodes N              lab nodes, 1-5 (default 1), joined by an underlay switch
    --overlay vxlan|routed with --nodes 2+: flannel's VXLAN backend (flannel.1, VNI 1, port 8472),
                           or routes to each podCIDR via its node (as Calico BGP, kindnet)
    --namespaces a,b       their namespaces (default default,lab)
    --sandbox netns|process|mixed
                           how each pod's netns is held: a name under /run/netns, a process, or both
    --cni bridge|ptp       bridge (as minikube --cni=bridge) or routed /32s (as kindnet, Calico)
    --ipv6                 dual-stack pods
    --odd-pods             add a hostNetwork, a pending, a sandbox-gone and an invalid-IP pod
    --fake-nodes M --fake-pods N
                           API-only nodes and pods elsewhere, for --all-nodes and scale
    --traffic              pods ping each other, so a capture has something to show`;

const tui = `
  Usage
    $ k8snet-tui [flags]                 open the TUI on this node
    $ k8snet-tui dump [POD] [--json]     resolve once, print, exit (POD is NAME or NS/NAME)
    $ k8snet-tui lab                     bring the lab up, open the TUI on it, take it down on quit
    $ k8snet-tui lab up|down|status [--json]
    $ k8snet-tui lab pod add|delete NS/NAME

  Each command has its own help: k8snet-tui dump --help, k8snet-tui lab up --help, ...
${CLUSTER_FLAGS}
${NODE_FLAGS}

  Output
    --json                 dump/lab status: JSON instead of a table
    --debug                stack traces on errors
    --version, --help

  Examples
    $ k8snet-tui                                     the node this host is
    $ k8snet-tui -n web --node worker-2 --node-ssh '-i ~/.ssh/key root@{ip}'
    $ k8snet-tui --context kind-kind --node kind-control-plane
`;

const dump = `
  Usage
    $ k8snet-tui dump [POD] [--json] [flags]

  Resolves every pod of the node once (pod → netns → eth0 → host veth → bridge or /32 route),
  prints one row per pod (or a JSON document with the evidence of each hop) and exits.
  POD is NAME or NAMESPACE/NAME: only that pod. Exit 0 when it ran (an unresolved pod is a row,
  not a failure), 1 with one line when it cannot run or POD does not exist.

  Flags
    --json                 JSON instead of a table
    --debug                stack traces on errors
${CLUSTER_FLAGS}
${NODE_FLAGS}

  Examples
    $ k8snet-tui dump
    $ k8snet-tui dump kube-system/coredns-5d78c9869d-abcde --json
    $ k8snet-tui dump -n web --all-nodes
    $ k8snet-tui dump --node worker-2 --node-ssh 'root@{ip}' --json > worker-2.json
`;

const lab = `
  Usage
    $ k8snet-tui lab [lab flags]         bring the lab up, open the TUI on it, take it down on quit
    $ k8snet-tui lab up [lab flags]      build the lab and leave it running
    $ k8snet-tui lab down                remove everything the lab made
    $ k8snet-tui lab status [--json]     what the lab has
    $ k8snet-tui lab pod add|delete NS/NAME
    $ k8snet-tui lab fault add|clear KIND ARGS, lab fault clear --all, lab fault list [--json]

  The lab is a real pod network on this host, in network namespaces of its own (k8snet-lab-*),
  wired by the CNI plugins minikube uses, with a Kubernetes API server for it. Bare lab always
  adds --traffic, and quitting the TUI takes the lab down. It needs root.
  Each subcommand has its own help: k8snet-tui lab up --help, ...
${LAB_UP_FLAGS}

  Examples
    $ sudo k8snet-tui lab
    $ sudo k8snet-tui lab --pods 20 --cni ptp --traffic
`;

const labUp = `
  Usage
    $ k8snet-tui lab up [lab flags]

  Builds the lab and leaves it running: a node namespace k8snet-lab-node with the pods wired by the
  CNI bridge or ptp plugin (iproute2 when the plugins are missing), and an API server for it. Prints
  the API address and a kubectl line to try. When the lab is already up with the same flags it
  says so and changes nothing; with other flags, run lab down first. Needs root.
${LAB_UP_FLAGS}

  Examples
    $ sudo k8snet-tui lab up
    $ sudo k8snet-tui lab up --pods 110 --sandbox mixed --ipv6 --odd-pods
    $ sudo k8snet-tui lab up --fake-nodes 20 --fake-pods 10000
    $ sudo k8snet-tui lab up --nodes 3 --overlay vxlan --traffic
    $ sudo k8snet-tui lab up --nodes 3 --overlay routed --cni ptp
`;

const labDown = `
  Usage
    $ k8snet-tui lab down

  Removes everything the lab made: its namespaces, veths, processes, API server and state. It is
  idempotent, and also cleans up after a crash. Needs root.

  Example
    $ sudo k8snet-tui lab down
`;

const labStatus = `
  Usage
    $ k8snet-tui lab status [--json]

  What the lab has: whether it is up, its kubeconfig and API server, its node, and each pod with
  what the kernel says about it. Changes nothing.

  Flags
    --json                 JSON instead of text

  Examples
    $ k8snet-tui lab status
    $ k8snet-tui lab status --json
`;

const labPod = `
  Usage
    $ k8snet-tui lab pod add NS/NAME
    $ k8snet-tui lab pod delete NS/NAME

  Adds a pod to the running lab (a netns wired by the lab's CNI, and the Pod object in its API), or
  deletes one, kernel and API together: a TUI on the lab sees the change at once. Needs root.

  Examples
    $ sudo k8snet-tui lab pod add default/web-9
    $ sudo k8snet-tui lab pod delete default/web-9
`;

const labFault = `
  Usage
    $ k8snet-tui lab fault add KIND ARGS
    $ k8snet-tui lab fault clear KIND ARGS
    $ k8snet-tui lab fault clear --all
    $ k8snet-tui lab fault list [--json]

  Breaks the lab's path on purpose, one real kernel change in one node, and restores it exactly.
  One fault per kernel object at a time. Needs root.

  Faults
    veth-down NS/POD         the pod's host veth set down
    fdb-missing NODE PEER    the VXLAN fdb entry for PEER's VTEP MAC removed
    neigh-missing NODE PEER  the permanent neighbour entry for PEER's VTEP removed
    route-missing NODE CIDR  the route to PEER's podCIDR removed
    blackhole NODE CIDR      a blackhole route
    mtu NS/POD N             the pod's eth0 MTU set above the overlay's
    drop NODE NS/POD         an nft rule (table inet k8snet-lab-faults) drops the pod's forwarded traffic

  Examples
    $ sudo k8snet-tui lab up --nodes 2 --overlay vxlan
    $ sudo k8snet-tui lab fault add fdb-missing k8snet-lab k8snet-lab-m02
    $ sudo k8snet-tui lab fault list
    $ sudo k8snet-tui lab fault clear --all
`;

/** The help for the command words given (before any other argument), or null for a command we lack. */
export function helpFor(words: readonly string[]): string | null {
	const [first, second] = words;
	if (first === undefined) return tui;
	if (first === 'dump') return dump;
	if (first !== 'lab') return null;
	switch (second) {
		case undefined:
			return lab;
		case 'up':
			return labUp;
		case 'down':
			return labDown;
		case 'status':
			return labStatus;
		case 'pod':
			return labPod;
		case 'fault':
			return labFault;
		default:
			return null;
	}
}
