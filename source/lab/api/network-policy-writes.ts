// Create, update, patch and delete of networkpolicies, as the apiserver answers them: kubectl's
// `apply` (GET, then POST or a merge PATCH), `replace` (PUT) and `delete`. The created policies are
// the one set of objects clients write; `save` persists them and reloads the store, so the answer
// carries the resourceVersion watches see.
import {randomUUID} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {Route} from './api-routes.js';
import {type Status, badRequest, failure, notFound} from './api-status.js';
import {apiTimestamp, type KubeObject} from './kube-objects.js';
import type {ObjectStore} from './object-store.js';
import {specProblem, validName} from './network-policy-validate.js';

export interface PolicyWriter {
	store: ObjectStore;
	/** Makes `objects` the created policies: persisted first, then served. */
	save(objects: KubeObject[]): void;
}

export type WriteAnswer = {code: number; body: string} | Status;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_BODY = 1 << 20;
const GROUP = 'networking.k8s.io';

export function isPolicyWrite(method: string | undefined, route: Route | null): route is Route {
	return route !== null && route.resource === 'networkpolicies' && route.verb !== 'watch' && WRITE_METHODS.has(method ?? '');
}

function readBody(req: IncomingMessage): Promise<string | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > MAX_BODY) {
				resolve(null);
				req.destroy();
			} else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString()));
		req.on('error', reject);
	});
}

/** 422 with the cause split into field and message, which is what kubectl prints. */
function invalid(name: string, cause: string): WriteAnswer {
	const at = cause.indexOf(': ');
	const details = {name, group: GROUP, kind: 'NetworkPolicy', causes: [{reason: 'FieldValueInvalid', field: cause.slice(0, at), message: cause.slice(at + 2)}]};
	return {code: 422, body: JSON.stringify({...failure(422, 'Invalid', `NetworkPolicy.${GROUP} "${name}" is invalid: ${cause}`), details})};
}

const policyNotFound = (name: string) => ({...notFound('networkpolicies', name), message: `networkpolicies.${GROUP} "${name}" not found`});

/** RFC 7386, which for NetworkPolicy is what a strategic merge patch does too: its lists carry no merge keys. */
function mergePatch(target: unknown, patch: unknown): unknown {
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
	const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? {...(target as Record<string, unknown>)} : {};
	for (const [k, v] of Object.entries(patch)) {
		if (k.startsWith('$')) continue;
		if (v === null) delete out[k];
		else out[k] = mergePatch(out[k], v);
	}

	return out;
}

/** The object as stored: what the client may set, plus the fields the server owns. */
function stored(body: Record<string, any>, namespace: string, owned: {uid: string; creationTimestamp: string; generation: number}): KubeObject {
	const meta = (body['metadata'] ?? {}) as Record<string, unknown>;
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'NetworkPolicy',
		metadata: {
			name: String(meta['name']),
			namespace,
			...owned,
			...(meta['labels'] ? {labels: meta['labels'] as Record<string, string>} : {}),
			...(meta['annotations'] ? {annotations: meta['annotations']} : {}),
		},
		spec: {podSelector: {}, ...(body['spec'] ?? {})},
	};
}

function checked(body: unknown, namespace: string, name: string | null): {ok: true; body: Record<string, any>} | {ok: false; status: WriteAnswer} {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return {ok: false, status: badRequest('the request body is not a JSON object')};
	const o = body as Record<string, any>;
	if (o['kind'] !== undefined && o['kind'] !== 'NetworkPolicy') return {ok: false, status: badRequest(`the body is a ${String(o['kind'])}, not a NetworkPolicy`)};
	const meta = (o['metadata'] ?? {}) as Record<string, unknown>;
	if (meta['namespace'] !== undefined && meta['namespace'] !== namespace) {
		return {ok: false, status: badRequest('the namespace of the provided object does not match the namespace sent on the request')};
	}

	if (name !== null && meta['name'] !== undefined && meta['name'] !== name) {
		return {ok: false, status: badRequest(`the name of the object (${String(meta['name'])}) does not match the name on the URL (${name})`)};
	}

	const objectName = String(meta['name'] ?? name ?? '');
	const bad = validName(meta['name'] ?? name ?? undefined) ?? specProblem(o['spec']);
	if (bad) return {ok: false, status: invalid(objectName, bad)};
	return {ok: true, body: {...o, metadata: {...meta, name: objectName}}};
}

export async function writeNetworkPolicy(req: IncomingMessage, route: Route, w: PolicyWriter): Promise<WriteAnswer> {
	const namespace = route.namespace;
	if (namespace === null) return failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${req.method ?? ''})`);
	if (!w.store.get('namespaces', namespace)) return {...notFound('namespaces', namespace), message: `namespaces "${namespace}" not found`};
	const current = w.store.list('networkpolicies').map(e => e.source);
	const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
	const existing = route.name === null ? undefined : w.store.get('networkpolicies', `${namespace}/${route.name}`);
	const answer = (k: string, code: number): WriteAnswer => ({code, body: w.store.get('networkpolicies', k)!.json});

	if (req.method === 'DELETE') {
		if (!existing) return policyNotFound(route.name!);
		w.save(current.filter(o => key(o) !== existing.key));
		const details = {name: route.name, group: GROUP, kind: 'networkpolicies', uid: existing.uid};
		return {code: 200, body: JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details})};
	}

	const text = await readBody(req);
	if (text === null) return failure(413, 'RequestEntityTooLarge', 'the request is too large');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return badRequest('the request body is not valid JSON');
	}

	if (req.method === 'POST') {
		if (route.name !== null) return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource (POST)');
		const c = checked(parsed, namespace, null);
		if (!c.ok) return c.status;
		const k = `${namespace}/${c.body['metadata'].name as string}`;
		if (w.store.get('networkpolicies', k)) {
			return {...failure(409, 'AlreadyExists', `networkpolicies.${GROUP} "${c.body['metadata'].name as string}" already exists`), details: {name: c.body['metadata'].name as string, kind: 'networkpolicies'}};
		}

		const object = stored(c.body, namespace, {uid: randomUUID(), creationTimestamp: apiTimestamp(new Date().toISOString()), generation: 1});
		w.save([...current, object]);
		return answer(k, 201);
	}

	if (!existing) return policyNotFound(route.name!);
	const contentType = req.headers['content-type'] ?? '';
	if (req.method === 'PATCH' && !/merge-patch\+json/.test(contentType)) {
		return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType})`);
	}

	const wanted = req.method === 'PATCH' ? mergePatch(existing.object, parsed) : parsed;
	const c = checked(wanted, namespace, route.name);
	if (!c.ok) return c.status;
	const rv = (c.body['metadata'] as Record<string, unknown>)['resourceVersion'];
	if (req.method === 'PUT' && rv !== undefined && rv !== String(existing.rv)) {
		return failure(409, 'Conflict', `Operation cannot be fulfilled on networkpolicies.${GROUP} "${route.name}": the object has been modified; please apply your changes to the latest version and try again`);
	}

	const before = existing.source;
	const sameSpec = JSON.stringify(before['spec']) === JSON.stringify(stored(c.body, namespace, {uid: '', creationTimestamp: '', generation: 0})['spec']);
	const generation = Number(before.metadata['generation'] ?? 1) + (sameSpec ? 0 : 1);
	const object = stored(c.body, namespace, {uid: existing.uid, creationTimestamp: before.metadata.creationTimestamp, generation});
	w.save(current.map(o => (key(o) === existing.key ? object : o)));
	return answer(existing.key, 200);
}
