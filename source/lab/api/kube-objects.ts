// LabState → the v1 Pod/Node/Namespace objects a real cluster would return for the same pods.
// Pure: the store diffs what these functions return, so equal input must give equal output
// (timestamps come from the state or from a fixed epoch, never from the clock).
import {createHash} from 'node:crypto';
import {labNodes, nodeOfPod} from '../lab-nodes.js';
import type {LabNode, LabPod, LabState} from '../lab-state.js';
import {labPodLabels} from '../pod-labels.js';
import {stableUid} from './stable-uid.js';

export type Resource = 'pods' | 'nodes' | 'namespaces' | 'services' | 'endpointslices' | 'networkpolicies' | 'daemonsets';

export interface ObjectMeta {
	name: string;
	namespace?: string;
	uid: string;
	resourceVersion?: string;
	creationTimestamp: string;
	labels?: Record<string, string>;
	[key: string]: unknown;
}

export interface KubeObject {
	apiVersion: 'v1' | 'discovery.k8s.io/v1' | 'networking.k8s.io/v1' | 'apps/v1';
	kind: 'Pod' | 'Node' | 'Namespace' | 'Service' | 'EndpointSlice' | 'NetworkPolicy' | 'DaemonSet';
	metadata: ObjectMeta;
	[key: string]: unknown;
}

/** Services and EndpointSlices come from services-objects.ts: a lab without Services has none. */
export type DesiredObjects = Record<'pods' | 'nodes' | 'namespaces', KubeObject[]> & Partial<Record<Resource, KubeObject[]>>;

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** A stable RFC 4122-shaped uid for objects the lab state does not give one. */

type Runtime = 'docker' | 'containerd';

/** The apiserver writes RFC 3339 with whole seconds; the lab records milliseconds. */
export function apiTimestamp(iso: string): string {
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? iso : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function runtimeOf(pod: LabPod, state: LabState): Runtime {
	if (pod.netnsName || state.containerd) return 'containerd';
	if (pod.netnsPath?.startsWith('/proc/')) return 'docker';
	return state.options?.sandbox === 'process' ? 'docker' : 'containerd';
}

function imageID(image: string, runtime: Runtime): string {
	const repo = image.replace(/:[^/:]+$/, '');
	const digest = `sha256:${sha256(image)}`;
	return runtime === 'docker' ? `docker-pullable://${repo}@${digest}` : `${repo}@${digest}`;
}

interface PodShape {
	namespace: string;
	name: string;
	uid: string;
	createdAt: string;
	nodeName: string;
	hostIP: string;
	hostNetwork: boolean;
	phase: 'Running' | 'Pending';
	/** null: no IP yet (Pending). Otherwise exactly what the API reports, valid or not. */
	ips: string[] | null;
	runtime: Runtime;
	containers: Array<{name: string; image: string; id: string | null}>;
}

function podObject(p: PodShape): KubeObject {
	const running = p.phase === 'Running';
	const ready = running ? 'True' : 'False';
	const condition = (type: string, status: string) => ({
		type,
		status,
		lastProbeTime: null,
		lastTransitionTime: p.createdAt,
		...(status === 'False' ? {reason: 'ContainersNotReady', message: `containers with unready status: [${p.containers.map(c => c.name).join(' ')}]`} : {}),
	});
	const status: Record<string, unknown> = {
		phase: p.phase,
		conditions: [
			condition('PodReadyToStartContainers', ready),
			condition('Initialized', 'True'),
			condition('Ready', ready),
			condition('ContainersReady', ready),
			condition('PodScheduled', 'True'),
		],
		hostIP: p.hostIP,
		hostIPs: [{ip: p.hostIP}],
		...(p.ips && p.ips.length > 0 ? {podIP: p.ips[0], podIPs: p.ips.map(ip => ({ip}))} : {}),
		startTime: p.createdAt,
		containerStatuses: p.containers.map(c =>
			running
				? {
						name: c.name,
						state: {running: {startedAt: p.createdAt}},
						lastState: {},
						ready: true,
						restartCount: 0,
						image: c.image,
						imageID: imageID(c.image, p.runtime),
						...(c.id ? {containerID: `${p.runtime}://${c.id}`} : {}),
						started: true,
					}
				: {
						name: c.name,
						state: {waiting: {reason: 'ContainerCreating'}},
						lastState: {},
						ready: false,
						restartCount: 0,
						image: c.image,
						imageID: '',
						started: false,
					},
		),
		qosClass: 'BestEffort',
	};
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: p.name,
			namespace: p.namespace,
			uid: p.uid,
			creationTimestamp: p.createdAt,
			labels: labPodLabels(p),
		},
		spec: {
			containers: p.containers.map(c => ({
				name: c.name,
				image: c.image,
				imagePullPolicy: 'IfNotPresent',
				resources: {},
				terminationMessagePath: '/dev/termination-log',
				terminationMessagePolicy: 'File',
			})),
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
			dnsPolicy: p.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
			serviceAccountName: 'default',
			nodeName: p.nodeName,
			...(p.hostNetwork ? {hostNetwork: true} : {}),
			securityContext: {},
			schedulerName: 'default-scheduler',
			priority: 0,
			enableServiceLinks: true,
			preemptionPolicy: 'PreemptLowerPriority',
		},
		status,
	};
}

