// `k8snet-tui path FROM TO [--port N] [--proto P] [--json] [--probe] [--all-endpoints]`: the hops
// from pod FROM to pod TO (or an IP, or a Service: svc/NS/NAME[:PORT], CLUSTERIP:PORT), forward and
// back, each checked against its node's kernel. 0 when it ran, whatever the
// verdict; 1 with one line when it cannot run (a bad argument, an unknown or stopped pod, a node
// that cannot be reached). Never imports Ink or React.
import type {TargetOptions} from '../app/options.js';
import {displayText} from '../core/display-text.js';
import {isDnsLabel} from '../core/k8s-names.js';
import {pathTable} from '../core/path/path-text.js';
import type {PathFlow} from '../core/path/types.js';
import {canonicalIp} from '../core/pod-ip.js';
import type {PodInfo, Result} from '../core/types.js';
import type {ServiceRef} from '../app/service-lookup.js';
import {parseServiceRef} from './path-service.js';

export const PATH_PROTOS = ['tcp', 'udp', 'sctp', 'icmp'] as const;

export interface PathCommandOptions {
	from: string | undefined;
	to: string | undefined;
	port: number | undefined;
	proto: string | undefined;
	json: boolean;
	probe?: boolean;
	allEndpoints?: boolean;
}

type PodName = {namespace: string; name: string};

/** NS/NAME, or NAME in -n's namespace (default "default", as kubectl). */
export function parsePodName(text: string, namespace: string | undefined): PodName | null {
	const parts = text.split('/');
	const [ns, name] = parts.length === 2 ? parts : [namespace ?? 'default', parts[0]];
	if (parts.length > 2 || !isDnsLabel(ns ?? '') || !name || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) return null;
	return {namespace: ns!, name};
}

function findPod(pods: readonly PodInfo[], wanted: PodName): Result<PodInfo> {
	const pod = pods.find(p => p.namespace === wanted.namespace && p.name === wanted.name);
	if (!pod) return {ok: false, reason: `pod ${wanted.namespace}/${wanted.name} not found`, hint: 'list the pods with kubectl get pods -A -o wide'};
	if (pod.phase !== 'Running') return {ok: false, reason: `pod ${wanted.namespace}/${wanted.name} is ${pod.phase || 'in no phase'}, not running`, hint: 'a path needs a running pod on a node'};
	if (pod.nodeName === null) return {ok: false, reason: `pod ${wanted.namespace}/${wanted.name} is not scheduled to a node`, hint: 'kubectl describe pod shows why'};
	return {ok: true, value: pod};
}

/** The port of a chosen endpoint "ip:port" (the port the pod's ingress policy sees after DNAT). */
function endpointPort(endpoint: string | null): number | null {
	const port = Number(endpoint?.slice(endpoint.lastIndexOf(':') + 1));
	return Number.isInteger(port) && port > 0 ? port : null;
}

