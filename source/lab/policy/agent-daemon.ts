// `lab __policy-agent`: the lab's NetworkPolicy agent, as Calico's or kube-router's. It lists and
// watches the lab API's networkpolicies, pods and namespaces with the product's own client, and on
// every change re-programs each lab node's table (agent-rules.ts) whole, one `nft -f` per node.
// It writes what it last synced to policy-agent.json (tests wait on it), and exits by itself when
// the lab is gone (no state file), so it never outlives the lab.
import {existsSync} from 'node:fs';
import {rename, writeFile} from 'node:fs/promises';
import {loadKubeTarget} from '../../cluster/kube-target.js';
import {watchNamespaceLabels} from '../../cluster/namespaces.js';
import {watchNetworkPolicies} from '../../cluster/network-policies.js';
import {watchPods} from '../../cluster/pod-watch.js';
import {policyPod} from '../../core/policy/policy-pod.js';
import type {NetworkPolicy, PolicyNamespace} from '../../core/policy/types.js';
import type {PodInfo} from '../../core/types.js';
import {inNetns, netnsPath} from '../lab-node.js';
import {labNodes} from '../lab-nodes.js';
import {LAB_PREFIX, LAB_STATE_FILE, readLabState} from '../lab-state.js';
import {serialRuns} from '../serial-runs.js';
import {renderNodeRules} from './agent-rules.js';
import {POLICY_AGENT_STATUS, type PolicyAgentStatus} from './agent-start.js';

export const POLICY_AGENT_RUNNING_TITLE = `${LAB_PREFIX}-policyd`;
const WATCHDOG_MS = 1000;

/** A map per watched kind; null until its first list arrives. */
class Mirror<T> {
	items: Map<string, T> | null = null;
	constructor(private readonly key: (item: T) => string, private readonly changed: () => void) {}
	handlers() {
		return {
			onReplace: (items: T[]) => {
				this.items = new Map(items.map(i => [this.key(i), i]));
				this.changed();
			},
			onUpsert: (item: T) => {
				this.items?.set(this.key(item), item);
				this.changed();
			},
			onDelete: (key: string) => {
				this.items?.delete(key);
				this.changed();
			},
			onStatus: () => undefined,
		};
	}
}

async function writeStatus(s: PolicyAgentStatus): Promise<void> {
	await writeFile(`${POLICY_AGENT_STATUS}.tmp`, JSON.stringify(s) + '\n', {mode: 0o644}).catch(() => undefined);
	await rename(`${POLICY_AGENT_STATUS}.tmp`, POLICY_AGENT_STATUS).catch(() => undefined);
}

export async function runPolicyAgent(): Promise<number> {
	process.title = POLICY_AGENT_RUNNING_TITLE;
	const state = readLabState();
	if (state === null) {
		console.error('lab __policy-agent: no lab state');
		return 1;
	}

	const kube = loadKubeTarget({kubeconfig: state.kubeconfig});
	if (!kube.ok) {
		console.error(`lab __policy-agent: ${kube.reason}`);
		return 1;
	}

	const sync = async () => {
		const lab = readLabState();
		if (lab === null || policies.items === null || pods.items === null || namespaces.items === null) return;
		const input = {
			policies: [...policies.items.values()],
			namespaces: [...namespaces.items.values()],
			pods: [...pods.items.values()].filter(p => p.phase !== 'Succeeded' && p.phase !== 'Failed').map(policyPod),
		};
		let isolated = 0;
		let error: string | null = null;
		for (const node of labNodes(lab)) {
			const rules = renderNodeRules({...input, node: node.name});
			isolated += rules.isolated;
			// Same-node pod-to-pod frames are bridged: only with this set do they reach inet forward.
			const r = await inNetns(netnsPath(node.netns), ['sysctl', '-q', '-w', 'net.bridge.bridge-nf-call-iptables=1']).then(s => (s.ok ? inNetns(netnsPath(node.netns), ['nft', '-f', '-'], rules.text) : s));
			if (!r.ok) error = `${node.name}: ${r.reason}`;
		}

		const keys = input.policies.map(p => `${p.namespace}/${p.name}`).sort();
		await writeStatus({pid: process.pid, policies: keys, pods: input.pods.length, isolated, syncedAt: new Date().toISOString(), error});
		if (error !== null) console.error(`lab __policy-agent: sync failed: ${error}`);
	};

	const kick = serialRuns(sync);
	const policies = new Mirror<NetworkPolicy>(p => `${p.namespace}/${p.name}`, kick);
	const pods = new Mirror<PodInfo>(p => p.uid, kick);
	const namespaces = new Mirror<PolicyNamespace>(n => n.name, kick);
	const watches = [
		watchNetworkPolicies(kube.value, policies.handlers()),
		watchPods(kube.value, {}, pods.handlers()),
		watchNamespaceLabels(kube.value, namespaces.handlers()),
	];

	return new Promise(resolve => {
		const stop = (code: number) => {
			clearInterval(watchdog);
			for (const w of watches) w.stop();
			resolve(code);
		};

		const watchdog = setInterval(() => {
			if (!existsSync(LAB_STATE_FILE)) stop(0);
		}, WATCHDOG_MS);
		for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(s, () => stop(0));
	});
}
