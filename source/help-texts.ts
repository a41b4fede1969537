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
    --cri-socket PATH      the node's CRI socket (default: the first of /run/containerd/containerd.sock,
                           /run/k3s/containerd/containerd.sock, /var/run/crio/crio.sock)

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
    --traffic              pods ping each other, so a capture has something to show
    --proxy iptables|nftables|none
                           program each node's Services as kube-proxy does (default none)
    --runtime containerd   pods made by a real containerd of the lab's own, through its CRI, as kubelet
                           does (one node, --sandbox netns; needs containerd and runc)`;

const tui = `
  Usage
    $ k8snet-tui [flags]                 open the TUI on this node
    $ k8snet-tui dump [POD] [--json]     resolve once, print, exit (POD is NAME or NS/NAME)
    $ k8snet-tui path FROM TO [--json]   the path from pod FROM to pod TO (or an IP), hop by hop
    $ k8snet-tui capture NS/POD [-w FILE|-]
                                         capture a pod's packets: text with pod names, or pcapng
    $ k8snet-tui policy [--port P] [--json]   the NetworkPolicy truth table of the selected pods
    $ k8snet-tui lab                     bring the lab up, open the TUI on it, take it down on quit
    $ k8snet-tui lab up|down|status [--json]
    $ k8snet-tui lab pod add|delete NS/NAME
    $ k8snet-tui lab svc add|delete|list ...
    $ k8snet-tui lab policy apply FILE|delete NS/NAME|list
    $ k8snet-tui completion bash|zsh|fish   shell completion (pods and namespaces from the API)
    $ k8snet-tui config path             where the config file is (defaults for flags)
    $ k8snet-tui help keys               the TUI's keys, by scope

  Each command has its own help: k8snet-tui dump --help, k8snet-tui lab up --help, ...
${CLUSTER_FLAGS}
${NODE_FLAGS}

  Output
    --theme default|mono|light
                           the TUI's colours (mono: none, as NO_COLOR; light: for a light background)
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

const path = `
  Usage
    $ k8snet-tui path FROM TO [--port N] [--proto tcp|udp|sctp|icmp] [--json] [--probe] [--all-endpoints] [flags]

  The path from pod FROM to pod TO, hop by hop on every node involved: FROM's eth0, its host veth,
  its bridge, its node's forwarding decision (ip route get ... iif ...), the VXLAN device (VNI,
  VTEP MAC from the neighbour entry, remote node from the fdb) or the route to the far node, the
  uplinks, then the far node's side down to TO's eth0; and the reply's way back. Each hop carries
  its state, MTU, counters, and the commands that prove it. Broken hops are named: a veth down, a
  missing fdb/neighbour/route entry, a blackhole, a pod MTU above the path's, an nft drop rule on the
  forward hook, an rp_filter dropping the return path, a bridge port not forwarding.
  FROM and TO are NAMESPACE/NAME, or NAME in -n's namespace (default "default"); TO may be an IP
  (a pod's IP ends at that pod; any other address is followed as far as the nodes show it).
  TO may be a Service: svc/NAMESPACE/NAME[:PORT] (PORT: its number or name; --port works too), or
  CLUSTERIP:PORT. A service hop then sits on FROM's node, where kube-proxy DNATs: the rule chain
  (iptables-save -t nat lines, or nft -a list table ip kube-proxy rules, as they print), the
  endpoints joined with the EndpointSlices, and every mismatch (stale rules, an endpoint not ready
  or gone, a ready one the rules lack, no rules, kube-proxy replaced by Cilium); broken with no
  endpoints (REJECT) or a pod reaching itself through a bridge port with hairpin off. The path goes
  on to the endpoint the probe's conntrack entry names, else to the first ready one.
  Each node is reached as the TUI reaches it (this host, the lab's namespace, --node-ssh, --node-exec).
  The NetworkPolicy verdict rides along: allowed or denied for FROM's egress and TO's ingress, the
  deciding policies and rules, and whether the cluster enforces policy at all. With --port it is
  judged for that port; without, for every port of the protocol (tcp unless --proto): a rule that
  takes only some ports does not count, and is named. ICMP: only rules without ports take it. An
  enforced deny makes the path blocked, at the isolated pod's ingress or egress; where nothing
  enforces policy the verdict stays, and it says "policy would deny, but this CNI does not enforce
  NetworkPolicy"; where that is not known, both are said and the path is unknown.
  Exit 0 when it ran, whatever the verdict (reachable, broken, unknown, or blocked by policy);
  1 with one line when it cannot run (a bad argument, an unknown or stopped pod, a node that
  cannot be reached).

  Flags
    --json                 JSON: from, to, verdict, hops[], reverse.hops[], policy; service, paths[], probe
    --port N, --proto P    the connection asked about: each ip route get is asked with ipproto/dport
                           (policy routing by port shows); --port alone means tcp;
                           sctp is asked as any protocol (ip route get has no sctp)
    --probe                one attempt from FROM's netns through its node (no exec into the pod),
                           2 s: TCP connect, UDP send and wait for an answer, or ICMP echo (no port);
                           connected/refused/timeout/unreachable, ms, the tool used, and for a
                           Service the conntrack entry it made: which endpoint the kernel chose.
                           sctp is refused (this kernel has no SCTP)
    --all-endpoints        for a Service: the path to each endpoint too (JSON paths[])
${CLUSTER_FLAGS}
  Node flags
    --node-ssh 'ARGS'      reach the nodes over ssh, e.g. 'root@{ip}' ({node}, {ip} are filled in)
    --node-exec 'ARGV'     reach the nodes through a command prefix, e.g. 'docker exec -i {node}'

  Examples
    $ k8snet-tui path default/nginx-1 default/nginx-3
    $ k8snet-tui path -n web frontend-0 backend-2 --port 8080 --proto tcp --json
    $ k8snet-tui path default/nginx-1 10.244.2.2
    $ k8snet-tui path default/nginx-1 svc/default/web:8080 --probe
    $ k8snet-tui path default/nginx-1 10.96.0.10:8080 --all-endpoints --json
`;

