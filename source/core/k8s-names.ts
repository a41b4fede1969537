// Names the API accepts, checked before they reach a request: a namespace is an RFC 1123 label.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function isDnsLabel(s: string): boolean {
	return DNS_LABEL.test(s);
}
