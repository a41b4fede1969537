// GET requests to the API server over node:http(s). client-node's KubeConfig only supplies the
// agent (CA, client cert, proxy) and headers (token, exec plugin, auth provider); decoding is ours,
// so a 10,000-pod list never becomes client-node's typed objects (0.9 s, +125 MB here).
import http from 'node:http';
import https from 'node:https';
import type {KubeTarget} from './kube-target.js';
import {failureFromNetworkError, failureFromStatus, type ApiFailure, type RequestContext} from './api-errors.js';

export type ApiResult<T> = {ok: true; value: T} | ApiFailure;

/** verb/resource/namespace/name of the request, for error messages. */
export type RequestWhat = Omit<RequestContext, 'server' | 'context' | 'user'>;

interface Prepared {
	url: URL;
	options: https.RequestOptions;
}

/** client-node throws while building the agent and headers: say which kubeconfig entry is wrong. */
function credentialsFailure(t: KubeTarget, error: unknown): {reason: string; hint: string} {
	const err = error as NodeJS.ErrnoException & {path?: string};
	const message = String(err?.message ?? error).split('\n')[0]!;
	if (/HTTP protocol is not allowed/.test(message)) {
		return {
			reason: `the server of context "${t.context}" is plain ${t.server}, which is refused without insecure-skip-tls-verify`,
			hint: 'use the https:// address, or set insecure-skip-tls-verify: true on that cluster (throwaway clusters only)',
		};
	}

	if (err?.code === 'ENOENT' || err?.code === 'EACCES') {
		return {
			reason: `context "${t.context}": cannot read ${err.path ?? 'a file the kubeconfig names'} (${err.code === 'ENOENT' ? 'no such file' : 'permission denied'})`,
			hint: 'fix certificate-authority / client-certificate / client-key / token-file in the kubeconfig',
		};
	}

	return {
		reason: `cannot set up the credentials of context "${t.context}": ${message}`,
		hint: 'check the user entry of the kubeconfig (exec plugin, auth provider, certificates)',
	};
}

// client-node builds a new agent on every call, so each request paid a TCP connect and a TLS
// handshake. One pair of agents per target lets a session reuse what it can: requests share one
// kept-alive connection (idle sockets never hold the process open); a watch holds a connection of
// its own for its whole life, so its agent does not keep sockets, but it resumes TLS sessions when
// a watch reconnects. Kept-alive sockets would also outlive a watch aborted mid-answer, and error
// with no request left to hear it. Tokens and exec-plugin credentials still come fresh with every
// request's headers.
type AgentUse = 'request' | 'watch';
const agents = new WeakMap<KubeTarget, Record<AgentUse, http.Agent | undefined>>();

function newAgents(t: KubeTarget, options: https.RequestOptions): Record<AgentUse, http.Agent | undefined> {
	// A proxy agent (socks, http(s) proxy) manages its own connections: keep client-node's.
	if (t.kc.getCurrentCluster()?.proxyUrl) {
		const agent = options.agent instanceof http.Agent ? options.agent : undefined;
		return {request: agent, watch: agent};
	}

	const make = (keepAlive: boolean) =>
		t.server.startsWith('http:')
			? new http.Agent({keepAlive})
			: new https.Agent({
				keepAlive,
				ca: options.ca,
				cert: options.cert,
				key: options.key,
				pfx: options.pfx,
				passphrase: options.passphrase,
				rejectUnauthorized: options.rejectUnauthorized,
				servername: options.servername,
			});
	return {request: make(true), watch: make(false)};
}

function agentFor(t: KubeTarget, options: https.RequestOptions, use: AgentUse): http.Agent | undefined {
	let kept = agents.get(t);
	if (kept === undefined) {
		kept = newAgents(t, options);
		agents.set(t, kept);
	}

	return kept[use];
}

async function prepare(t: KubeTarget, path: string, use: AgentUse): Promise<ApiResult<Prepared>> {
	const options: https.RequestOptions = {};
	try {
		await t.kc.applyToHTTPSOptions(options);
	} catch (error) {
		return {ok: false, kind: 'config', ...credentialsFailure(t, error)};
	}

	options.agent = agentFor(t, options, use);

	// Token files often end in a newline, which client-node passes on and Node refuses in a header;
	// kubectl trims them too.
	const headers: Record<string, string> = {Accept: 'application/json'};
	for (const [k, v] of Object.entries(options.headers ?? {})) if (v !== undefined) headers[k] = String(v).trim();
	return {ok: true, value: {url: new URL(t.server + path), options: {...options, method: 'GET', headers}}};
}

function requestContext(t: KubeTarget, what: RequestWhat): RequestContext {
	return {server: t.server, context: t.context, user: t.user, ...what};
}

function send(p: Prepared, signal: AbortSignal | undefined): http.ClientRequest {
	const mod = p.url.protocol === 'http:' ? http : https;
	return mod.request(p.url, {...p.options, signal});
}

/** http.request throws at once on options it refuses (a header with a bad character, ...). */
function badRequestOptions(t: KubeTarget, error: unknown): ApiFailure {
	return {
		ok: false,
		kind: 'config',
		reason: `cannot build a request for context "${t.context}": ${String((error as Error)?.message ?? error).split('\n')[0]}`,
		hint: 'check the user entry of the kubeconfig (token, headers, exec plugin output)',
	};
}

function readBody(res: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		let body = '';
		res.setEncoding('utf8');
		res.on('data', (c: string) => (body += c));
		res.on('end', () => resolve(body));
		res.on('error', reject);
		res.on('aborted', () => reject(Object.assign(new Error('connection closed mid-answer'), {code: 'ECONNRESET'})));
	});
}

