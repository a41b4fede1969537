// The lab API's request flow: admin routes only on the admin door, then fault modes, health,
// auth, discovery, and get / list / watch of pods, nodes and namespaces. Each of those lives in
// its own module; this one decides which runs, and logs what each request was answered.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import {adminAnswer} from './admin-routes.js';
import {bearerMatches} from './api-auth.js';
import {TABLE_TYPE, includeObject, send, sendStatus, wantsTable} from './api-reply.js';
import {type ExecTarget, execForbidden, execRoute, refuseUpgrade, serveExec} from './exec-upgrade.js';
import {type PodWriteTarget, answerPodWrite, podWriteRoute} from './pod-write-handler.js';
import {DISCOVERY_PATHS, HEALTH_PATHS, type Route, discovery, parseRoute, requestFilter} from './api-routes.js';
import {type Status, badRequest, forbidden, internalError, methodNotAllowed, notFound, pathNotFound, unauthorized} from './api-status.js';
import type {KubeObject} from './kube-objects.js';
import {FaultState, type LabApiFaults} from './lab-faults.js';
import {isPolicyWrite, writeNetworkPolicy} from './network-policy-writes.js';
import {ListPages} from './list-pages.js';
import type {ObjectStore} from './object-store.js';
import {tableJson} from './object-tables.js';
import {RequestLog, type RequestStats, type RequestVerb} from './request-log.js';
import {WatchStreams} from './watch-streams.js';

export const LAB_API_USER = 'k8snet-lab-admin';

export interface LabApiOptions {
	store: ObjectStore;
	token: string;
	/** host:port for /api's serverAddressByClientCIDRs. */
	serverAddress(): string;
	/** How often a watch that asked for bookmarks gets one. */
	bookmarkMs?: number;
	/** Faults that live outside the handler (the TLS certificate) are applied here. */
	applyFaults?(f: LabApiFaults): Promise<void>;
	/** Persists the networkpolicies clients wrote and reloads the store; without it they are read-only. */
	savePolicies?(objects: KubeObject[]): void;
	/** Pod create and delete (the agent pod's); absent: the API is read-only. */
	podWrites?: Omit<PodWriteTarget, 'user'>;
	/** Where pods/exec runs; absent: no exec. */
	exec?: ExecTarget;
}

const delay = (ms: number) => new Promise(r => setTimeout(r, ms));

export class LabApi {
	private readonly faults = new FaultState();
	private readonly watches: WatchStreams;
	private readonly lists: ListPages;
	private readonly log = new RequestLog();

	constructor(private readonly o: LabApiOptions) {
		this.watches = new WatchStreams(o.store, o.bookmarkMs ?? 10_000);
		this.lists = new ListPages(o.store);
	}

	get currentFaults(): LabApiFaults {
		return this.faults.current;
	}

	async setFaults(f: LabApiFaults): Promise<void> {
		await this.o.applyFaults?.(f);
		this.faults.replace(f);
		if (f.dropAfter === 0) this.cutWatches();
	}

	/**
	 * Cuts every open watch stream mid-stream, as a dropped connection would; or, graceful, ends them
	 * cleanly as the apiserver does at a watch timeout. Returns how many.
	 */
	cutWatches(graceful = false): number {
		return this.watches.cut(graceful);
	}

	requestStats(): RequestStats {
		return this.log.stats(this.watches.size);
	}

	/** The request listener. `admin`: this connection came in on the admin unix socket. */
	handle(req: IncomingMessage, res: ServerResponse, admin: boolean): void {
		this.dispatch(req, res, admin).catch((error: unknown) => {
			if (!res.headersSent) sendStatus(res, internalError(String(error)));
			else res.destroy();
		});
	}

