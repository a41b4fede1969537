// `k8snet-tui policy [-n NS | -A] [-l SEL] [--port P] [--proto tcp|udp|sctp] [--json]`: the
// NetworkPolicy truth table over the selected pods, from the API alone, with whether the cluster
// enforces it. 0 when it ran; 1 with one line when it cannot (API unreachable, RBAC, bad flags).
import type {TargetOptions} from '../app/options.js';
import {detectCni} from '../core/cni-detect.js';
import {displayText} from '../core/display-text.js';
import {detectEnforcement} from '../core/policy-enforcement.js';
import {compilePolicies} from '../core/policy/compile-policies.js';
import {policyDocument, policyTable} from '../core/policy/policy-matrix.js';
import {policyPod} from '../core/policy/policy-pod.js';
import {truthTable} from '../core/policy/truth-table.js';
import type {Protocol} from '../core/policy/types.js';
import type {Result} from '../core/types.js';
import {runningLabFor} from '../lab/running-lab.js';
import {createLabShell} from '../node/lab-shell.js';
import {createNodePollerFor} from '../node/remote/node-poller-for.js';

export interface PolicyFlags {
	port: number | undefined;
	proto: string | undefined;
	json: boolean;
	probe?: boolean;
	probeMax?: number | undefined;
}

export function checkPolicyFlags(f: PolicyFlags): Result<{port: number; protocol: Protocol}> {
	const port = f.port ?? 80;
	if (!Number.isInteger(port) || port < 1 || port > 65_535) return {ok: false, reason: `--port must be a port number from 1 to 65535`, hint: `got ${String(f.port)}`};
	const protocol = (f.proto ?? 'tcp').toUpperCase();
	if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') return {ok: false, reason: `--proto must be tcp, udp or sctp`, hint: `got '${f.proto ?? ''}'`};
	return {ok: true, value: {port, protocol}};
}

/** The CNI of the lab's node when the kubeconfig is the lab's (the one node this host can read without flags). */
async function labCniKind(o: TargetOptions): Promise<string | null> {
	const kubeconfig = o.kubeconfig ?? process.env['KUBECONFIG'];
	const lab = kubeconfig === undefined ? null : runningLabFor({kubeconfig});
	if (lab === null) return null;
	const view = await createNodePollerFor(createLabShell(lab.nodeNetns)).poll();
	return view.ok ? detectCni(view.value.snapshot).kind : null;
}

export async function runPolicy(o: TargetOptions, f: PolicyFlags): Promise<number> {
	const fail = (reason: string, hint?: string) => {
		console.error(displayText(`k8snet-tui policy: ${reason}${hint ? ` (${hint})` : ''}`));
		return 1;
	};

	const flags = checkPolicyFlags(f);
	if (!flags.ok) return fail(flags.reason, flags.hint);
	if (f.probeMax !== undefined && (!Number.isInteger(f.probeMax) || f.probeMax < 1)) return fail('--probe-max must be a whole number of pairs, 1 or more', `got ${f.probeMax}`);
	if (o.namespace !== undefined && o.allNamespaces) return fail('-n and -A both given', 'one namespace with -n, or every namespace with -A (the default)');
	const [{loadKubeTarget}, {listPods}, {listNetworkPolicies}, {listNamespaceLabels}, {listDaemonSets}] = await Promise.all([
		import('../cluster/kube-target.js'),
		import('../cluster/pods.js'),
		import('../cluster/network-policies.js'),
		import('../cluster/namespaces.js'),
		import('../cluster/daemonsets.js'),
	]);
	const kube = loadKubeTarget({kubeconfig: o.kubeconfig, context: o.context});
	if (!kube.ok) return fail(kube.reason, kube.hint);
	const [pods, policies, namespaces, daemonSets, cniKind] = await Promise.all([
		listPods(kube.value, {namespace: o.namespace, labelSelector: o.selector}),
		listNetworkPolicies(kube.value),
		listNamespaceLabels(kube.value),
		listDaemonSets(kube.value),
		labCniKind(o).catch(() => null),
	]);
	if (!pods.ok) return fail(pods.reason, pods.hint);
	if (!policies.ok) return fail(policies.reason, policies.hint);
	// Without namespace labels, namespaceSelectors answer unknown rather than a guess.
	const model = compilePolicies(policies.value, namespaces.ok ? namespaces.value : null, pods.value.filter(p => p.phase !== 'Succeeded' && p.phase !== 'Failed').map(policyPod).sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1)));
	const table = truthTable(model, flags.value.port, flags.value.protocol);
	const doc = policyDocument(table, detectEnforcement(daemonSets.ok ? daemonSets.value : null, cniKind), cniKind);
	if (!f.probe) {
		process.stdout.write(f.json ? `${JSON.stringify(doc, null, 2)}\n` : policyTable(doc, table).split('\n').map(displayText).join('\n'));
		return 0;
	}

	if (flags.value.protocol === 'SCTP') {
		process.stdout.write(f.json ? `${JSON.stringify({...doc, probed: null, disagreements: [], probeNote: 'SCTP is evaluated, not probed: this kernel has no SCTP'}, null, 2)}\n` : `${policyTable(doc, table)}probe: SCTP is evaluated, not probed (this kernel has no SCTP)\n`.split('\n').map(displayText).join('\n'));
		return 0;
	}

	const probe = await import('./policy-probe.js');
	const chosen = pods.value.filter(p => doc.pods.includes(`${p.namespace}/${p.name}`));
	const max = f.probeMax ?? probe.DEFAULT_PROBE_MAX;
	const count = probe.probePairCount(chosen);
	if (count > max) return fail(`--probe would probe ${count} pairs, more than ${max}`, `narrow with -n or -l, or raise the limit with --probe-max ${count}`);
	const nodes = await (await import('../cluster/nodes.js')).listNodes(kube.value);
	const report = await probe.probePolicy(kube.value, nodes.ok ? nodes.value : [], o, chosen, doc, flags.value);
	if (!report.ok) return fail(report.reason, report.hint);
	const {probed, disagreements, agreements, notes} = report.value;
	process.stdout.write(
		f.json
			? `${JSON.stringify({...doc, probed, disagreements, agreements, probeNotes: notes}, null, 2)}\n`
			: `${policyTable(doc, table)}${probe.probeSummary(report.value).join('\n')}\n`.split('\n').map(displayText).join('\n'),
	);
	return 0;
}