export async function runPath(o: TargetOptions, options: PathCommandOptions): Promise<number> {
	const fail = (reason: string, hint?: string) => {
		console.error(displayText(`k8snet-tui path: ${reason}${hint ? ` (${hint})` : ''}`));
		return 1;
	};

	if (options.from === undefined || options.to === undefined) return fail('needs FROM and TO', 'k8snet-tui path NS/POD NS/POD, or NS/POD IP');
	const from = parsePodName(options.from, o.namespace);
	if (from === null) return fail(`"${options.from}" is not NAME or NAMESPACE/NAME`, 'e.g. default/nginx-1');
	const serviceRef = parseServiceRef(options.to, o.namespace);
	if (serviceRef !== null && !serviceRef.ok) return fail(serviceRef.reason, serviceRef.hint);
	const parsed: ServiceRef | null = serviceRef?.value ?? null;
	// --port names the Service port when TO does not.
	const svc = parsed?.kind === 'svc' && parsed.port === null && options.port !== undefined ? {...parsed, port: options.port} : parsed;
	const toIp = svc?.kind === 'ip' ? svc.ip : canonicalIp(options.to);
	const to = toIp === null && svc === null ? parsePodName(options.to, o.namespace) : null;
	if (toIp === null && to === null && svc === null) return fail(`"${options.to}" is not a pod (NAME or NAMESPACE/NAME), a Service (svc/NAMESPACE/NAME[:PORT]) or an IP address`, 'e.g. default/nginx-2, svc/default/web:8080 or 10.244.1.2');
	if (options.proto !== undefined && !(PATH_PROTOS as readonly string[]).includes(options.proto)) return fail(`--proto ${options.proto} is not one of ${PATH_PROTOS.join(', ')}`, 'e.g. --proto tcp');
	if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535)) return fail(`--port ${options.port} is not a port (1-65535)`, 'e.g. --port 80');
	if (options.port !== undefined && options.proto === 'icmp') return fail('--port makes no sense with --proto icmp', 'leave --port out, or use tcp, udp or sctp');
	if (options.probe && options.proto === 'sctp') return fail('--probe cannot send sctp: this kernel has no SCTP', 'probe with --proto tcp or udp, or leave --probe out');
	if (options.allEndpoints && svc === null) return fail('--all-endpoints needs TO to be a Service', 'e.g. k8snet-tui path default/nginx-1 svc/default/web --all-endpoints');

	const [{loadKubeTarget}, {listNodes}, {listPods}, {createClusterRegistry}, {joinTrace, readTraceFacts}, policyFacts, {withPolicy}] = await Promise.all([
		import('../cluster/kube-target.js'),
		import('../cluster/nodes.js'),
		import('../cluster/pods.js'),
		import('../app/target.js'),
		import('../app/path-trace.js'),
		import('../app/policy-view-facts.js'),
		import('../core/path/path-policy.js'),
	]);
	const kube = loadKubeTarget({kubeconfig: o.kubeconfig, context: o.context});
	if (!kube.ok) return fail(kube.reason, kube.hint);
	// An IP may be a pod's (or a Service's endpoints anywhere): then all are listed. Otherwise only the namespaces named.
	const namespaces = toIp !== null ? [undefined] : [...new Set([from.namespace, svc?.kind === 'svc' ? svc.namespace : to!.namespace])];
	const [nodes, ...lists] = await Promise.all([listNodes(kube.value), ...namespaces.map(namespace => listPods(kube.value, {namespace}))]);
	if (!nodes.ok) return fail(nodes.reason, nodes.hint);
	const pods: PodInfo[] = [];
	for (const list of lists) {
		if (!list.ok) return fail(list.reason, list.hint);
		pods.push(...list.value);
	}

	const source = findPod(pods, from);
	if (!source.ok) return fail(source.reason, source.hint);
	const owner = toIp === null ? undefined : pods.find(p => p.phase === 'Running' && !p.hostNetwork && p.ips.some(ip => canonicalIp(ip) === toIp));
	// The policies are read while the nodes are: the verdict needs both, for a pod or a Service alike.
	const facts = policyFacts.readPolicyFacts(kube.value);
	if (svc !== null || (toIp !== null && owner === undefined)) {
		const [{lookupService}, {servicePath}] = await Promise.all([import('../app/service-lookup.js'), import('./path-service.js')]);
		const found = await lookupService(kube.value, svc ?? {kind: 'ip', ip: toIp!, port: options.port ?? null}, options.proto);
		if (!found.ok) return fail(found.reason, found.hint);
		if (found.value === null && svc?.kind === 'ip' && options.allEndpoints) return fail(`no Service has the ClusterIP ${svc.ip}`, 'kubectl get svc -A lists the ClusterIPs');
		if (found.value !== null) {
			const flow: PathFlow | null = options.proto === undefined || options.proto === 'sctp' ? null : {proto: options.proto as PathFlow['proto'], port: found.value.port.port};
			const doc = await servicePath(kube.value, o, nodes.value, pods, source.value, found.value, {probe: options.probe === true, allEndpoints: options.allEndpoints === true, flow});
			if (!doc.ok) return fail(doc.reason, doc.hint);
			// The policy that matters is the chosen endpoint's ingress (after DNAT), and FROM's egress to it.
			const end = doc.value.to;
			const chosen = 'name' in end ? pods.find(p => p.namespace === end.namespace && p.name === end.name) : undefined;
			const read = await facts;
			const policy = policyFacts.pathPolicyFor(read, policyFacts.enforcementOf(read, []), source.value, chosen ? {pod: chosen} : {ip: doc.value.to.ip}, nodes.value, {proto: (options.proto ?? found.value.port.protocol.toLowerCase()) as PathFlow['proto'], port: chosen ? endpointPort(doc.value.service?.chosen.endpoint ?? null) : found.value.port.port});
			const document = withPolicy(doc.value, policy);
			process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : pathTable(document));
			return 0;
		}
	}

	let target: {pod: PodInfo} | {ip: string};
	if (toIp !== null) {
		target = owner ? {pod: owner} : {ip: toIp};
	} else {
		const found = findPod(pods, to!);
		if (!found.ok) return fail(found.reason, found.hint);
		target = {pod: found.value};
	}

	const registry = createClusterRegistry(kube.value, () => nodes.value, o);
	try {
		// iproute2's route get knows no sctp ("Unsupported ip proto"): sctp decisions are asked for any protocol.
		const port = svc?.kind === 'ip' ? svc.port : options.port;
		const flow: PathFlow | null = options.proto === 'sctp' ? null : options.proto === undefined ? (port === undefined ? null : {proto: 'tcp', port}) : {proto: options.proto as PathFlow['proto'], port: port ?? null};
		const joined = await joinTrace(registry, nodes.value, source.value, target, flow);
		if (!joined.ok) return fail(joined.reason, joined.hint);
		const {document: walked} = await readTraceFacts(joined.value);
		const read = await facts;
		const policy = policyFacts.pathPolicyFor(read, policyFacts.enforcementOf(read, joined.value.cniKinds?.values() ?? []), source.value, target, nodes.value, {proto: (options.proto ?? null) as PathFlow['proto'] | null, port: options.port ?? null});
		const document = withPolicy(walked, policy);
		if (options.probe) {
			const {probeTo} = await import('../app/path-probe.js');
			const proto = options.proto === 'udp' || options.proto === 'icmp' ? options.proto : port === undefined ? 'icmp' : 'tcp';
			const ip = 'pod' in joined.value.target ? joined.value.target.pod.ip ?? '' : joined.value.target.ip;
			const {sport: _sport, ...probe} = await probeTo(joined.value.handles.get(source.value.nodeName!), joined.value.from, ip, port ?? null, proto);
			document.probe = probe;
		}

		process.stdout.write(options.json ? `${JSON.stringify(document, null, 2)}\n` : pathTable(document));
		return 0;
	} finally {
		await registry.close();
	}
}