/** One lab pod as the API shows it; the odd kinds differ exactly where a real cluster's would. */
export function labPodObject(pod: LabPod, state: LabState): KubeObject {
	const hostNetwork = pod.kind === 'host-network';
	const pending = pod.kind === 'pending';
	let ips: string[] | null;
	if (pending) ips = null;
	else if (hostNetwork) ips = pod.ips.length > 0 ? pod.ips : [pod.ip ?? nodeOfPod(state, pod).ip];
	else if (pod.kind === 'invalid-ip') ips = pod.ip === null ? pod.ips : [pod.ip];
	else ips = pod.ips.length > 0 ? pod.ips : pod.ip ? [pod.ip] : null;
	const node = nodeOfPod(state, pod);
	return podObject({
		namespace: pod.namespace,
		name: pod.name,
		uid: pod.uid,
		createdAt: apiTimestamp(pod.createdAt),
		nodeName: node.name,
		hostIP: node.ip,
		hostNetwork,
		phase: pending ? 'Pending' : 'Running',
		ips,
		runtime: runtimeOf(pod, state),
		containers: pod.containers.map(c => ({name: c.name, image: c.image, id: pending ? null : c.id || null})),
	});
}

export interface NodeShape {
	name: string;
	internalIP: string;
	podCIDRs: string[];
	runtime: Runtime;
	createdAt: string;
	controlPlane: boolean;
	annotations?: Record<string, string>;
}

/** What flannel's kube subnet manager writes on a node for its VXLAN lease (pkg/subnet/kube/annotations.go). */
export function flannelAnnotations(node: LabNode): Record<string, string> {
	if (!node.vtep) return {};
	const prefix = 'flannel.alpha.coreos.com';
	return {
		[`${prefix}/backend-data`]: JSON.stringify({VNI: node.vtep.vni, VtepMAC: node.vtep.mac}),
		[`${prefix}/backend-type`]: 'vxlan',
		[`${prefix}/kube-subnet-manager`]: 'true',
		[`${prefix}/public-ip`]: node.ip,
	};
}

export function nodeObject(n: NodeShape): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {
			name: n.name,
			uid: stableUid(`node/${n.name}`),
			creationTimestamp: n.createdAt,
			...(n.annotations && Object.keys(n.annotations).length > 0 ? {annotations: n.annotations} : {}),
			labels: {
				'beta.kubernetes.io/arch': 'amd64',
				'beta.kubernetes.io/os': 'linux',
				'kubernetes.io/arch': 'amd64',
				'kubernetes.io/hostname': n.name,
				'kubernetes.io/os': 'linux',
				...(n.controlPlane ? {'node-role.kubernetes.io/control-plane': ''} : {}),
			},
		},
		spec: n.podCIDRs.length > 0 ? {podCIDR: n.podCIDRs[0], podCIDRs: n.podCIDRs} : {},
		status: {
			capacity: {cpu: '2', memory: '4015852Ki', pods: '110'},
			allocatable: {cpu: '2', memory: '4015852Ki', pods: '110'},
			conditions: [
				{type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: n.createdAt, lastTransitionTime: n.createdAt},
				{type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: n.createdAt, lastTransitionTime: n.createdAt},
				{type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: n.createdAt, lastTransitionTime: n.createdAt},
				{type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: n.createdAt, lastTransitionTime: n.createdAt},
			],
			addresses: [
				{type: 'InternalIP', address: n.internalIP},
				{type: 'Hostname', address: n.name},
			],
			daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
			nodeInfo: {
				machineID: sha256(`machine/${n.name}`).slice(0, 32),
				systemUUID: stableUid(`system/${n.name}`),
				bootID: stableUid(`boot/${n.name}`),
				kernelVersion: 'lab',
				osImage: 'k8snet-tui lab',
				containerRuntimeVersion: n.runtime === 'docker' ? 'docker://20.10.24' : 'containerd://1.7.24',
				kubeletVersion: 'v1.32.0',
				kubeProxyVersion: 'v1.32.0',
				operatingSystem: 'linux',
				architecture: 'amd64',
			},
		},
	};
}

