// The agent pod, as data (pure): one per node per session, reached through the API's exec. Its
// main process exits once the session stops touching the heartbeat file, so a SIGKILLed TUI
// leaves a pod that ends by itself (phase Succeeded); activeDeadlineSeconds is the hard cap.
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'k8snet-tui';
export const SESSION_LABEL = 'k8snet-tui/session';
/** Where the session writes its pid and host, so a later start can tell a live session from a dead one. */
export const SESSION_ANNOTATION = 'k8snet-tui/session-owner';
/**
 * nicolaka/netshoot v0.16 (iproute2, util-linux nsenter, tcpdump, iptables, nft, conntrack, socat).
 * The digest is as published by others' manifests pinning this tag; not pulled from here.
 */
export const DEFAULT_AGENT_IMAGE = 'nicolaka/netshoot:v0.16@sha256:b09d9b21381f47a79b3cbcb30da25266dc17186ea00ae65e99fdc51396f48e70';
export const AGENT_IDLE_SECONDS = 60;
export const AGENT_DEADLINE_SECONDS = 12 * 60 * 60;
export const AGENT_CONTAINER = 'agent';

export type AgentProfile = 'privileged' | 'netadmin';

export interface AgentPodOptions {
	node: string;
	namespace: string;
	image: string;
	profile: AgentProfile;
	session: string;
	/** `pid@host` of this session. */
	owner: string;
	/** 5 characters; random in use, fixed in tests. */
	suffix: string;
	idleSeconds?: number;
}

/** The heartbeat file, named after the pod: in the lab, pods share the host's /tmp. */
export const heartbeatPath = (podName: string) => `/tmp/k8snet-agent-${podName}.heartbeat`;

/**
 * The main process: touch the heartbeat, then exit 0 once it is older than the idle time. Its
 * values come in through the environment, so nothing is spliced into the script.
 */
export const AGENT_MAIN_SCRIPT = [
	'f=$K8SNET_HEARTBEAT',
	'touch "$f"',
	'while :; do now=$(date +%s); t=$(stat -c %Y "$f" 2>/dev/null || echo 0); [ $((now - t)) -ge "$K8SNET_IDLE_SECONDS" ] && { rm -f "$f"; exit 0; }; sleep 1; done',
].join('; ');

/** The pod name: `k8snet-agent-<node>-<5>`, the node part cut so the name stays a valid 63-char label. */
export function agentPodName(node: string, suffix: string): string {
	const safe = node.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
	return `k8snet-agent-${safe.slice(0, 63 - 'k8snet-agent-'.length - 6).replace(/-+$/, '')}-${suffix}`;
}

export function agentPod(o: AgentPodOptions): Record<string, unknown> {
	const name = agentPodName(o.node, o.suffix);
	const securityContext =
		o.profile === 'privileged' ? {privileged: true} : {privileged: false, capabilities: {add: ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SYS_PTRACE']}};
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name,
			namespace: o.namespace,
			labels: {[MANAGED_BY_LABEL]: MANAGED_BY, [SESSION_LABEL]: o.session},
			annotations: {[SESSION_ANNOTATION]: o.owner},
		},
		spec: {
			nodeName: o.node,
			tolerations: [{operator: 'Exists'}],
			restartPolicy: 'Never',
			hostNetwork: true,
			hostPID: true,
			activeDeadlineSeconds: AGENT_DEADLINE_SECONDS,
			terminationGracePeriodSeconds: 1,
			automountServiceAccountToken: false,
			containers: [
				{
					name: AGENT_CONTAINER,
					image: o.image,
					command: ['sh', '-c', AGENT_MAIN_SCRIPT],
					env: [
						{name: 'K8SNET_HEARTBEAT', value: heartbeatPath(name)},
						{name: 'K8SNET_IDLE_SECONDS', value: String(o.idleSeconds ?? AGENT_IDLE_SECONDS)},
					],
					securityContext,
					resources: {requests: {cpu: '10m', memory: '32Mi'}, limits: {cpu: '500m', memory: '256Mi'}},
					volumeMounts: [{name: 'run-netns', mountPath: '/run/netns', readOnly: true, mountPropagation: 'HostToContainer'}],
				},
			],
			volumes: [{name: 'run-netns', hostPath: {path: '/run/netns', type: 'DirectoryOrCreate'}}],
		},
	};
}
