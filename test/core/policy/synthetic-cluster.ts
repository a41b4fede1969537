// A made-up cluster of the size the `policy` truth table must handle (500 pods, 100 policies by
// default), with the selector shapes real policies use: deny-alls, same-app, namespaceSelectors
// with matchExpressions, ipBlocks with except, numeric, named and ranged ports. Deterministic.
import type {NetworkPolicy, PolicyNamespace, PolicyPod, PolicyRule} from '../../../source/core/policy/types.js';

export interface SyntheticCluster {
	namespaces: PolicyNamespace[];
	pods: PolicyPod[];
	policies: NetworkPolicy[];
}

const empty = {matchLabels: {}, matchExpressions: []};

export function syntheticCluster(podCount = 500, policyCount = 100, namespaceCount = 20): SyntheticCluster {
	const namespaces: PolicyNamespace[] = Array.from({length: namespaceCount}, (_, i) => ({
		name: `ns-${i}`,
		labels: {'kubernetes.io/metadata.name': `ns-${i}`, team: `team-${i % 4}`, ...(i % 3 === 0 ? {env: 'prod'} : {})},
	}));
	const pods: PolicyPod[] = Array.from({length: podCount}, (_, i) => ({
		namespace: `ns-${i % namespaceCount}`,
		name: `pod-${i}`,
		labels: {app: `app-${i % 25}`, tier: ['web', 'api', 'db'][i % 3]!, 'pod-template-hash': `h${i}`},
		nodeName: `node-${i % 10}`,
		hostNetwork: i % 97 === 0,
		ips: [`10.${i % 10}.${Math.floor(i / 250)}.${(i % 250) + 2}`],
		ports: [{name: 'http', port: 8080 + (i % 2), protocol: 'TCP'}, {name: 'metrics', port: 9090, protocol: 'TCP'}],
	}));
	const rules = (k: number): PolicyRule[] => {
		switch (k % 5) {
			case 0:
				return [{peers: [{podSelector: {matchLabels: {app: `app-${k % 25}`}, matchExpressions: []}, namespaceSelector: null, ipBlock: null}], ports: [{protocol: 'TCP', port: 'http', endPort: null}]}];
			case 1:
				return [{peers: [{podSelector: null, namespaceSelector: {matchLabels: {}, matchExpressions: [{key: 'team', operator: 'In', values: [`team-${k % 4}`, 'team-0']}]}, ipBlock: null}], ports: []}];
			case 2:
				return [
					{peers: [{podSelector: {matchLabels: {tier: 'web'}, matchExpressions: []}, namespaceSelector: {matchLabels: {env: 'prod'}, matchExpressions: []}, ipBlock: null}], ports: [{protocol: 'TCP', port: 80, endPort: 90}]},
					{peers: [{podSelector: null, namespaceSelector: null, ipBlock: {cidr: '10.0.0.0/8', except: [`10.${k % 10}.0.0/16`]}}], ports: [{protocol: 'TCP', port: 'metrics', endPort: null}]},
				];
			case 3:
				return [{peers: [{podSelector: {matchLabels: {}, matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['db']}]}, namespaceSelector: empty, ipBlock: null}], ports: [{protocol: 'TCP', port: 80, endPort: null}, {protocol: 'UDP', port: 53, endPort: null}]}];
			default:
				return [];
		}
	};
	const policies: NetworkPolicy[] = Array.from({length: policyCount}, (_, k) => ({
		namespace: `ns-${k % namespaceCount}`,
		name: `policy-${k}`,
		podSelector: k % 7 === 0 ? empty : {matchLabels: {app: `app-${(k * 3) % 25}`}, matchExpressions: []},
		policyTypes: k % 2 === 0 ? ['Ingress', 'Egress'] : null,
		ingress: rules(k),
		egress: k % 2 === 0 ? rules(k + 1) : [],
	}));
	return {namespaces, pods, policies};
}
