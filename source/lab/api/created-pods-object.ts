// A created pod's record → the v1 Pod the API serves. Pure, like kube-objects.ts: the store diffs
// what this returns, so the record carries every timestamp and nothing here reads the clock.
import type {KubeObject} from './kube-objects.js';

export type CreatedPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** Why a container is not running yet: ContainerCreating, or an image pull fault's ErrImagePull / ImagePullBackOff. */
export interface Waiting {
	reason: string;
	message?: string;
}

export interface CreatedPodRecord {
	namespace: string;
	name: string;
	uid: string;
	createdAt: string;
	labels: Record<string, string>;
	annotations: Record<string, string>;
	/** The spec as posted, with nodeName and the apiserver's defaults filled in. */
	spec: Record<string, unknown>;
	/** The node's InternalIP: a created pod shares its node's network namespace. */
	hostIP: string;
	phase: CreatedPhase;
	waiting: Waiting;
	startedAt: string | null;
	finishedAt: string | null;
	exitCode: number | null;
	/** Set when the lab, not the process, ended it (the API daemon restarted). */
	reason: string | null;
	message: string | null;
}

function containerNames(spec: Record<string, unknown>): Array<{name: string; image: string}> {
	return (spec['containers'] as Array<{name: string; image: string}>).map(c => ({name: c.name, image: c.image}));
}

function containerState(r: CreatedPodRecord): Record<string, unknown> {
	if (r.phase === 'Pending') return {waiting: {reason: r.waiting.reason, ...(r.waiting.message ? {message: r.waiting.message} : {})}};
	if (r.phase === 'Running') return {running: {startedAt: r.startedAt}};
	const exitCode = r.exitCode ?? 137;
	return {
		terminated: {
			exitCode,
			reason: r.reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
			...(r.message ? {message: r.message} : {}),
			...(r.startedAt ? {startedAt: r.startedAt} : {}),
			finishedAt: r.finishedAt,
		},
	};
}

export function createdPodObject(r: CreatedPodRecord): KubeObject {
	const running = r.phase === 'Running';
	const names = containerNames(r.spec);
	const condition = (type: string, ok: boolean) => ({
		type,
		status: ok ? 'True' : 'False',
		lastProbeTime: null,
		lastTransitionTime: r.startedAt ?? r.createdAt,
		...(ok ? {} : {reason: r.phase === 'Pending' ? 'ContainersNotReady' : 'PodCompleted', message: `containers with unready status: [${names.map(c => c.name).join(' ')}]`}),
	});
	const state = containerState(r);
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: r.name,
			namespace: r.namespace,
			uid: r.uid,
			creationTimestamp: r.createdAt,
			...(Object.keys(r.labels).length > 0 ? {labels: r.labels} : {}),
			...(Object.keys(r.annotations).length > 0 ? {annotations: r.annotations} : {}),
		},
		spec: r.spec,
		status: {
			phase: r.phase,
			...(r.reason && r.phase !== 'Running' ? {reason: r.reason} : {}),
			...(r.message && r.phase !== 'Running' ? {message: r.message} : {}),
			conditions: [
				condition('PodReadyToStartContainers', r.phase !== 'Pending' || r.waiting.reason !== 'ContainerCreating'),
				condition('Initialized', true),
				condition('Ready', running),
				condition('ContainersReady', running),
				condition('PodScheduled', true),
			],
			hostIP: r.hostIP,
			hostIPs: [{ip: r.hostIP}],
			...(r.phase === 'Pending' ? {} : {podIP: r.hostIP, podIPs: [{ip: r.hostIP}]}),
			startTime: r.createdAt,
			containerStatuses: names.map(c => ({
				name: c.name,
				state,
				lastState: {},
				ready: running,
				restartCount: 0,
				image: c.image,
				imageID: r.phase === 'Pending' ? '' : c.image,
				started: running,
			})),
			qosClass: 'Burstable',
		},
	};
}