function timeoutError(): Error {
	return Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'});
}

/** One GET, parsed as JSON (or by `parse`); the whole answer must arrive within timeoutMs. */
export async function getJson(
	t: KubeTarget,
	path: string,
	what: RequestWhat,
	o: {timeoutMs?: number; signal?: AbortSignal; parse?: (body: string) => unknown} = {},
): Promise<ApiResult<unknown>> {
	const prepared = await prepare(t, path, 'request');
	if (!prepared.ok) return prepared;
	const ctx = requestContext(t, what);
	return new Promise(resolve => {
		let req: http.ClientRequest;
		try {
			req = send(prepared.value, o.signal);
		} catch (error) {
			resolve(badRequestOptions(t, error));
			return;
		}

		const timer = setTimeout(() => req.destroy(timeoutError()), o.timeoutMs ?? 15_000);
		const done = (r: ApiResult<unknown>) => {
			clearTimeout(timer);
			resolve(r);
		};

		req.on('error', error => done(failureFromNetworkError(error, ctx)));
		req.on('response', res => {
			readBody(res).then(
				body => {
					const status = res.statusCode ?? 0;
					if (status < 200 || status > 299) {
						done(failureFromStatus(status, body, ctx));
						return;
					}

					try {
						done({ok: true, value: (o.parse ?? JSON.parse)(body)});
					} catch {
						done({
							ok: false,
							kind: 'other',
							reason: `the API server ${t.server} answered with something that is not JSON`,
							hint: 'is the kubeconfig\'s server really a Kubernetes API server?',
						});
					}
				},
				(error: unknown) => done(failureFromNetworkError(error, ctx)),
			);
		});
		req.end();
	});
}

export interface StreamHandlers {
	/** The server accepted the watch (2xx headers arrived). */
	onOpen(): void;
	/** One parsed line of newline-delimited JSON. */
	onObject(obj: unknown): void;
	/** The stream is over: null when the server ended it cleanly, else why. Called once. */
	onEnd(failure: ApiFailure | null): void;
}

/**
 * A streaming GET (a watch): each line of the body is one JSON object. `connectTimeoutMs` bounds the
 * wait for headers; `idleTimeoutMs` drops a stream that went silent (a half-open connection).
 */
export function openStream(
	t: KubeTarget,
	path: string,
	what: RequestWhat,
	h: StreamHandlers,
	o: {connectTimeoutMs?: number; idleTimeoutMs?: number} = {},
): {abort(): void} {
	const controller = new AbortController();
	let ended = false;
	const end = (f: ApiFailure | null) => {
		if (ended) return;
		ended = true;
		h.onEnd(f);
	};

	const ctx = requestContext(t, what);
	void prepare(t, path, 'watch').then(prepared => {
		if (controller.signal.aborted) return;
		if (!prepared.ok) {
			end(prepared);
			return;
		}

		let req: http.ClientRequest;
		try {
			req = send(prepared.value, controller.signal);
		} catch (error) {
			end(badRequestOptions(t, error));
			return;
		}

		let timer = setTimeout(() => req.destroy(timeoutError()), o.connectTimeoutMs ?? 10_000);
		req.on('error', error => {
			clearTimeout(timer);
			if (!controller.signal.aborted) end(failureFromNetworkError(error, ctx));
		});
		req.on('response', res => {
			clearTimeout(timer);
			const status = res.statusCode ?? 0;
			if (status < 200 || status > 299) {
				readBody(res).then(
					body => end(failureFromStatus(status, body, ctx)),
					(error: unknown) => end(failureFromNetworkError(error, ctx)),
				);
				return;
			}

			h.onOpen();
			const idle = o.idleTimeoutMs ?? 0;
			const arm = () => {
				if (idle > 0) timer = setTimeout(() => req.destroy(timeoutError()), idle);
			};

			arm();
			res.setEncoding('utf8');
			let pending = '';
			res.on('data', (chunk: string) => {
				clearTimeout(timer);
				arm();
				pending += chunk;
				let start = 0;
				let nl: number;
				while ((nl = pending.indexOf('\n', start)) !== -1) {
					const line = pending.slice(start, nl).trim();
					start = nl + 1;
					if (line === '') continue;
					let obj: unknown;
					try {
						obj = JSON.parse(line);
					} catch {
						req.destroy();
						end({
							ok: false,
							kind: 'other',
							reason: `the API server ${t.server} sent a watch line that is not JSON`,
							hint: 'reconnecting',
						});
						return;
					}

					if (ended || controller.signal.aborted) return;
					try {
						h.onObject(obj);
					} catch (error) {
						req.destroy();
						end({ok: false, kind: 'other', reason: `internal error while handling a watch event: ${(error as Error)?.message ?? String(error)}`, hint: 'run with --debug for details'});
						return;
					}
				}

				pending = pending.slice(start);
			});
			res.on('end', () => {
				clearTimeout(timer);
				if (!controller.signal.aborted) end(null);
			});
			res.on('aborted', () => {
				clearTimeout(timer);
				if (!controller.signal.aborted) end(failureFromNetworkError(Object.assign(new Error('stream dropped'), {code: 'ECONNRESET'}), ctx));
			});
			res.on('error', error => {
				clearTimeout(timer);
				if (!controller.signal.aborted) end(failureFromNetworkError(error, ctx));
			});
		});
		req.end();
	});

	return {
		abort() {
			ended = true;
			controller.abort();
		},
	};
}

/** Query string from defined, non-empty values only. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
	const s = q.toString();
	return s === '' ? '' : `?${s}`;
}