export function namespaceObject(name: string, createdAt: string): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {
			name,
			uid: stableUid(`namespace/${name}`),
			creationTimestamp: createdAt,
			labels: {'kubernetes.io/metadata.name': name},
		},
		spec: {finalizers: ['kubernetes']},
		status: {phase: 'Active'},
	};
}

export interface FakeCluster {
	nodes: KubeObject[];
	pods: KubeObject[];
}

export const FAKE_NODE_PREFIX = 'k8snet-lab-fake-';

/**
 * Nodes and pods that exist only in the API, for scale tests and other-node rows. Deterministic:
 * pod i is `fake-app<i mod 100>-<5 chars>` on node i mod M, with IP 10.250.(i div 250).(i mod 250 + 2),
 * so the 10.250.0.0/16 range they use is never a lab address (and is never contacted).
 */
export function fakeCluster(nodeCount: number, podCount: number, namespaces: string[], createdAt: string): FakeCluster {
	const m = podCount > 0 ? Math.max(1, nodeCount) : nodeCount;
	const nodes: KubeObject[] = [];
	const nodeNames: string[] = [];
	for (let j = 0; j < m; j++) {
		const name = `${FAKE_NODE_PREFIX}${j + 1}`;
		nodeNames.push(name);
		nodes.push(nodeObject({name, internalIP: `10.250.255.${(j % 250) + 1}`, podCIDRs: [], runtime: 'containerd', createdAt, controlPlane: false}));
	}

	const spaces = namespaces.length > 0 ? namespaces : ['default'];
	const pods: KubeObject[] = [];
	for (let i = 0; i < podCount; i++) {
		const h = sha256(`fake-pod/${i}`);
		const nodeIndex = i % m;
		pods.push(
			podObject({
				namespace: spaces[i % spaces.length]!,
				name: `fake-app${i % 100}-${h.slice(0, 5)}`,
				uid: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`,
				createdAt,
				nodeName: nodeNames[nodeIndex]!,
				hostIP: `10.250.255.${(nodeIndex % 250) + 1}`,
				hostNetwork: false,
				phase: 'Running',
				ips: [`10.250.${Math.floor(i / 250) % 255}.${(i % 250) + 2}`],
				runtime: 'containerd',
				containers: [{name: 'app', image: 'registry.k8s.io/pause:3.9', id: sha256(`fake-container/${i}`)}],
			}),
		);
	}

	return {nodes, pods};
}

/**
 * Everything the API should serve for this state; `fake` is passed in so it is built once.
 * `networkPolicies`: the ones clients created, which live in a file of their own.
 */
export function desiredObjects(state: LabState | null, fake: FakeCluster, epoch: string, networkPolicies: KubeObject[] = []): DesiredObjects {
	const pods: KubeObject[] = [];
	const nodes: KubeObject[] = [];
	const namespaceNames = new Set(['default', 'kube-system']);
	if (state) {
		for (const p of state.pods ?? []) {
			pods.push(labPodObject(p, state));
			namespaceNames.add(p.namespace);
		}

		for (const ns of state.options?.namespaces ?? []) namespaceNames.add(ns);
		const runtime: Runtime = state.options?.sandbox === 'process' ? 'docker' : 'containerd';
		const labNodeList = state.node ? labNodes(state) : [];
		if (labNodeList.length === 1) {
			const podCIDRs = ['10.244.0.0/24', ...(state.options?.ipv6 ? ['fd00:10:244::/64'] : [])];
			nodes.push(nodeObject({name: state.node, internalIP: state.nodeIP, podCIDRs, runtime, createdAt: epoch, controlPlane: true}));
		} else {
			labNodeList.forEach((n, i) =>
				nodes.push(nodeObject({name: n.name, internalIP: n.ip, podCIDRs: [n.podCIDR], runtime, createdAt: epoch, controlPlane: i === 0, annotations: flannelAnnotations(n)})),
			);
		}
	}

	pods.push(...fake.pods);
	nodes.push(...fake.nodes);
	for (const p of fake.pods) namespaceNames.add(p.metadata.namespace!);
	const namespaces = [...namespaceNames].sort().map(n => namespaceObject(n, epoch));
	return {pods, nodes, namespaces, networkpolicies: networkPolicies, daemonsets: []};
}