const capture = `
  Usage
    $ k8snet-tui capture NS/POD [--at pod|peer|bridge|uplink|any] [-f FILTER] [-w FILE|-]
                         [-c COUNT] [--duration S] [flags]

  Captures the pod's packets on its node, as the TUI's capture pane does: tcpdump runs on the
  node (through the same shell: local, lab, ssh, docker exec) and streams pcap here. Without -w
  it prints tcpdump's lines with pod names; with -w it writes pcapng on this machine, with an
  interface per capture point naming the pod and the point, and the pod and node names of the
  addresses seen (Wireshark and tshark show them with -N n). Ends after COUNT packets, S seconds,
  ctrl-c, or when the reader of stdout goes away; tcpdump on the node always ends with it.
  Exit 0 when it ran to its end, 130/143 on SIGINT/SIGTERM, 1 with one line when it cannot start
  or tcpdump stops by itself.

  Flags
    --at POINT             pod (eth0 inside the pod), peer (its host veth), bridge, uplink, any
                           (default: where the CNI's traffic is seen, as the TUI picks)
    -f, --filter FILTER    icmp, tcp, udp, arp, dns, port N, or a BPF expression (tcpdump checks
                           it), always narrowed to the pod's IPs
    -w, --write FILE|-     write pcapng to FILE (mode 0600), or to stdout with -
    -c, --count COUNT      stop after COUNT packets
    --duration S           stop after S seconds
${CLUSTER_FLAGS}
${NODE_FLAGS}

  Examples
    $ k8snet-tui capture shop/web-0
    $ k8snet-tui capture shop/web-0 -w - | wireshark -N n -k -i -
    $ k8snet-tui capture shop/web-0 -w - | tshark -N n -r -
    $ k8snet-tui capture shop/web-0 --at any -f 'port 53' -c 100 -w web-0.pcapng
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
  adds --traffic, and quitting the TUI takes the lab down. It needs root, and ethtool: GRO, GSO
  and TSO are turned off on its veths, so captures at two hops count the same packets.
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
    $ sudo k8snet-tui lab up --runtime containerd --pods 6
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
    stale-rules NS/SVC       the Service's rules stay as they are now, as when kube-proxy has not synced
                             (a pod deleted afterwards stays in them); needs --proxy
    no-endpoints NS/SVC      every endpoint fails readiness: the EndpointSlice says not ready, rules REJECT
    hairpin-off NS/POD       hairpin off on the pod's bridge port: the pod cannot reach itself
                             through its own Service

  Examples
    $ sudo k8snet-tui lab up --nodes 2 --overlay vxlan
    $ sudo k8snet-tui lab fault add fdb-missing k8snet-lab k8snet-lab-m02
    $ sudo k8snet-tui lab fault list
    $ sudo k8snet-tui lab fault clear --all
`;

const completion = `
  Usage
    $ k8snet-tui completion bash|zsh|fish

  Prints the completion script for the shell. It completes commands, flags, and pod, namespace,
  node and context names (the names from the API and the kubeconfig, within 2 s).

  Examples
    $ source <(k8snet-tui completion bash)          add it to ~/.bashrc to keep it
    $ source <(k8snet-tui completion zsh)
    $ k8snet-tui completion fish | source
    $ source <(kubectl-k8snet completion bash)       for the kubectl plugin
`;