	private async dispatch(req: IncomingMessage, res: ServerResponse, admin: boolean): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://lab');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		if (path.startsWith('/lab/') || path === '/lab') {
			// Through any TCP door the admin routes do not exist, whatever the token.
			const {code, body} = admin ? await adminAnswer(req, path, this.adminTarget()) : {code: 404, body: pathNotFound()};
			this.log.record(req, null, 'admin', code);
			send(res, code, JSON.stringify(body));
			return;
		}

		const route = parseRoute(path, url.searchParams);
		const verb: RequestVerb = route ? route.verb : HEALTH_PATHS.includes(path) ? 'health' : DISCOVERY_PATHS.includes(path) ? 'discovery' : 'other';
		if (this.faults.dropsNext()) {
			this.log.record(req, route?.resource ?? null, verb, 'dropped');
			this.cutWatches();
			req.socket.destroy();
			return;
		}

		const f = this.faults.current;
		if (f.slowMs) await delay(f.slowMs);
		const answered = (code: number) => this.log.record(req, route?.resource ?? null, verb, code);
		const answer = (s: Status) => {
			answered(s.code);
			sendStatus(res, s);
		};

		if (verb === 'health') {
			answered(200);
			send(res, 200, 'ok', 'text/plain; charset=utf-8');
			return;
		}

		if (f.unauthorized || !bearerMatches(req.headers.authorization, this.o.token)) {
			answer(unauthorized());
			return;
		}

		if (f.error500) {
			answer(internalError('the lab API is in fault mode error500'));
			return;
		}

		const write = this.o.podWrites ? podWriteRoute(req.method ?? '', path) : null;
		if (write && this.o.podWrites) {
			const {code, body} = await answerPodWrite(req, write, {...this.o.podWrites, user: LAB_API_USER}, f);
			this.log.record(req, 'pods', 'other', code);
			send(res, code, body);
			return;
		}

		if (req.method !== 'GET') {
			const save = this.o.savePolicies;
			if (save && isPolicyWrite(req.method, route)) {
				const a = await writeNetworkPolicy(req, route, {store: this.o.store, save});
				if ('kind' in a) answer(a);
				else {
					answered(a.code);
					send(res, a.code, a.body);
				}
			} else answer(methodNotAllowed(req.method ?? ''));
			return;
		}

		if (!route) {
			const body = discovery(path, this.o.serverAddress());
			if (body === null) {
				answer(pathNotFound());
				return;
			}

			answered(200);
			send(res, 200, JSON.stringify(body));
			return;
		}

		if (f.forbidPods && route.resource === 'pods') {
			answer(forbidden(LAB_API_USER, route.verb, 'pods', route.namespace, route.name));
			return;
		}

		if (route.verb === 'get') {
			this.get(req, res, route, url.searchParams, answer, answered);
			return;
		}

		const filter = requestFilter(route, url.searchParams);
		if (typeof filter === 'string') {
			answer(badRequest(filter));
			return;
		}

		answered(200);
		if (route.verb === 'watch') {
			this.watches.serve(req, res, {resource: route.resource, filter, query: url.searchParams, gone: this.faults.takeGoneOnWatch()});
		} else {
			this.lists.serve(req, res, route.resource, filter, url.searchParams);
		}
	}

	/** An upgrade request: only pods/exec takes one, with the same auth and faults as any request. */
	upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		socket.on('error', () => socket.destroy());
		const path = new URL(req.url ?? '/', 'http://lab').pathname;
		const call = execRoute(path);
		const f = this.faults.current;
		const refuse = (s: Status) => {
			this.log.record(req, 'pods', 'other', s.code);
			refuseUpgrade(socket, s);
		};

		if (f.unauthorized || !bearerMatches(req.headers.authorization, this.o.token)) refuse(unauthorized());
		else if (f.error500) refuse(internalError('the lab API is in fault mode error500'));
		else if (!call || !this.o.exec) refuse(pathNotFound());
		else if (f.execForbidden || f.forbidPods) refuse(execForbidden(LAB_API_USER, call));
		else {
			this.log.record(req, 'pods', 'other', 101);
			serveExec(req, socket, head, call, this.o.exec);
		}
	}

	private get(req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams, answer: (s: Status) => void, answered: (code: number) => void): void {
		const key = route.namespace ? `${route.namespace}/${route.name}` : route.name!;
		const entry = this.o.store.get(route.resource, key);
		if (!entry) {
			answer(notFound(route.resource, route.name!));
			return;
		}

		answered(200);
		if (wantsTable(req)) send(res, 200, tableJson(route.resource, [entry], String(entry.rv), includeObject(query)), TABLE_TYPE);
		else send(res, 200, entry.json);
	}

	private adminTarget() {
		return {
			store: this.o.store,
			faults: () => this.faults.current,
			setFaults: async (f: LabApiFaults) => this.setFaults(f),
			cutWatches: (graceful: boolean) => this.cutWatches(graceful),
			requestStats: () => this.requestStats(),
		};
	}
}
