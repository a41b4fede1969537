// Why an agent pod cannot serve, as one line naming the fix (pure): RBAC, Pod Security admission,
// an image the node cannot pull, a node that is not Ready, a pod pending too long.
import {failureFromStatus, type RequestContext} from './api-errors.js';

export interface AgentFailure {
	ok: false;
	reason: string;
	hint: string;
}

type Obj = Record<string, any>;

/** A create (or exec) the API refused. */
export function agentRequestFailure(status: number, body: string, ctx: RequestContext): AgentFailure {
	let message = '';
	try {
		message = String((JSON.parse(body) as Obj)['message'] ?? '');
	} catch {
		message = body;
	}

	const psa = /violates PodSecurity "([^"]+)": (.*)$/.exec(message);
	if (status === 403 && psa) {
		return {
			ok: false,
			reason: `namespace "${ctx.namespace}" enforces Pod Security "${psa[1]}", which forbids the agent pod: ${psa[2]}`,
			hint: 'use a namespace labelled pod-security.kubernetes.io/enforce=privileged: --agent-namespace NAME (kube-system usually is)',
		};
	}

	const f = failureFromStatus(status, body, ctx);
	return {ok: false, reason: `cannot start the node agent: ${f.reason}`, hint: f.hint};
}

/** The node's Ready condition, when it is not True. */
export function nodeNotReady(node: Obj | null, name: string): AgentFailure | null {
	const ready = ((node?.['status']?.['conditions'] ?? []) as Obj[]).find(c => c['type'] === 'Ready');
	if (!ready || ready['status'] === 'True') return null;
	return {
		ok: false,
		reason: `node "${name}" is NotReady (${ready['reason'] ?? 'no reason'}${ready['message'] ? `: ${ready['message']}` : ''}), so no agent pod can start there`,
		hint: `see kubectl describe node ${name}; its kubelet must be running`,
	};
}

/** What keeps a created agent pod from Running, or null while it may still get there. */
export function agentPodFailure(pod: Obj, pendingMs: number, limitMs: number): AgentFailure | null {
	const name = String(pod['metadata']?.['name'] ?? '');
	const image = String(pod['spec']?.['containers']?.[0]?.['image'] ?? '');
	const phase = String(pod['status']?.['phase'] ?? 'Pending');
	const container = (pod['status']?.['containerStatuses'] ?? [])[0] as Obj | undefined;
	const waiting = container?.['state']?.['waiting'] as Obj | undefined;
	if (waiting && ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'].includes(String(waiting['reason']))) {
		return {
			ok: false,
			reason: `the agent image ${image} cannot be pulled on node "${pod['spec']?.['nodeName']}" (${waiting['reason']}${waiting['message'] ? `: ${waiting['message']}` : ''})`,
			hint: 'pass an image the node can pull, with iproute2, nsenter, tcpdump, iptables, nft, conntrack and socat: --agent-image IMAGE',
		};
	}

	if (phase === 'Succeeded' || phase === 'Failed') {
		const terminated = container?.['state']?.['terminated'] as Obj | undefined;
		return {
			ok: false,
			reason: `the agent pod ${name} ended before it served (${phase}${terminated ? `, exit code ${terminated['exitCode']}` : ''}${pod['status']?.['message'] ? `: ${pod['status']['message']}` : ''})`,
			hint: `see kubectl logs ${name} and kubectl describe pod ${name}`,
		};
	}

	if (phase !== 'Pending' || pendingMs < limitMs) return null;
	const conditions = ((pod['status']?.['conditions'] ?? []) as Obj[]).filter(c => c['status'] === 'False' && (c['reason'] || c['message']));
	const why = [waiting ? `${waiting['reason']}${waiting['message'] ? `: ${waiting['message']}` : ''}` : null, ...conditions.map(c => `${c['type']}: ${c['reason'] ?? ''}${c['message'] ? ` ${c['message']}` : ''}`)].filter(Boolean);
	return {
		ok: false,
		reason: `the agent pod ${name} is still Pending after ${Math.round(pendingMs / 1000)} s${why.length > 0 ? ` (${why.join('; ')})` : ''}`,
		hint: `see kubectl describe pod ${name} for its events`,
	};
}
