// `lab policy apply FILE.yaml | delete NS/NAME | list`: NetworkPolicies into and out of the lab
// API, as `kubectl apply` / `delete` / `get netpol -A` would do them. Each document of FILE is
// checked before anything is sent; the API's own validation has the last word.
import {readFileSync} from 'node:fs';
import yaml from 'js-yaml';
import {displayText} from '../../core/display-text.js';
import type {Result} from '../../core/types.js';
import {parsePodArg} from '../lab-options.js';
import {answerMessage, labApiCall} from './lab-api-client.js';

export const POLICY_USAGE = 'usage: k8snet-tui lab policy apply FILE.yaml | delete NS/NAME | list';

const BASE = '/apis/networking.k8s.io/v1';

interface Doc {
	namespace: string;
	name: string;
	object: Record<string, unknown>;
}

/** The NetworkPolicies of a multi-document YAML text, or the first reason one is not. */
export function policyDocuments(text: string, file: string): Result<Doc[]> {
	let docs: unknown[];
	try {
		docs = yaml.loadAll(text).filter(d => d !== null && d !== undefined);
	} catch (error) {
		const e = error as {mark?: {line: number}; reason?: string};
		return {ok: false, reason: `${file}: not YAML${e.mark ? ` (line ${e.mark.line + 1}: ${e.reason ?? ''})` : ''}`, hint: 'check the indentation; documents are separated by ---'};
	}

	if (docs.length === 0) return {ok: false, reason: `${file}: no documents`, hint: 'it should hold one or more NetworkPolicy objects'};
	const out: Doc[] = [];
	for (const [i, d] of docs.entries()) {
		const o = d as Record<string, any>;
		const where = `${file}: document ${i + 1}`;
		if (typeof o !== 'object' || Array.isArray(o) || o['kind'] !== 'NetworkPolicy' || o['apiVersion'] !== 'networking.k8s.io/v1') {
			return {ok: false, reason: `${where} is not a networking.k8s.io/v1 NetworkPolicy`, hint: 'lab policy applies NetworkPolicies only'};
		}

		const meta = (o['metadata'] ?? {}) as Record<string, unknown>;
		const namespace = meta['namespace'] ?? 'default';
		if (typeof meta['name'] !== 'string' || typeof namespace !== 'string') return {ok: false, reason: `${where} has no metadata.name (or a namespace that is not text)`, hint: 'quote names YAML reads as other types, e.g. namespace: "y"'};
		out.push({namespace, name: meta['name'], object: {...o, metadata: {...meta, namespace}}});
	}

	return {ok: true, value: out};
}

async function applyOne(d: Doc): Promise<Result<string>> {
	const path = `${BASE}/namespaces/${encodeURIComponent(d.namespace)}/networkpolicies`;
	const current = await labApiCall('GET', `${path}/${encodeURIComponent(d.name)}`);
	if (!current.ok) return current;
	const exists = current.value.status === 200;
	const rv = exists ? (current.value.body as {metadata?: {resourceVersion?: string}}).metadata?.resourceVersion : undefined;
	const r = exists ? await labApiCall('PUT', `${path}/${encodeURIComponent(d.name)}`, {...d.object, metadata: {...(d.object['metadata'] as object), resourceVersion: rv}}) : await labApiCall('POST', path, d.object);
	if (!r.ok) return r;
	if (r.value.status !== 200 && r.value.status !== 201) return {ok: false, reason: `${d.namespace}/${d.name}: ${answerMessage(r.value)}`, hint: 'fix the policy and apply again'};
	return {ok: true, value: `networkpolicy ${d.namespace}/${d.name} ${exists ? 'configured' : 'created'}`};
}

async function apply(file: string | undefined): Promise<Result<string[]>> {
	if (file === undefined) return {ok: false, reason: 'apply needs a FILE', hint: POLICY_USAGE};
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		return {ok: false, reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, hint: 'give the path of a YAML file'};
	}

	const docs = policyDocuments(text, file);
	if (!docs.ok) return docs;
	const lines: string[] = [];
	for (const d of docs.value) {
		const r = await applyOne(d);
		if (!r.ok) return {ok: false, reason: [...lines, r.reason].join('; '), hint: r.hint};
		lines.push(r.value);
	}

	return {ok: true, value: lines};
}

async function remove(arg: string | undefined): Promise<Result<string[]>> {
	const ref = parsePodArg(arg);
	if (!ref.ok) return {ok: false, reason: `expected NS/NAME, got '${arg ?? ''}'`, hint: 'e.g. k8snet-tui lab policy delete x/deny-all'};
	const {namespace, name} = ref.value;
	const r = await labApiCall('DELETE', `${BASE}/namespaces/${namespace}/networkpolicies/${name}`);
	if (!r.ok) return r;
	if (r.value.status !== 200) return {ok: false, reason: answerMessage(r.value), hint: 'k8snet-tui lab policy list'};
	return {ok: true, value: [`networkpolicy ${namespace}/${name} deleted`]};
}

async function list(): Promise<Result<string[]>> {
	const r = await labApiCall('GET', `${BASE}/networkpolicies`);
	if (!r.ok) return r;
	if (r.value.status !== 200) return {ok: false, reason: answerMessage(r.value), hint: 'k8snet-tui lab status'};
	const items = ((r.value.body as {items?: Array<{metadata: {namespace: string; name: string}}>}).items ?? []).map(p => `${p.metadata.namespace}/${p.metadata.name}`);
	return {ok: true, value: items.length === 0 ? ['no networkpolicies'] : items};
}

export async function policyCommand(args: string[]): Promise<number> {
	const [verb, arg, ...extra] = args;
	const run = verb === 'apply' ? apply : verb === 'delete' ? remove : verb === 'list' ? list : null;
	if (run === null || extra.length > 0 || (verb === 'list' && arg !== undefined)) {
		console.error(POLICY_USAGE);
		return 1;
	}

	const r = await run(arg);
	if (!r.ok) {
		console.error(displayText(`lab policy ${verb}: ${r.reason} (${r.hint})`));
		return 1;
	}

	for (const line of r.value) console.log(displayText(line));
	return 0;
}
