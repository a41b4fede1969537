// A pod shaped like the agent (hostNetwork, hostPID, restartPolicy Never, on the lab node) running `command`.
export function agentLikePod(name: string, command: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, labels: {'app.kubernetes.io/managed-by': 'k8snet-tui-test'}},
		spec: {nodeName: 'k8snet-lab', hostNetwork: true, hostPID: true, restartPolicy: 'Never', containers: [{name: 'agent', image: 'busybox:1.36', command}], ...extra},
	};
}
