// The kube-system DaemonSets the lab API serves: with `--policy enforce`, the lab's policy agent,
// shaped as calico-node or kube-router are, so the product learns that policies are enforced the
// way it would on a real cluster (a policy DaemonSet in kube-system) and not from the lab's files.
import {labNodes} from '../lab-nodes.js';
import type {LabState} from '../lab-state.js';
import type {KubeObject} from './kube-objects.js';
import {stableUid} from './stable-uid.js';

export const LAB_POLICY_AGENT_NAME = 'k8snet-lab-policy-agent';

export function labDaemonSets(state: LabState | null, epoch: string): KubeObject[] {
	if (state?.options?.policy !== 'enforce') return [];
	const nodes = state.node ? labNodes(state).length : 0;
	const labels = {'k8s-app': LAB_POLICY_AGENT_NAME};
	return [
		{
			apiVersion: 'apps/v1',
			kind: 'DaemonSet',
			metadata: {name: LAB_POLICY_AGENT_NAME, namespace: 'kube-system', uid: stableUid(`daemonset/${LAB_POLICY_AGENT_NAME}`), creationTimestamp: epoch, generation: 1, labels},
			spec: {
				selector: {matchLabels: labels},
				template: {
					metadata: {labels},
					spec: {
						hostNetwork: true,
						containers: [{name: 'policy-agent', image: 'k8snet-tui/lab-policy-agent:lab', args: ['--table', 'inet k8snet-lab-policy']}],
					},
				},
				updateStrategy: {type: 'RollingUpdate'},
			},
			status: {currentNumberScheduled: nodes, desiredNumberScheduled: nodes, numberAvailable: nodes, numberMisscheduled: 0, numberReady: nodes, observedGeneration: 1, updatedNumberScheduled: nodes},
		},
	];
}
