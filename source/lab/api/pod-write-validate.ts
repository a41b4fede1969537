// A posted Pod → the created pod's record, or the Status a real apiserver gives for the same body.
// Pure. The lab runs a created pod by running its command in its node's network namespace, so it
// refuses, with the reason, what it cannot run honestly: a pod network of its own, several containers.
import {randomBytes, randomUUID} from 'node:crypto';
import {type Status, badRequest, failure} from './api-status.js';
import type {CreatedPodRecord} from './created-pods-object.js';

export interface WriteContext {
	/** The namespace in the request path. */
	namespace: string;
	namespaceExists(name: string): boolean;
	podExists(namespace: string, name: string): boolean;
	/** The lab node of that name: its InternalIP, or null when there is none. */
	nodeIP(name: string): string | null;
	/** The node a pod without spec.nodeName is scheduled on. */
	defaultNode: string;
	now: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(s => typeof s === 'string');
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** 422 Invalid with the one cause kubectl prints ("The Pod "x" is invalid: FIELD: WHY"). */
function invalid(name: string, field: string, why: string): Status {
	const reason = why.startsWith('Required') ? 'FieldValueRequired' : why.startsWith('Unsupported') ? 'FieldValueNotSupported' : why.startsWith('Not found') ? 'FieldValueNotFound' : 'FieldValueInvalid';
	return failure(422, 'Invalid', `Pod "${name}" is invalid: ${field}: ${why}`, {name, kind: 'Pod', causes: [{reason, message: why, field}]});
}

function stringMap(v: unknown): Record<string, string> {
	if (!isObj(v)) return {};
	return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** A 5-character suffix from the apiserver's alphabet (no vowels, no 0 1 3: no words, no look-alikes). */
export function nameSuffix(): string {
	const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
	return [...randomBytes(5)].map(b => alphabet[b % alphabet.length]).join('');
}

function imagePullPolicy(image: string): string {
	const tag = image.includes('@') ? null : /:([^/:]+)$/.exec(image)?.[1];
	return image.includes('@') || (tag && tag !== 'latest') ? 'IfNotPresent' : 'Always';
}

/** What to run: the first container's command and args (no image can be pulled, so no entrypoint is known). */
export function podArgv(spec: Obj): string[] {
	const c = (spec['containers'] as Obj[])[0]!;
	return [...((c['command'] as string[] | undefined) ?? []), ...((c['args'] as string[] | undefined) ?? [])];
}

export function validatePodCreate(body: unknown, ctx: WriteContext): {ok: true; record: CreatedPodRecord} | {ok: false; status: Status} {
	const fail = (status: Status) => ({ok: false as const, status});
	if (!isObj(body) || body['kind'] !== 'Pod' || !isObj(body['metadata']) || !isObj(body['spec'])) return fail(badRequest('the body must be a v1 Pod with metadata and spec'));
	const meta = body['metadata'];
	const spec: Obj = {...body['spec']};
	if (meta['namespace'] !== undefined && meta['namespace'] !== ctx.namespace) {
		return fail(badRequest('the namespace of the provided object does not match the namespace sent on the request'));
	}

	let name = typeof meta['name'] === 'string' ? meta['name'] : '';
	if (name === '' && typeof meta['generateName'] === 'string' && meta['generateName'] !== '') name = `${meta['generateName']}${nameSuffix()}`;
	if (name === '') return fail(invalid('', 'metadata.name', 'Required value: name or generateName is required'));
	if (name.length > 253 || !NAME.test(name)) return fail(invalid(name, 'metadata.name', `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`));
	if (!ctx.namespaceExists(ctx.namespace)) return fail(failure(404, 'NotFound', `namespaces "${ctx.namespace}" not found`, {name: ctx.namespace, kind: 'namespaces'}));
	if (ctx.podExists(ctx.namespace, name)) return fail(failure(409, 'AlreadyExists', `pods "${name}" already exists`, {name, kind: 'pods'}));

	const containers = spec['containers'];
	if (!Array.isArray(containers) || containers.length === 0) return fail(invalid(name, 'spec.containers', 'Required value'));
	if (containers.length > 1) return fail(invalid(name, 'spec.containers', 'Too many: the lab runs one container per created pod'));
	const c = containers[0] as unknown;
	if (!isObj(c) || typeof c['name'] !== 'string' || c['name'] === '') return fail(invalid(name, 'spec.containers[0].name', 'Required value'));
	if (typeof c['image'] !== 'string' || c['image'] === '') return fail(invalid(name, 'spec.containers[0].image', 'Required value'));
	for (const f of ['command', 'args'] as const) {
		if (c[f] !== undefined && !isStrings(c[f])) return fail(invalid(name, `spec.containers[0].${f}`, 'Invalid value: must be a list of strings'));
	}

	if (spec['hostNetwork'] !== true) {
		return fail(invalid(name, 'spec.hostNetwork', "Unsupported value: false: the lab runs a created pod in its node's network namespace, so it creates hostNetwork pods only"));
	}

	const nodeName = typeof spec['nodeName'] === 'string' && spec['nodeName'] !== '' ? spec['nodeName'] : ctx.defaultNode;
	const hostIP = ctx.nodeIP(nodeName);
	if (hostIP === null) return fail(invalid(name, 'spec.nodeName', `Not found: "${nodeName}": the lab has no such node`));

	const image = c['image'];
	spec['containers'] = [
		{terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: imagePullPolicy(image), resources: {}, ...c},
	];
	const record: CreatedPodRecord = {
		namespace: ctx.namespace,
		name,
		uid: randomUUID(),
		createdAt: ctx.now,
		labels: stringMap(meta['labels']),
		annotations: stringMap(meta['annotations']),
		spec: {
			restartPolicy: 'Always',
			terminationGracePeriodSeconds: 30,
			dnsPolicy: 'ClusterFirstWithHostNet',
			serviceAccountName: 'default',
			securityContext: {},
			schedulerName: 'default-scheduler',
			priority: 0,
			enableServiceLinks: true,
			preemptionPolicy: 'PreemptLowerPriority',
			...spec,
			nodeName,
		},
		hostIP,
		phase: 'Pending',
		waiting: {reason: 'ContainerCreating'},
		startedAt: null,
		finishedAt: null,
		exitCode: null,
		reason: null,
		message: null,
	};
	return {ok: true, record};
}
