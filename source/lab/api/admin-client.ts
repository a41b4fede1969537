// Talks to the lab API's admin routes over its unix socket (the TCP port never serves them).
// Tests and the lab CLI use it to switch fault modes and read what clients asked for.
import {request} from 'node:http';
import type {RequestStats} from './request-log.js';
import type {LabApiFaults} from './lab-faults.js';

function call<T>(socket: string, method: string, path: string, body?: unknown): Promise<T> {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const req = request(
			{socketPath: socket, method, path, headers: payload ? {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)} : {}},
			res => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString();
					if (res.statusCode !== 200) {
						reject(new Error(`lab API ${method} ${path}: ${res.statusCode} ${text}`));
						return;
					}

					resolve(JSON.parse(text) as T);
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** Replaces the fault set: `{}` clears every fault. */
export async function setLabApiFaults(socket: string, faults: LabApiFaults): Promise<void> {
	await call(socket, 'POST', '/lab/faults', faults);
}

export async function getLabApiFaults(socket: string): Promise<LabApiFaults> {
	return call(socket, 'GET', '/lab/faults');
}

/**
 * Cuts every open watch stream now, as a network drop would; with graceful, ends them cleanly as
 * an apiserver's watch timeout does (clients then resume from their resourceVersion). Resolves to how many.
 */
export async function cutLabApiWatches(socket: string, o: {graceful?: boolean} = {}): Promise<number> {
	return (await call<{cut: number}>(socket, 'POST', `/lab/watches/cut${o.graceful ? '?graceful=true' : ''}`)).cut;
}

/** Counts and the last 500 requests, to prove e.g. that a client watched instead of re-listing. */
export async function getLabApiRequests(socket: string): Promise<RequestStats> {
	return call(socket, 'GET', '/lab/requests');
}
