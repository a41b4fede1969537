// v1 Status objects worded as the apiserver words them, so clients parse and show the real thing.
import type {Resource} from './kube-objects.js';

export interface Status {
	kind: 'Status';
	apiVersion: 'v1';
	metadata: Record<string, never>;
	status: 'Failure';
	message: string;
	reason: string;
	details?: {name?: string; kind?: string; causes?: Array<{reason: string; message: string; field: string}>};
	code: number;
}

export function failure(code: number, reason: string, message: string, details?: Status['details']): Status {
	return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? {details} : {}), code};
}

export const unauthorized = (): Status => failure(401, 'Unauthorized', 'Unauthorized');

export function notFound(resource: Resource, name: string): Status {
	return failure(404, 'NotFound', `${resource} "${name}" not found`, {name, kind: resource});
}

export function pathNotFound(): Status {
	return failure(404, 'NotFound', 'the server could not find the requested resource');
}

export function forbidden(user: string, verb: string, resource: Resource, namespace: string | null, name: string | null): Status {
	const subject = name ? `${resource} "${name}"` : resource;
	const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
	return failure(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "" ${scope}`, {
		...(name ? {name} : {}),
		kind: resource,
	});
}

export const internalError = (why: string): Status => failure(500, 'InternalError', `Internal error occurred: ${why}`);

export function badRequest(message: string): Status {
	return failure(400, 'BadRequest', message);
}

export function methodNotAllowed(method: string): Status {
	return failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

/** What a watch from a compacted resourceVersion gets, as an ERROR event (code 410, reason Expired). */
export function tooOld(rv: number, floor: number): Status {
	return failure(410, 'Expired', `too old resource version: ${rv} (${floor})`);
}
