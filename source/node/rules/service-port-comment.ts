// kube-proxy's rule comments name the Service port: "ns/svc:port", then what the rule is for
// ("cluster IP", "has no endpoints", "-> 10.180.0.1:80", …). Older kube-proxy wrote an unnamed
// port as "ns/svc:"; newer writes "ns/svc".
import type {Protocol, ServicePortId} from '../../core/service-rules/types.js';

const COMMENT = /^([a-z0-9][a-z0-9.-]*)\/([a-z0-9][a-z0-9.-]*)(?::([a-z0-9-]*))?(?: (.*))?$/;

export function commentPort(comment: string | null): {id: ServicePortId; rest: string} | null {
	const m = comment === null ? null : COMMENT.exec(comment);
	if (m === null) return null;
	return {id: {namespace: m[1]!, name: m[2]!, port: m[3] ?? ''}, rest: m[4] ?? ''};
}

export function protocolOf(text: string | null): Protocol | null {
	const upper = text?.toUpperCase();
	return upper === 'TCP' || upper === 'UDP' || upper === 'SCTP' ? upper : null;
}

/** "10.96.0.1/32" → "10.96.0.1"; a wider prefix stays as it is. */
export function hostOf(cidr: string): string {
	return cidr.replace(/\/(32|128)$/, '');
}

/** "10.180.0.1:80" or "[fd00::1]:80" → ip and port. */
export function splitHostPort(text: string): {ip: string; port: number} | null {
	const m = /^\[?([0-9a-fA-F.:]+?)\]?:(\d+)$/.exec(text);
	return m === null ? null : {ip: m[1]!, port: Number(m[2])};
}
