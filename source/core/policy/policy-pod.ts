// A PodInfo as policies see it. Named ports resolve against the regular containers' ports, as
// kubelet's FindPort does; init and ephemeral containers serve no policy port.
import type {PodInfo} from '../types.js';
import type {PolicyPod} from './types.js';

export function policyPod(p: PodInfo): PolicyPod {
	return {
		namespace: p.namespace,
		name: p.name,
		labels: p.labels,
		nodeName: p.nodeName,
		hostNetwork: p.hostNetwork,
		ips: p.ips,
		ports: p.containers.filter(c => c.kind === 'regular').flatMap(c => c.ports.map(port => ({name: port.name, port: port.containerPort, protocol: port.protocol}))),
	};
}
