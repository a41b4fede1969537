// The /lab/ admin routes, served only to connections on the admin unix socket (see server.ts):
//   GET|POST /lab/faults (POST replaces the whole set), POST /lab/watches/cut[?graceful=true],
//   GET /lab/requests (counts + last 500 requests), GET /lab/store (resourceVersions, history size).
import type {IncomingMessage} from 'node:http';
import {failure, pathNotFound} from './api-status.js';
import {type LabApiFaults, parseFaults} from './lab-faults.js';
import type {ObjectStore} from './object-store.js';
import type {RequestStats} from './request-log.js';

/** What the admin routes act on: the API's faults, watches, request log and store. */
export interface AdminTarget {
	store: ObjectStore;
	faults(): LabApiFaults;
	setFaults(f: LabApiFaults): Promise<void>;
	cutWatches(graceful: boolean): number;
	requestStats(): RequestStats;
}

async function body(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString();
}

/** The answer to one admin request: an HTTP code and a JSON body. */
export async function adminAnswer(req: IncomingMessage, path: string, t: AdminTarget): Promise<{code: number; body: unknown}> {
	const method = req.method ?? '';
	if (path === '/lab/faults' && method === 'GET') return {code: 200, body: t.faults()};

	if (path === '/lab/faults' && (method === 'POST' || method === 'PUT')) {
		let raw: unknown;
		try {
			raw = JSON.parse((await body(req)) || '{}');
		} catch {
			return {code: 400, body: failure(400, 'BadRequest', 'faults: body is not JSON')};
		}

		const parsed = parseFaults(raw);
		if (typeof parsed === 'string') return {code: 400, body: failure(400, 'BadRequest', parsed)};
		await t.setFaults(parsed);
		return {code: 200, body: parsed};
	}

	if (path === '/lab/watches/cut' && method === 'POST') {
		const graceful = new URL(req.url ?? '/', 'http://lab').searchParams.get('graceful') === 'true';
		return {code: 200, body: {cut: t.cutWatches(graceful)}};
	}

	if (path === '/lab/requests' && method === 'GET') return {code: 200, body: t.requestStats()};

	if (path === '/lab/store' && method === 'GET') {
		return {code: 200, body: {resourceVersion: t.store.rv, floorResourceVersion: t.store.floorRV, history: t.store.history.length}};
	}

	return {code: 404, body: pathNotFound()};
}
