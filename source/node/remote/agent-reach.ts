// --agent: reach a node through an agent pod. Sweeps the dead sessions' agents first, starts this
// session's, and checks the node once through it, as reach-node.ts does for ssh and docker exec.
// The shell's close() deletes the pod; release() waits for that. Every agent this process started
// and has not deleted is known here, so an exit on a signal deletes them first (releaseAgents).
import type {Result} from '../../core/types.js';
import type {KubeTarget} from '../../cluster/kube-target.js';
import {newSessionId, startAgentPod, sweepAgentPods} from '../../cluster/agent-pod.js';
import {type AgentProfile, DEFAULT_AGENT_IMAGE} from '../../cluster/agent-pod-spec.js';
import {createAgentShell} from './agent-shell.js';
import {describeNeeds} from './node-needs.js';
import type {RemoteReach} from './reach-node.js';

export interface AgentReachOptions {
	node: string;
	namespace?: string | undefined;
	image?: string | undefined;
	profile?: string | undefined;
	session?: string;
}

/** One session id per process: its agents on every node carry it. */
const SESSION = newSessionId();
/** Test-only: the agent's idle time, shortened so a SIGKILLed session's agent ends within a test. */
const IDLE_ENV = 'K8SNET_TEST_AGENT_IDLE_SECONDS';
const live = new Set<() => Promise<void>>();

function idleSeconds(): number | undefined {
	const value = Number(process.env[IDLE_ENV]);
	return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Deletes every agent pod this process still has (an exit on a signal); resolves once they are gone. */
export async function releaseAgents(): Promise<void> {
	await Promise.all([...live].map(release => release()));
}

export async function reachAgentNode(kube: KubeTarget, o: AgentReachOptions): Promise<Result<RemoteReach & {release(): Promise<void>}>> {
	const namespace = o.namespace ?? 'default';
	const swept = await sweepAgentPods(kube, namespace);
	if (!swept.ok) return swept;
	const idle = idleSeconds();
	const started = await startAgentPod(kube, {node: o.node, namespace, image: o.image ?? DEFAULT_AGENT_IMAGE, profile: (o.profile ?? 'privileged') as AgentProfile, session: o.session ?? SESSION, ...(idle === undefined ? {} : {idleSeconds: idle})});
	if (!started.ok) return started;
	const pod = started.value;
	const inner = createAgentShell({kube, namespace, pod: pod.name, node: o.node, ...(idle === undefined ? {} : {idleSeconds: idle})});
	let deleting: Promise<void> | null = null;
	const release = () => {
		deleting ??= (async () => {
			inner.close();
			await pod.delete().catch(() => undefined);
			live.delete(release);
		})();
		return deleting;
	};
	live.add(release);
	const shell = {...inner, close: () => void release()};
	const ready = await shell.prepare();
	if (!ready.ok) {
		await release();
		return ready;
	}

	const problem = describeNeeds(ready.value, shell.via);
	if (problem && ready.value.missing.includes('ip')) {
		await release();
		return {ok: false, ...problem};
	}

	return {ok: true, value: {shell, needs: ready.value, warning: problem, release}};
}
