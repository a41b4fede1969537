// Does one `from` / `to` entry take one endpoint, and if not, why. Selectors take only pods that
// policies can see (not hostNetwork ones: their traffic is the node's); an ipBlock takes any
// endpoint by address, pods included. A namespace whose labels we do not know makes a
// namespaceSelector's answer unknown rather than a guess.
import {parsePrefix, prefixMatcher, type Prefix} from '../pod-ip.js';
import {describeLabels, describeSelector, isEmptySelector, selectorMatches} from './label-selector.js';
import type {Endpoint, IPBlock, PolicyPeer, PolicyPod} from './types.js';

export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;
export type Match = typeof NO | typeof YES | typeof UNKNOWN;

/** Namespace name → labels; null when the namespaces could not be listed at all. */
export type NamespaceLabels = ReadonlyMap<string, Record<string, string>> | null;

export interface ParsedBlock {
	source: IPBlock;
	/** null: a CIDR that does not parse, which takes no address. */
	cidr: Prefix | null;
	except: Prefix[];
}

export function parseBlock(b: IPBlock): ParsedBlock {
	return {source: b, cidr: parsePrefix(b.cidr), except: b.except.map(e => parsePrefix(e)).filter((p): p is Prefix => p !== null)};
}

export function endpointIps(e: Endpoint): string[] {
	if (e.kind === 'pod') return e.pod.ips;
	return e.kind === 'node' ? e.ips : [e.ip];
}

export function endpointName(e: Endpoint): string {
	if (e.kind === 'pod') return `${e.pod.namespace}/${e.pod.name}`;
	return e.kind === 'node' ? `node ${e.name}` : e.ip;
}

/** One test per address of an endpoint, each with the address parsed once (see prefixMatcher). */
export type AddressTests = Array<(prefix: Prefix) => boolean>;

export function addressTests(e: Endpoint): AddressTests {
	return endpointIps(e).map(ip => prefixMatcher(ip));
}

export function blockMatch(b: ParsedBlock, addresses: AddressTests): Match {
	if (b.cidr === null) return NO;
	for (const holds of addresses) if (holds(b.cidr) && !b.except.some(holds)) return YES;
	return NO;
}

function describeBlock(b: IPBlock): string {
	return `ipBlock ${b.cidr}${b.except.length > 0 ? ` except ${b.except.join(', ')}` : ''}`;
}

export function blockMiss(b: ParsedBlock, e: Endpoint): string {
	const ips = endpointIps(e);
	if (b.cidr === null) return `${describeBlock(b.source)}: the CIDR does not parse, so it takes no address`;
	if (ips.length === 0) return `${endpointName(e)} has no IP yet, so ${describeBlock(b.source)} cannot take it`;
	const excepted = ips.filter(ip => prefixMatcher(ip)(b.cidr!));
	if (excepted.length > 0) return `${excepted.join(', ')} is in ${b.source.cidr} but also in its except list`;
	return `${ips.join(', ')} is not in ${describeBlock(b.source)}`;
}

function namespaceMatch(p: PolicyPeer, policyNamespace: string, pod: PolicyPod, labels: NamespaceLabels): Match {
	if (p.namespaceSelector === null) return pod.namespace === policyNamespace ? YES : NO;
	if (isEmptySelector(p.namespaceSelector)) return YES;
	const nsLabels = labels?.get(pod.namespace);
	if (nsLabels === undefined) return UNKNOWN;
	return selectorMatches(p.namespaceSelector, nsLabels) ? YES : NO;
}

/** A podSelector/namespaceSelector peer against a pod (never a hostNetwork one: callers check). */
export function selectorMatch(p: PolicyPeer, policyNamespace: string, pod: PolicyPod, labels: NamespaceLabels): Match {
	if (p.podSelector === null && p.namespaceSelector === null) return NO;
	const ns = namespaceMatch(p, policyNamespace, pod, labels);
	if (ns === NO) return NO;
	if (p.podSelector !== null && !selectorMatches(p.podSelector, pod.labels)) return NO;
	return ns;
}

export function selectorMiss(p: PolicyPeer, policyNamespace: string, e: Endpoint, labels: NamespaceLabels): string {
	const who = endpointName(e);
	if (e.kind !== 'pod') return `${who} is not a pod, and pod/namespace selectors take only pods (an ipBlock would)`;
	if (e.pod.hostNetwork) return `${who} uses the host network, so selectors do not take it (its traffic is the node's; an ipBlock would)`;
	const pod = e.pod;
	if (p.podSelector === null && p.namespaceSelector === null) return 'the peer sets no selector and no ipBlock (the API rejects such a peer), so it takes nothing';
	if (p.namespaceSelector === null && pod.namespace !== policyNamespace) {
		return `${who} is not in the policy's namespace ${policyNamespace} (the peer has no namespaceSelector)`;
	}

	if (p.namespaceSelector !== null && !isEmptySelector(p.namespaceSelector)) {
		const nsLabels = labels?.get(pod.namespace);
		const selector = describeSelector(p.namespaceSelector);
		if (nsLabels === undefined) {
			return labels === null
				? `namespaceSelector ${selector}: the namespaces' labels are unknown (they could not be listed)`
				: `namespaceSelector ${selector}: namespace ${pod.namespace} is not in the namespace list, so its labels are unknown`;
		}

		if (!selectorMatches(p.namespaceSelector, nsLabels)) {
			return `namespace ${pod.namespace} (${describeLabels(nsLabels)}) does not match namespaceSelector ${selector}`;
		}
	}

	if (p.podSelector !== null && !selectorMatches(p.podSelector, pod.labels)) {
		return `${who} (${describeLabels(pod.labels)}) does not match podSelector ${describeSelector(p.podSelector)}`;
	}

	return `${who} matches`;
}
