// The lab CLI's HTTPS client for its own API, with the lab's CA and admin token (the files `lab up`
// made in /run/k8snet-lab): `lab policy` writes networkpolicies the way kubectl does.
import {readFileSync} from 'node:fs';
import {request} from 'node:https';
import {join} from 'node:path';
import type {Result} from '../../core/types.js';
import {LAB_DIR} from '../lab-state.js';
import {runningLab} from '../running-lab.js';

export interface LabApiAnswer {
	status: number;
	body: unknown;
}

export async function labApiCall(method: string, path: string, body?: unknown): Promise<Result<LabApiAnswer>> {
	const lab = runningLab();
	if (lab === null || lab.apiServer === '') return {ok: false, reason: 'no lab is up', hint: 'k8snet-tui lab up'};
	let ca: string;
	let token: string;
	try {
		ca = readFileSync(join(LAB_DIR, 'api-ca.crt'), 'utf8');
		token = readFileSync(join(LAB_DIR, 'api-token'), 'utf8').trim();
	} catch (error) {
		return {ok: false, reason: `cannot read the lab API's credentials: ${(error as Error).message}`, hint: 'run it as root, on the host that runs the lab'};
	}

	const payload = body === undefined ? undefined : JSON.stringify(body);
	return new Promise(resolve => {
		const req = request(
			`${lab.apiServer}${path}`,
			{method, ca, timeout: 10_000, headers: {authorization: `Bearer ${token}`, accept: 'application/json', ...(payload ? {'content-type': 'application/json'} : {})}},
			res => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString();
					let parsed: unknown = text;
					try {
						parsed = JSON.parse(text);
					} catch {
						// A non-JSON answer is kept as text for the message.
					}

					resolve({ok: true, value: {status: res.statusCode ?? 0, body: parsed}});
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
		req.on('error', error => resolve({ok: false, reason: `cannot reach the lab API at ${lab.apiServer}: ${error.message}`, hint: 'k8snet-tui lab up restarts a dead API daemon'}));
		req.end(payload);
	});
}

/** The message of a v1 Status answer, or the text. */
export function answerMessage(a: LabApiAnswer): string {
	const m = (a.body as {message?: unknown} | null)?.message;
	return typeof m === 'string' ? m : `HTTP ${a.status}`;
}
