// --agent: reach a node through an agent pod. Sweeps the dead sessions' agents first, starts this
// session's, and checks the node once through it, as reach-node.ts does for ssh and docker exec.
// The shell's close() deletes the pod; release() waits for that. Every agent pod this process
// created and has not deleted (running or still pending) is known here, so that an exit on a
// signal deletes them first (exitReleasingAgents).
import type {Result} from '../../core/types.js';
import type {KubeTarget} from '../../cluster/kube-target.js';
import {newSessionId, startAgentPod, sweepAgentPods, type AgentPodHandle} from '../../cluster/agent-pod.js';
import {type AgentProfile, DEFAULT_AGENT_IMAGE} from '../../cluster/agent-pod-spec.js';
import {createAgentShell} from './agent-shell.js';
import {describeNeeds} from './node-needs.js';
import type {RemoteReach} from './reach-node.js';
import type {RemoteShell} from './remote-shell.js';

export interface AgentReachOptions {
	node: string;
	namespace?: string | undefined;
	image?: string | undefined;
	profile?: string | undefined;
	session?: string;
}

/** One session id per process: its agents on every node carry it. */
const SESSION = newSessionId();
/** Test-only: the agent's idle time, shortened so that a SIGKILLed session's agent ends within a test. */
const IDLE_ENV = 'K8SNET_TEST_AGENT_IDLE_SECONDS';
const RELEASE_WAIT_MS = 5000;
const live = new Set<() => Promise<void>>();

function idleSeconds(): {idleSeconds?: number} {
	const value = Number(process.env[IDLE_ENV]);
	return Number.isInteger(value) && value > 0 ? {idleSeconds: value} : {};
}

/** Deletes every agent pod this process still has; resolves once they are gone, or after a few seconds (a dead API must not hold an exit). */
export async function releaseAgents(): Promise<void> {
	if (live.size === 0) return;
	await Promise.race([Promise.all([...live].map(release => release())), new Promise(resolve => setTimeout(resolve, RELEASE_WAIT_MS).unref())]);
}

/** A signal's exit: the agent pods go first. */
export async function exitReleasingAgents(code: number): Promise<never> {
	await releaseAgents();
	process.exit(code);
}

export async function reachAgentNode(kube: KubeTarget, o: AgentReachOptions): Promise<Result<RemoteReach & {release(): Promise<void>}>> {
	const namespace = o.namespace ?? 'default';
	const swept = await sweepAgentPods(kube, namespace);
	if (!swept.ok) return swept;
	let pod: AgentPodHandle | null = null;
	let inner: RemoteShell | null = null;
	let deleting: Promise<void> | null = null;
	const release = () => {
		deleting ??= (async () => {
			inner?.close();
			await pod?.delete().catch(() => undefined);
			live.delete(release);
		})();
		return deleting;
	};

	const idle = idleSeconds();
	const onCreated = (created: AgentPodHandle) => {
		pod = created;
		live.add(release);
	};
	const started = await startAgentPod(kube, {node: o.node, namespace, image: o.image ?? DEFAULT_AGENT_IMAGE, profile: (o.profile ?? 'privileged') as AgentProfile, session: o.session ?? SESSION, onCreated, ...idle});
	if (!started.ok) {
		// startAgentPod deleted it already.
		live.delete(release);
		return started;
	}

	inner = createAgentShell({kube, namespace, pod: started.value.name, node: o.node, ...idle});
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
