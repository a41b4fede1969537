// The apiserver's validation of a NetworkPolicy (pkg/apis/networking/validation), the parts a
// client can get wrong: names, selectors, ports, protocols, ipBlocks, policyTypes. The first
// problem is answered as the apiserver words a 422 cause: `FIELD: what is wrong`.
import ipaddr from 'ipaddr.js';

type Any = Record<string, unknown>;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const isObject = (v: unknown): v is Any => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validName(name: unknown): string | null {
	if (typeof name !== 'string' || name === '') return 'metadata.name: Required value: name or generateName is required';
	if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
		return `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
	}

	return null;
}

function selectorProblem(s: unknown, field: string): string | null {
	if (s === undefined || s === null) return null;
	if (!isObject(s)) return `${field}: Invalid value: must be an object`;
	const labels = s['matchLabels'];
	if (labels !== undefined && labels !== null) {
		if (!isObject(labels)) return `${field}.matchLabels: Invalid value: must be a map of strings`;
		for (const [k, v] of Object.entries(labels)) if (typeof v !== 'string') return `${field}.matchLabels: Invalid value: "${k}": the value must be a string`;
	}

	const exprs = s['matchExpressions'];
	if (exprs === undefined || exprs === null) return null;
	if (!Array.isArray(exprs)) return `${field}.matchExpressions: Invalid value: must be a list`;
	for (const [i, e] of exprs.entries()) {
		const at = `${field}.matchExpressions[${i}]`;
		if (!isObject(e) || typeof e['key'] !== 'string' || e['key'] === '') return `${at}.key: Required value`;
		if (!OPERATORS.includes(String(e['operator']))) return `${at}.operator: Unsupported value: "${String(e['operator'])}": supported values: "In", "NotIn", "Exists", "DoesNotExist"`;
		const values = Array.isArray(e['values']) ? e['values'] : [];
		const setOp = e['operator'] === 'In' || e['operator'] === 'NotIn';
		if (setOp && values.length === 0) return `${at}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`;
		if (!setOp && values.length > 0) return `${at}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`;
	}

	return null;
}

function cidrProblem(cidr: unknown, at: string): string | null {
	if (typeof cidr !== 'string' || !ipaddr.isValidCIDR(cidr)) return `${at}: Invalid value: "${String(cidr)}": must be a valid CIDR (e.g. 10.0.0.0/16)`;
	return null;
}

function ipBlockProblem(b: Any, at: string): string | null {
	const bad = cidrProblem(b['cidr'], `${at}.cidr`);
	if (bad) return bad;
	const [net, len] = ipaddr.parseCIDR(b['cidr'] as string);
	const except = Array.isArray(b['except']) ? b['except'] : [];
	for (const [i, e] of except.entries()) {
		const badExcept = cidrProblem(e, `${at}.except[${i}]`);
		if (badExcept) return badExcept;
		const [eNet, eLen] = ipaddr.parseCIDR(e as string);
		if (eNet.kind() !== net.kind() || eLen <= len || !eNet.match(net, len)) return `${at}.except[${i}]: Invalid value: "${String(e)}": must be a strict subset of \`cidr\``;
	}

	return null;
}

function peerProblem(p: unknown, at: string): string | null {
	if (!isObject(p)) return `${at}: Invalid value: must be an object`;
	const selectors = ['podSelector', 'namespaceSelector'].filter(k => p[k] !== undefined && p[k] !== null);
	const block = p['ipBlock'];
	if (block !== undefined && block !== null) {
		if (selectors.length > 0) return `${at}: Forbidden: may not specify more than 1 peer type`;
		if (!isObject(block)) return `${at}.ipBlock: Invalid value: must be an object`;
		return ipBlockProblem(block, `${at}.ipBlock`);
	}

	if (selectors.length === 0) return `${at}: Required value: must specify a peer`;
	for (const k of selectors) {
		const bad = selectorProblem(p[k], `${at}.${k}`);
		if (bad) return bad;
	}

	return null;
}

function portProblem(p: unknown, at: string): string | null {
	if (!isObject(p)) return `${at}: Invalid value: must be an object`;
	if (p['protocol'] !== undefined && !PROTOCOLS.includes(String(p['protocol']))) return `${at}.protocol: Unsupported value: "${String(p['protocol'])}": supported values: "SCTP", "TCP", "UDP"`;
	const port = p['port'];
	const end = p['endPort'];
	if (typeof port === 'number' && (!Number.isInteger(port) || port < 1 || port > 65_535)) return `${at}.port: Invalid value: ${port}: must be between 1 and 65535, inclusive`;
	if (typeof port === 'string' && !PORT_NAME.test(port)) return `${at}.port: Invalid value: "${port}": must be an IANA_SVC_NAME (at most 15 characters, matching regex [a-z0-9]([a-z0-9-]*[a-z0-9])*)`;
	if (end === undefined || end === null) return null;
	if (typeof port !== 'number') return `${at}.endPort: Invalid value: ${String(end)}: may not be specified when \`port\` is non-numeric`;
	if (typeof end !== 'number' || !Number.isInteger(end) || end < port || end > 65_535) return `${at}.endPort: Invalid value: ${String(end)}: must be greater than or equal to \`port\``;
	return null;
}

function rulesProblem(rules: unknown, field: 'ingress' | 'egress'): string | null {
	if (rules === undefined || rules === null) return null;
	if (!Array.isArray(rules)) return `spec.${field}: Invalid value: must be a list`;
	const peers = field === 'ingress' ? 'from' : 'to';
	for (const [i, r] of rules.entries()) {
		const at = `spec.${field}[${i}]`;
		if (!isObject(r)) return `${at}: Invalid value: must be an object`;
		for (const [j, p] of (Array.isArray(r['ports']) ? r['ports'] : []).entries()) {
			const bad = portProblem(p, `${at}.ports[${j}]`);
			if (bad) return bad;
		}

		for (const [j, p] of (Array.isArray(r[peers]) ? r[peers] : []).entries()) {
			const bad = peerProblem(p, `${at}.${peers}[${j}]`);
			if (bad) return bad;
		}
	}

	return null;
}

/** The first problem of a NetworkPolicy's spec, or null when the apiserver would take it. */
export function specProblem(spec: unknown): string | null {
	if (spec === undefined || spec === null) return null;
	if (!isObject(spec)) return 'spec: Invalid value: must be an object';
	const bad = selectorProblem(spec['podSelector'], 'spec.podSelector') ?? rulesProblem(spec['ingress'], 'ingress') ?? rulesProblem(spec['egress'], 'egress');
	if (bad) return bad;
	const types = spec['policyTypes'];
	if (types === undefined || types === null) return null;
	if (!Array.isArray(types)) return 'spec.policyTypes: Invalid value: must be a list';
	for (const [i, t] of types.entries()) if (t !== 'Ingress' && t !== 'Egress') return `spec.policyTypes[${i}]: Unsupported value: "${String(t)}": supported values: "Ingress", "Egress"`;
	if (new Set(types).size !== types.length) return 'spec.policyTypes: Invalid value: duplicate policy types';
	return null;
}
