// The lab's Services as the v1 Service and discovery.k8s.io/v1 EndpointSlice objects a real
// cluster would serve for them: one slice per Service (the controller's first slice holds up to
// 100 endpoints), labelled kubernetes.io/service-name, its endpoints the pods the selector matches.
// Pure and deterministic, like kube-objects.ts, so the store's diff sees only real changes.
import type {LabService, LabState} from '../lab-state.js';
import {serviceEndpoints} from '../services/service-endpoints.js';
import {type KubeObject, apiTimestamp} from './kube-objects.js';
import {stableUid} from './stable-uid.js';

export function serviceObject(s: LabService): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {name: s.name, namespace: s.namespace, uid: s.uid, creationTimestamp: apiTimestamp(s.createdAt), labels: {app: s.name}},
		spec: {
			clusterIP: s.clusterIP,
			clusterIPs: [s.clusterIP],
			internalTrafficPolicy: 'Cluster',
			...(s.type === 'NodePort' ? {externalTrafficPolicy: 'Cluster'} : {}),
			ipFamilies: ['IPv4'],
			ipFamilyPolicy: 'SingleStack',
			ports: s.ports.map((p) => ({name: p.name, protocol: p.protocol, port: p.port, targetPort: p.targetPort, ...(p.nodePort === undefined ? {} : {nodePort: p.nodePort})})),
			selector: s.selector,
			sessionAffinity: 'None',
			type: s.type,
		},
		status: {loadBalancer: {}},
	};
}

/** The controller names a slice `<service>-<5 random chars>`; the lab derives them from the uid. */
export function sliceName(s: LabService): string {
	const chars = stableUid(`slice/${s.uid}`).replaceAll('-', '').replace(/[^a-z0-9]/g, '').slice(0, 5);
	return `${s.name.slice(0, 57)}-${chars}`;
}

export function endpointSliceObject(s: LabService, state: LabState): KubeObject {
	const endpoints = serviceEndpoints(state, s);
	return {
		apiVersion: 'discovery.k8s.io/v1',
		kind: 'EndpointSlice',
		metadata: {
			name: sliceName(s),
			namespace: s.namespace,
			uid: stableUid(`endpointslice/${s.uid}`),
			creationTimestamp: apiTimestamp(s.createdAt),
			generateName: `${s.name}-`,
			labels: {
				app: s.name,
				'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
				'kubernetes.io/service-name': s.name,
			},
			ownerReferences: [{apiVersion: 'v1', kind: 'Service', name: s.name, uid: s.uid, controller: true, blockOwnerDeletion: true}],
		},
		addressType: 'IPv4',
		// The API omits `endpoints` when there are none, as the apiserver does for an empty slice.
		...(endpoints.length === 0
			? {}
			: {
					endpoints: endpoints.map((e) => ({
						addresses: [e.ip],
						conditions: {ready: e.ready, serving: e.ready, terminating: false},
						nodeName: e.node,
						targetRef: {kind: 'Pod', namespace: e.pod.namespace, name: e.pod.name, uid: e.pod.uid},
					})),
				}),
		ports: s.ports.map((p) => ({name: p.name, port: p.targetPort, protocol: p.protocol})),
	};
}

/** Every lab Service and its slice. */
export function labServiceObjects(state: LabState | null): {services: KubeObject[]; endpointslices: KubeObject[]} {
	const services = state?.services ?? [];
	return {services: services.map(serviceObject), endpointslices: services.map((s) => endpointSliceObject(s, state as LabState))};
}