const config = `
  Usage
    $ k8snet-tui config path

  Prints where the config file is: $XDG_CONFIG_HOME/k8snet-tui/config.yaml (~/.config/... without
  XDG_CONFIG_HOME). It holds defaults for flags, spelled as the flags are; a flag typed on the
  command line wins over the file. A file that does not parse, or an unknown key, is one line.

  Example config.yaml
    namespace: shop
    node-ssh: -i ~/.ssh/nodes root@{ip}
    all-nodes: true
`;

const labSvc = `
  Usage
    $ k8snet-tui lab svc add NS/NAME --port P [--target-port T] --selector k=v [--nodeport N] [--proto tcp|udp]
    $ k8snet-tui lab svc delete NS/NAME
    $ k8snet-tui lab svc list [--json]

  A Service of the running lab: a ClusterIP from 10.96.0.0/12 (NodePort with --nodeport, from
  30000-32767), and an EndpointSlice of the pods of NS its selector matches, both in the lab API
  (kubectl get svc,endpointslices -A). With lab up --proxy iptables|nftables every node's rules are
  re-programmed as kube-proxy would, here and on every lab pod add/delete. Every lab pod answers
  with its NS/NAME on TCP and UDP 80 and 81. Needs root (list does not).

  Flags
    --port P               the Service port (1-65535)
    --target-port T        the pods' port (default P; pods answer on 80 and 81)
    --selector k=v[,k=v]   the pods (lab pods carry app=<name without its last -part>, run=<name>)
    --nodeport N           make it a NodePort on N (30000-32767)
    --proto tcp|udp        default tcp

  Examples
    $ sudo k8snet-tui lab up --nodes 2 --proxy nftables
    $ sudo k8snet-tui lab svc add default/web --port 8080 --target-port 80 --selector app=nginx
    $ sudo ip netns exec k8snet-lab-node nc 10.96.0.10 8080
`;

const policy = `
  Usage
    $ k8snet-tui policy [-n NS | -A] [-l SEL] [--port P] [--proto tcp|udp|sctp] [--json]
                        [--probe [--probe-max N]]

  The NetworkPolicy truth table over the selected pods, from the API alone: may pod FROM (a row)
  open a connection to pod TO (a column) on port P? '.' allowed, 'X' denied, '?' unknown (a
  namespaceSelector on namespaces we may not read). The last line says whether this cluster
  enforces NetworkPolicy at all (its policy engine's DaemonSet, or the node's CNI), and why.

  Options
    -n, --namespace NS    the pods of one namespace (default: every namespace)
    -A, --all-namespaces  every namespace
    -l, --selector SEL    only pods with these labels
    --port P              the destination port (default 80)
    --proto PROTO         tcp (default), udp or sctp
    --json                {port, protocol, pods, matrix, enforced, enforcedReason, cniKind}
    --probe               also connect from each FROM pod's netns to each TO pod (2 s each, 8 at
                          a time, nodes on this host): adds probed (true: connected),
                          disagreements (verdict vs kernel) and the agreement count; sctp is
                          evaluated, not probed
    --probe-max N         probe up to N pairs (default 100: more is refused)

  Examples
    $ k8snet-tui policy -A
    $ k8snet-tui policy -n shop --port 8080 --json
    $ sudo k8snet-tui policy --kubeconfig /run/k8snet-lab/kubeconfig --probe
`;

const labPolicy = `
  Usage
    $ k8snet-tui lab policy apply FILE.yaml
    $ k8snet-tui lab policy delete NS/NAME
    $ k8snet-tui lab policy list

  NetworkPolicies into and out of the lab API (kubectl apply -f / delete netpol work too). FILE
  may hold several documents separated by ---. With "lab up --policy enforce" the lab's policy agent
  turns them into nftables rules (table inet k8snet-lab-policy in each node netns, re-synced on
  every change; its last sync in /run/k8snet-lab/policy-agent.json); with --policy none (the default) nothing enforces them.

  Examples
    $ k8snet-tui lab policy apply deny-all.yaml
    $ k8snet-tui lab policy delete x/deny-all
`;

/** The help for the command words given (before any other argument), or null for a command we lack. */
const helpKeys = `
  Usage
    $ k8snet-tui help keys    the TUI's key map, one section per scope (global, pods, path, capture,
                              overlay), from the same registry as the TUI's ? screen`;

export function helpFor(words: readonly string[]): string | null {
	const [first, second] = words;
	if (first === undefined) return tui;
	if (first === 'help') return helpKeys;
	if (first === 'dump') return dump;
	if (first === 'completion') return completion;
	if (first === 'config') return config;
	if (first === 'path') return path;
	if (first === 'policy') return policy;
	if (first === 'capture') return capture;
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
		case 'svc':
			return labSvc;
		case 'fault':
			return labFault;
		case 'policy':
			return labPolicy;
		default:
			return null;
	}
}
