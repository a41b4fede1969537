// The agent pod's life: created on demand, waited for until Running (each failure one line, and
// the pod deleted again), deleted when the session ends, and the sweep at start. A session is
// known alive by its pod: a pod that ended (Succeeded, Failed: its heartbeat went stale) belongs
// to a dead session, and so does one whose owner annotation names a pid of this host that is gone.
// Any other Running or Pending pod may be another live session's, and is left alone.
import {hostname} from 'node:os';
import {randomBytes} from 'node:crypto';
import {ApiException, CoreV1Api, type V1Pod} from '@kubernetes/client-node';
import type {Result} from '../core/types.js';
import type {KubeTarget} from './kube-target.js';
import {agentPodFailure, agentRequestFailure, nodeNotReady} from './agent-failures.js';
import {type AgentProfile, MANAGED_BY, MANAGED_BY_LABEL, SESSION_ANNOTATION, agentPod} from './agent-pod-spec.js';

export interface AgentOptions {
	node: string;
	namespace: string;
	image: string;
	profile: AgentProfile;
	session: string;
	idleSeconds?: number;
	/** How long Pending may last before it is a failure; 60 s. */
	pendingLimitMs?: number;
	/** Told as soon as the pod exists, before it runs: an exit meanwhile must still delete it. */
	onCreated?: (pod: AgentPodHandle) => void;
}

export interface AgentPodHandle {
	namespace: string;
	name: string;
	node: string;
	delete(): Promise<void>;
}

const POLL_MS = 250;
const PENDING_LIMIT_MS = 60_000;

/** A fresh session id: the label value that ties a session's agent pods together. */
export function newSessionId(): string {
	return randomBytes(6).toString('hex');
}

export const sessionOwner = () => `${process.pid}@${hostname()}`;

function suffix(): string {
	const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
	return [...randomBytes(5)].map(b => alphabet[b % alphabet.length]).join('');
}

function bodyText(error: ApiException<unknown>): string {
	return typeof error.body === 'string' ? error.body : JSON.stringify(error.body ?? {});
}

function asFailure(error: unknown, kube: KubeTarget, verb: string, namespace: string, name?: string) {
	if (error instanceof ApiException) return agentRequestFailure(error.code, bodyText(error), {server: kube.server, context: kube.context, user: kube.user, verb, resource: 'pods', namespace, name});
	return {ok: false as const, reason: `cannot ${verb} the agent pod: ${error instanceof Error ? error.message : String(error)}`, hint: `check that ${kube.server} answers: kubectl get pods -n ${namespace}`};
}

async function deletePod(api: CoreV1Api, namespace: string, name: string): Promise<void> {
	try {
		await api.deleteNamespacedPod({name, namespace, gracePeriodSeconds: 0});
	} catch (error) {
		if (!(error instanceof ApiException && error.code === 404)) throw error;
	}
}

/** Creates the node's agent pod and waits for it to run; on any failure it is deleted again. */
export async function startAgentPod(kube: KubeTarget, o: AgentOptions): Promise<Result<AgentPodHandle>> {
	const api = kube.kc.makeApiClient(CoreV1Api);
	try {
		const notReady = nodeNotReady((await api.readNode({name: o.node})) as unknown as Record<string, unknown>, o.node);
		if (notReady) return notReady;
	} catch (error) {
		if (!(error instanceof ApiException && error.code === 403)) return asFailure(error, kube, 'get', o.namespace);
		// Without `get nodes` the pod's own status still tells.
	}

	const body = agentPod({...o, owner: sessionOwner(), suffix: suffix()}) as V1Pod;
	const name = body.metadata!.name!;
	try {
		await api.createNamespacedPod({namespace: o.namespace, body});
	} catch (error) {
		return asFailure(error, kube, 'create', o.namespace);
	}

	const handle: AgentPodHandle = {namespace: o.namespace, name, node: o.node, delete: async () => deletePod(api, o.namespace, name)};
	o.onCreated?.(handle);
	const started = performance.now();
	const limit = o.pendingLimitMs ?? PENDING_LIMIT_MS;
	for (;;) {
		let pod: V1Pod;
		try {
			pod = await api.readNamespacedPod({name, namespace: o.namespace});
		} catch (error) {
			await handle.delete().catch(() => undefined);
			return asFailure(error, kube, 'get', o.namespace, name);
		}

		if (pod.status?.phase === 'Running') return {ok: true, value: handle};
		const failure = agentPodFailure(JSON.parse(JSON.stringify(pod)) as Record<string, unknown>, performance.now() - started, limit);
		if (failure) {
			await handle.delete().catch(() => undefined);
			return failure;
		}

		await new Promise(resolve => setTimeout(resolve, POLL_MS));
	}
}

function ownerGone(owner: string | undefined): boolean {
	const m = /^(\d+)@(.+)$/.exec(owner ?? '');
	if (!m || m[2] !== hostname()) return false;
	try {
		process.kill(Number(m[1]), 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

/** Deletes the agent pods of dead sessions in `namespace`; returns what it deleted and what it kept. */
export async function sweepAgentPods(kube: KubeTarget, namespace: string): Promise<Result<{deleted: string[]; kept: string[]}>> {
	const api = kube.kc.makeApiClient(CoreV1Api);
	let pods: V1Pod[];
	try {
		pods = (await api.listNamespacedPod({namespace, labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}`})).items;
	} catch (error) {
		return asFailure(error, kube, 'list', namespace);
	}

	const deleted: string[] = [];
	const kept: string[] = [];
	for (const pod of pods) {
		const name = pod.metadata?.name ?? '';
		const ended = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
		if (!ended && !ownerGone(pod.metadata?.annotations?.[SESSION_ANNOTATION])) {
			kept.push(name);
			continue;
		}

		try {
			await deletePod(api, namespace, name);
			deleted.push(name);
		} catch (error) {
			return asFailure(error, kube, 'delete', namespace, name);
		}
	}

	return {ok: true, value: {deleted, kept}};
}
