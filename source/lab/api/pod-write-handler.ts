// POST /api/v1/namespaces/NS/pods and DELETE /api/v1/namespaces/NS/pods/NAME: the writes the agent
// pod needs. Get, list and watch of created pods need nothing here: the store serves them with the
// lab's own pods. Faults: forbidPods (RBAC), podSecurity (baseline admission), imagePull.
import type {IncomingMessage} from 'node:http';
import {type Status, badRequest, failure, forbidden, notFound} from './api-status.js';
import type {CreatedPods} from './created-pods.js';
import {apiTimestamp} from './kube-objects.js';
import type {LabApiFaults} from './lab-faults.js';
import type {ObjectStore} from './object-store.js';
import {podSecurityRejection} from './pod-write-security.js';
import {validatePodCreate} from './pod-write-validate.js';

export type PodWrite = {verb: 'create'; namespace: string} | {verb: 'delete'; namespace: string; name: string};

export interface PodWriteTarget {
	store: ObjectStore;
	created: CreatedPods;
	/** The lab node of that name: its InternalIP, or null. */
	nodeIP(name: string): string | null;
	defaultNode(): string;
	user: string;
}

const SEGMENT = /^[^/]+$/;

/** The write a request asks for, or null when it is none of ours. */
export function podWriteRoute(method: string, path: string): PodWrite | null {
	const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/.exec(path);
	if (!m || !SEGMENT.test(m[1]!)) return null;
	const namespace = decodeURIComponent(m[1]!);
	if (method === 'POST' && m[2] === undefined) return {verb: 'create', namespace};
	if (method === 'DELETE' && m[2] !== undefined) return {verb: 'delete', namespace, name: decodeURIComponent(m[2])};
	return null;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function statusAnswer(s: Status): {code: number; body: string} {
	return {code: s.code, body: JSON.stringify(s)};
}

export async function answerPodWrite(req: IncomingMessage, w: PodWrite, t: PodWriteTarget, faults: LabApiFaults): Promise<{code: number; body: string}> {
	if (faults.forbidPods) return statusAnswer(forbidden(t.user, w.verb, 'pods', w.namespace, w.verb === 'delete' ? w.name : null));
	if (w.verb === 'delete') {
		// Only created pods can go: the lab's own pods are the kernel's, and `lab pod` manages them.
		const key = `${w.namespace}/${w.name}`;
		if (!t.created.has(w.namespace, w.name)) {
			return statusAnswer(t.store.get('pods', key) ? failure(405, 'MethodNotAllowed', `pods "${w.name}": the lab's own pods are deleted with \`k8snet-tui lab pod\`, not through the API`) : notFound('pods', w.name));
		}

		const before = t.store.get('pods', key)!;
		t.created.delete(w.namespace, w.name);
		return {code: 200, body: before.json};
	}

	let body: unknown;
	try {
		body = JSON.parse(await readBody(req));
	} catch {
		return statusAnswer(badRequest('the request body is not JSON'));
	}

	const v = validatePodCreate(body, {
		namespace: w.namespace,
		namespaceExists: ns => t.store.get('namespaces', ns) !== undefined,
		podExists: (ns, name) => t.store.get('pods', `${ns}/${name}`) !== undefined,
		nodeIP: t.nodeIP,
		defaultNode: t.defaultNode(),
		now: apiTimestamp(new Date().toISOString()),
	});
	if (!v.ok) return statusAnswer(v.status);
	if (faults.podSecurity) {
		const rejection = podSecurityRejection(v.record.name, v.record.spec);
		if (rejection) return statusAnswer(rejection);
	}

	t.created.create(v.record, faults.imagePull === true);
	const entry = t.store.get('pods', `${w.namespace}/${v.record.name}`);
	return entry ? {code: 201, body: entry.json} : statusAnswer(failure(500, 'InternalError', 'Internal error occurred: the created pod did not reach the store'));
}
