// `k8snet-tui dump [POD] [--json]`: resolve once, print, exit. 0 when it ran (unresolved pods are
// output, not failure); 1 with one line when it cannot run or a named POD does not exist.
// Never imports Ink or React: it is the fast path.
import type {TargetOptions} from '../app/options.js';
import {detectCni} from '../core/cni-detect.js';
import {displayText} from '../core/display-text.js';
import {dumpTable, type DumpDocument} from '../core/dump-output.js';
import {resolvePods} from '../core/join.js';
import {withRuntimeRecords} from '../core/runtime-record.js';
import type {NodeAccess, PodInfo, PodRef} from '../core/types.js';
import {runningLabFor} from '../lab/running-lab.js';
import {createLabShell} from '../node/lab-shell.js';
import {createLocalShell} from '../node/local-shell.js';
import type {NodeShell} from '../node/node-shell.js';
import {createNodePoller} from '../node/node-poller.js';

export async function runDump(o: TargetOptions, options: {pod?: string | undefined; json: boolean}): Promise<number> {
	const fail = (reason: string, hint?: string) => {
		console.error(displayText(`k8snet-tui dump: ${reason}${hint ? ` (${hint})` : ''}`));
		return 1;
	};

	let wanted: {namespace: string | undefined; name: string} | null = null;
	if (options.pod !== undefined) {
		const [first, second, ...extra] = options.pod.split('/');
		if (extra.length > 0 || !first || second === '') return fail(`"${options.pod}" is not NAME or NAMESPACE/NAME`);
		wanted = second === undefined ? {namespace: o.namespace, name: first} : {namespace: first, name: second};
	}

	// The cold node probe is the longest step: start it on the likely node while the API client
	// loads and picks the node, and keep it only if the pick agrees.
	const guess = likelyShell(o);
	const early = guess ? {shell: guess, poller: createNodePoller(guess)} : null;
	const earlyPoll = early?.poller.poll();
	earlyPoll?.catch(() => undefined);
	const [{resolveTarget}, {listPods}] = await Promise.all([import('../app/target.js'), import('../cluster/pods.js')]);

	const target = await resolveTarget(o);
	if (!target.ok) return fail(target.reason, target.hint);
	const {kube, node, shell, access, warning, registry} = target.value;
	if (warning !== null) console.error(displayText(`k8snet-tui: ${warning.reason} (${warning.hint})`));
	const namespace = wanted?.namespace ?? o.namespace;

	// The node probe, the API list and the runtime's sandboxes do not depend on each other.
	const reuse = early !== null && earlyPoll !== undefined && sameAccess(early.shell.access, access);
	const poller = reuse ? early.poller : shell.poller;
	const [viewResult, podsResult, runtime] = await Promise.all([
		reuse ? earlyPoll : poller.poll(),
		listPods(kube, {nodeName: o.allNodes ? undefined : node, namespace, labelSelector: o.selector}),
		// Without the runtime the join still works, by IP alone.
		shell.runtime().catch(() => null),
	]);
	// An agent pod is deleted before we print: nothing is left behind once dump exits.
	await registry.close();
	if (!podsResult.ok) return fail(podsResult.reason, podsResult.hint);
	if (!viewResult.ok) return fail(`cannot read node ${node}: ${viewResult.reason}`, viewResult.hint);
	let pods: PodRef[] = podsResult.value.map(toRef);
	if (wanted !== null) {
		const name = wanted.name;
		pods = pods.filter(p => p.name === name);
		if (pods.length === 0 && !o.allNodes) {
			// Tell "on another node" apart from "does not exist".
			const everywhere = await listPods(kube, {namespace, labelSelector: o.selector});
			if (everywhere.ok) pods = everywhere.value.filter(p => p.name === name).map(toRef);
		}

		if (pods.length === 0) return fail(`pod ${namespace ? `${namespace}/` : ''}${name} not found`, 'list the pods with kubectl get pods -A -o wide');
	}

	pods.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
	const view = viewResult.value;
	const cni = detectCni(view.snapshot, shell.cniConfigs());
	const stats = poller.lastPollStats();
	const document: DumpDocument = {
		node,
		cni: {kind: cni.kind, summary: cni.summary, capturePoint: cni.capturePoint, bridge: cni.bridge},
		pods: withRuntimeRecords(resolvePods(pods, view, node, runtime?.sandboxes), runtime?.sandboxes ?? []),
		runtime: runtime === null ? {kind: 'none', note: 'the runtime query failed'} : {kind: runtime.kind, note: runtime.note},
		access,
		canEnterNetns: view.canEnterNetns,
		enterDeniedReason: view.enterDeniedReason,
		poll: {durationMs: Math.round(stats.durationMs), processes: stats.processes, namespaces: view.namespaces.length},
	};
	process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : dumpTable(document));
	return 0;
}

/**
 * The shell resolveTarget will most likely pick, guessed without the API: the lab's node when our
 * kubeconfig is the lab's, else this host. Null when flags name another node.
 */
function likelyShell(o: TargetOptions): NodeShell | null {
	if (o.node !== undefined || o.nodeSsh !== undefined || o.nodeExec !== undefined) return null;
	const kubeconfig = o.kubeconfig ?? process.env['KUBECONFIG'];
	const lab = kubeconfig === undefined ? null : runningLabFor({kubeconfig});
	if (lab) return createLabShell(lab.nodeNetns);
	return createLocalShell();
}

function sameAccess(a: NodeAccess, b: NodeAccess): boolean {
	return a.kind === b.kind && a.target === b.target;
}

export function toRef(pod: PodInfo): PodRef {
	return {namespace: pod.namespace, name: pod.name, uid: pod.uid, nodeName: pod.nodeName, hostNetwork: pod.hostNetwork, ips: pod.ips, phase: pod.phase};
}
