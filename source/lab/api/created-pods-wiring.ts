// What the handler needs to write pods and exec into them, from the store, the created pods and
// the lab state: node names to InternalIPs, and pods to the network namespace an exec enters.
import {labNodes} from '../lab-nodes.js';
import type {LabState} from '../lab-state.js';
import {badRequest} from './api-status.js';
import type {CreatedPods} from './created-pods.js';
import {type ExecPlace, type ExecTarget, noSuchPod} from './exec-upgrade.js';
import type {ObjectStore} from './object-store.js';
import type {PodWriteTarget} from './pod-write-handler.js';

export function createdPodsWiring(store: ObjectStore, created: CreatedPods, state: () => LabState | null): {podWrites: Omit<PodWriteTarget, 'user'>; exec: ExecTarget} {
	const nodes = () => {
		const s = state();
		return s?.node ? labNodes(s) : [];
	};

	const place = (namespace: string, name: string): ExecPlace => {
		const record = created.get(namespace, name);
		const containers = (spec: unknown) => ((spec as {containers?: Array<{name: string}>}).containers ?? []).map(c => c.name);
		if (record) {
			if (record.phase === 'Pending') return {ok: false, status: badRequest(`pod ${name} does not have a host assigned`)};
			if (record.phase !== 'Running') return {ok: false, status: badRequest(`cannot exec into a container in a completed pod; current phase is ${record.phase}`)};
			const node = nodes().find(n => n.name === record.spec['nodeName']);
			return node ? {ok: true, netnsPath: `/run/netns/${node.netns}`, containers: containers(record.spec)} : noSuchPod(name);
		}

		// One of the lab's own pods: its sandbox's network namespace.
		const pod = state()?.pods.find(p => p.namespace === namespace && p.name === name);
		if (!pod) return noSuchPod(name);
		if (!pod.netnsPath) return {ok: false, status: badRequest(`pod ${name} has no network namespace to exec into (${pod.kind})`)};
		return {ok: true, netnsPath: pod.netnsPath, containers: pod.containers.map(c => c.name)};
	};

	return {
		podWrites: {
			store,
			created,
			nodeIP: name => nodes().find(n => n.name === name)?.ip ?? null,
			defaultNode: () => nodes()[0]?.name ?? '',
		},
		exec: {place},
	};
}
