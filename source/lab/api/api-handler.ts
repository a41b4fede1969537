// The HTTP side of the lab API: auth, fault modes, discovery, list/get/watch of pods, nodes and
// namespaces, and (on the unix socket in plain HTTP only) the admin routes:
//   GET|POST /lab/faults (POST replaces the whole set), POST /lab/watches/cut[?graceful=true],
//   GET /lab/requests (counts + last 500 requests), GET /lab/store (resourceVersions, history size).
import type {IncomingMessage, ServerResponse} from 'node:http';
import {
	badRequest,
	failure,
	forbidden,
	internalError,
	methodNotAllowed,
	notFound,
	pathNotFound,
	type Status,
	tooOld,
	unauthorized,
} from './api-status.js';
import type {Resource} from './kube-objects.js';
import {type LabApiFaults, parseFaults} from './lab-faults.js';
import {type Entry, FIELD_SELECTORS, type ObjectStore, type StoreEvent} from './object-store.js';
import {type IncludeObject, tableJson} from './object-tables.js';
import {matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector} from './selectors.js';

export const LAB_API_USER = 'k8snet-lab-admin';

const KIND: Record<Resource, string> = {pods: 'Pod', nodes: 'Node', namespaces: 'Namespace'};

const API_RESOURCES = {
	kind: 'APIResourceList',
	apiVersion: 'v1',
	groupVersion: 'v1',
	resources: [
		{name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list', 'watch'], shortNames: ['ns']},
		{name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list', 'watch'], shortNames: ['no']},
		{name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po'], categories: ['all']},
	],
};

const VERSION = {
	major: '1',
	minor: '32',
	gitVersion: 'v1.32.0-k8snet-lab',
	gitCommit: '0000000000000000000000000000000000000000',
	gitTreeState: 'clean',
	buildDate: '2026-01-01T00:00:00Z',
	goVersion: 'go1.23.4',
	compiler: 'gc',
	platform: 'linux/amd64',
};

export type RequestVerb = 'list' | 'watch' | 'get' | 'discovery' | 'health' | 'admin' | 'other';

export interface RequestRecord {
	at: string;
	method: string;
	url: string;
	verb: RequestVerb;
	resource: Resource | null;
	/** What the client was answered: an HTTP code, or 'dropped'. */
	outcome: number | 'dropped';
}

export interface RequestStats {
	total: number;
	byVerb: Partial<Record<RequestVerb, number>>;
	openWatches: number;
	/** The newest last, at most 500. */
	recent: RequestRecord[];
}

interface Route {
	verb: 'list' | 'watch' | 'get';
	resource: Resource;
	namespace: string | null;
	name: string | null;
}

interface WatchStream {
	/** graceful: end the stream as an apiserver timeout does; otherwise destroy the connection. */
	cut(graceful: boolean): void;
}

export interface LabApiOptions {
	store: ObjectStore;
	token: string;
	/** host:port for /api's serverAddressByClientCIDRs. */
	serverAddress(): string;
	/** How often a watch that asked for bookmarks gets one. */
	bookmarkMs?: number;
	/** Faults that live outside the handler (the TLS certificate) are applied here. */
	applyFaults?(f: LabApiFaults): Promise<void>;
}

const JSON_TYPE = 'application/json';
const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

function send(res: ServerResponse, code: number, body: string | Buffer, type = JSON_TYPE): void {
	res.writeHead(code, {'Content-Type': type, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(body)});
	res.end(body);
}

function sendStatus(res: ServerResponse, s: Status): void {
	send(res, s.code, JSON.stringify(s));
}

function parseRoute(path: string, query: URLSearchParams): Route | null {
	const parts = path.split('/').filter(p => p !== '');
	if (parts[0] !== 'api' || parts[1] !== 'v1') return null;
	let rest = parts.slice(2);
	let watch = query.get('watch') === 'true' || query.get('watch') === '1';
	// The deprecated /api/v1/watch/... paths, which some clients still use.
	if (rest[0] === 'watch') {
		watch = true;
		rest = rest.slice(1);
	}

	let namespace: string | null = null;
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		namespace = rest[1]!;
		rest = rest.slice(2);
	}

	const resource = rest[0];
	if (resource !== 'pods' && resource !== 'nodes' && resource !== 'namespaces') return null;
	if (rest.length > 2) return null;
	if (namespace !== null && resource !== 'pods') return null;
	const name = rest[1] ?? null;
	return {verb: watch ? 'watch' : name ? 'get' : 'list', resource, namespace, name};
}

function wantsTable(req: IncomingMessage): boolean {
	const accept = req.headers.accept ?? '';
	return accept.split(',')[0]!.includes('as=Table');
}

function includeObject(query: URLSearchParams): IncludeObject {
	const v = query.get('includeObject');
	return v === 'None' || v === 'Object' ? v : 'Metadata';
}

const delay = (ms: number) => new Promise(r => setTimeout(r, ms));

export class LabApi {
	private faults: LabApiFaults = {};
	/** Requests left before dropAfter bites; null when it is not set. */
	private dropBudget: number | null = null;
	private readonly watches = new Set<WatchStream>();
	/** The last unfiltered list of each resource, encoded: a 10,000-pod list is then served as is. */
	private readonly fullLists = new Map<Resource, {rv: string; body: Buffer}>();
	private readonly stats: RequestStats = {total: 0, byVerb: {}, openWatches: 0, recent: []};

	constructor(private readonly o: LabApiOptions) {}

	get currentFaults(): LabApiFaults {
		return {...this.faults};
	}

	async setFaults(f: LabApiFaults): Promise<void> {
		await this.o.applyFaults?.(f);
		this.faults = {...f};
		this.dropBudget = f.dropAfter ?? null;
		if (this.dropBudget === 0) this.cutWatches();
	}

	/**
	 * Cuts every open watch stream mid-stream, as a dropped connection would; or, graceful, ends them
	 * cleanly as the apiserver does at a watch timeout. Returns how many.
	 */
	cutWatches(graceful = false): number {
		const n = this.watches.size;
		for (const w of [...this.watches]) w.cut(graceful);
		return n;
	}

	requestStats(): RequestStats {
		return {...this.stats, byVerb: {...this.stats.byVerb}, openWatches: this.watches.size, recent: [...this.stats.recent]};
	}

	private log(req: IncomingMessage, route: Route | null, verb: RequestVerb, outcome: number | 'dropped'): void {
		this.stats.total++;
		this.stats.byVerb[verb] = (this.stats.byVerb[verb] ?? 0) + 1;
		this.stats.recent.push({at: new Date().toISOString(), method: req.method ?? '', url: req.url ?? '', verb, resource: route?.resource ?? null, outcome});
		if (this.stats.recent.length > 500) this.stats.recent.shift();
	}

	/** The request listener. `admin`: this connection came over the unix socket in plain HTTP. */
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
			if (!admin) {
				this.log(req, null, 'admin', 404);
				sendStatus(res, pathNotFound());
				return;
			}

			await this.admin(req, res, path);
			return;
		}

		const route = parseRoute(path, url.searchParams);
		const verb: RequestVerb = route ? route.verb : ['/healthz', '/livez', '/readyz'].includes(path) ? 'health' : ['/version', '/api', '/api/v1', '/apis'].includes(path) ? 'discovery' : 'other';
		const f = this.faults;

		if (this.dropBudget !== null) {
			if (this.dropBudget <= 0) {
				this.log(req, route, verb, 'dropped');
				this.cutWatches();
				req.socket.destroy();
				return;
			}

			this.dropBudget--;
		}

		if (f.slowMs) await delay(f.slowMs);
		const answer = (s: Status) => {
			this.log(req, route, verb, s.code);
			sendStatus(res, s);
		};

		if (verb === 'health') {
			this.log(req, route, verb, 200);
			send(res, 200, 'ok', 'text/plain; charset=utf-8');
			return;
		}

		if (f.unauthorized || req.headers.authorization !== `Bearer ${this.o.token}`) {
			answer(unauthorized());
			return;
		}

		if (f.error500) {
			answer(internalError('the lab API is in fault mode error500'));
			return;
		}

		if (req.method !== 'GET') {
			answer(methodNotAllowed(req.method ?? ''));
			return;
		}

		if (!route) {
			const body = this.discovery(path);
			if (body === null) {
				answer(pathNotFound());
				return;
			}

			this.log(req, route, verb, 200);
			send(res, 200, JSON.stringify(body));
			return;
		}

		if (f.forbidPods && route.resource === 'pods') {
			answer(forbidden(LAB_API_USER, route.verb, 'pods', route.namespace, route.name));
			return;
		}

		if (route.verb === 'get') {
			const key = route.namespace ? `${route.namespace}/${route.name}` : route.name!;
			const entry = this.o.store.get(route.resource, key);
			if (!entry) {
				answer(notFound(route.resource, route.name!));
				return;
			}

			this.log(req, route, verb, 200);
			if (wantsTable(req)) send(res, 200, tableJson(route.resource, [entry], String(entry.rv), includeObject(url.searchParams)), TABLE_TYPE);
			else send(res, 200, entry.json);
			return;
		}

		const filter = this.filter(route, url.searchParams);
		if (typeof filter === 'string') {
			answer(badRequest(filter));
			return;
		}

		if (route.verb === 'watch') {
			this.log(req, route, verb, 200);
			this.watch(req, res, route.resource, filter, url.searchParams);
			return;
		}

		this.log(req, route, verb, 200);
		this.list(req, res, route.resource, filter, url.searchParams);
	}

	private discovery(path: string): unknown {
		switch (path) {
			case '/version': {
				return VERSION;
			}

			case '/api': {
				return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: this.o.serverAddress()}]};
			}

			case '/api/v1': {
				return API_RESOURCES;
			}

			case '/apis': {
				return {kind: 'APIGroupList', apiVersion: 'v1', groups: []};
			}

			default: {
				return null;
			}
		}
	}

	private filter(route: Route, query: URLSearchParams): ((e: Entry) => boolean) | string {
		const resource = route.resource;
		const fields = parseFieldSelector(query.get('fieldSelector') ?? '', FIELD_SELECTORS[resource]);
		if (!fields.ok) return fields.message;
		const labels = parseLabelSelector(query.get('labelSelector') ?? '');
		if (!labels.ok) return labels.message;
		const {namespace, name} = route;
		const fieldReqs = fields.value;
		const labelReqs = labels.value;
		return (e: Entry) =>
			(namespace === null || e.object.metadata.namespace === namespace) &&
			(name === null || e.object.metadata.name === name) &&
			(fieldReqs.length === 0 || matchesFields(fieldReqs, e.fields)) &&
			(labelReqs.length === 0 || matchesLabels(labelReqs, e.labels));
	}

	private list(req: IncomingMessage, res: ServerResponse, resource: Resource, filter: (e: Entry) => boolean, query: URLSearchParams): void {
		const store = this.o.store;
		const rv = String(store.rv);
		let items = store.list(resource).filter(filter);
		let extraMeta = '';
		const limit = Number(query.get('limit') ?? 0);
		const token = query.get('continue');
		let offset = 0;
		if (token) {
			try {
				offset = (JSON.parse(Buffer.from(token, 'base64url').toString()) as {o: number}).o;
			} catch {
				sendStatus(res, badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
				return;
			}
		}

		if (Number.isInteger(limit) && limit > 0) {
			const end = offset + limit;
			if (end < items.length) {
				const next = Buffer.from(JSON.stringify({o: end, rv: store.rv})).toString('base64url');
				extraMeta = `,"continue":${JSON.stringify(next)},"remainingItemCount":${items.length - end}`;
			}

			items = items.slice(offset, end);
		} else if (offset > 0) {
			items = items.slice(offset);
		}

		if (wantsTable(req)) {
			send(res, 200, tableJson(resource, items, rv, includeObject(query), extraMeta), TABLE_TYPE);
			return;
		}

		const unfiltered = items.length === store.list(resource).length && extraMeta === '';
		const cached = this.fullLists.get(resource);
		if (unfiltered && cached?.rv === rv) {
			send(res, 200, cached.body);
			return;
		}

		const body = Buffer.from(`{"kind":"${KIND[resource]}List","apiVersion":"v1","metadata":{"resourceVersion":"${rv}"${extraMeta}},"items":[${items.map(e => e.json).join(',')}]}`);
		if (unfiltered) this.fullLists.set(resource, {rv, body});
		send(res, 200, body);
	}

	private watch(req: IncomingMessage, res: ServerResponse, resource: Resource, filter: (e: Entry) => boolean, query: URLSearchParams): void {
		const store = this.o.store;
		const table = wantsTable(req);
		const include = includeObject(query);
		res.writeHead(200, {'Content-Type': table ? TABLE_TYPE : JSON_TYPE, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
		const line = (type: string, e: Entry) => `{"type":"${type}","object":${table ? tableJson(resource, [e], String(e.rv), include) : e.json}}\n`;
		const rvParam = query.get('resourceVersion') ?? '';
		const fail = (s: Status) => res.end(`{"type":"ERROR","object":${JSON.stringify(s)}}\n`);

		if (this.faults.goneOnWatch) {
			this.faults = {...this.faults, goneOnWatch: false};
			fail(tooOld(Number(rvParam) || 0, store.rv));
			return;
		}

		let backlog: string[];
		if (rvParam === '' || rvParam === '0') {
			backlog = store.list(resource).filter(filter).map(e => line('ADDED', e));
		} else {
			const from = Number(rvParam);
			if (!Number.isInteger(from) || from < 0) {
				fail(badRequest(`invalid resource version: ${rvParam}`));
				return;
			}

			const events = store.since(from);
			if (events === null) {
				fail(tooOld(from, store.floorRV));
				return;
			}

			backlog = [];
			for (const e of events) {
				const l = this.eventLine(e, resource, filter, line);
				if (l) backlog.push(l);
			}
		}

		if (backlog.length > 0) res.write(backlog.join(''));
		else res.flushHeaders();

		const unsubscribe = store.subscribe(e => {
			const l = this.eventLine(e, resource, filter, line);
			if (l) res.write(l);
		});
		const timers: NodeJS.Timeout[] = [];
		if (query.get('allowWatchBookmarks') === 'true') {
			const bookmark = () => res.write(`{"type":"BOOKMARK","object":{"kind":"${KIND[resource]}","apiVersion":"v1","metadata":{"resourceVersion":"${store.rv}"}}}\n`);
			timers.push(setInterval(bookmark, this.o.bookmarkMs ?? 10_000));
		}

		const timeout = Number(query.get('timeoutSeconds') ?? 0);
		if (timeout > 0) timers.push(setTimeout(() => res.end(), timeout * 1000));

		const stream: WatchStream = {cut: graceful => (graceful ? res.end() : res.destroy())};
		this.watches.add(stream);
		const done = () => {
			unsubscribe();
			for (const t of timers) clearTimeout(t);
			this.watches.delete(stream);
		};

		res.once('close', done);
		req.once('close', done);
	}

	/** One store event as this watch sees it: a filtered watch sees objects enter and leave. */
	private eventLine(e: StoreEvent, resource: Resource, filter: (e: Entry) => boolean, line: (type: string, e: Entry) => string): string | null {
		if (e.resource !== resource) return null;
		const now = filter(e.entry);
		if (e.type !== 'MODIFIED') return now ? line(e.type, e.entry) : null;
		const before = e.previous !== null && filter(e.previous);
		if (now && before) return line('MODIFIED', e.entry);
		if (now) return line('ADDED', e.entry);
		if (before) return line('DELETED', e.entry);
		return null;
	}

	private async admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const reply = (code: number, body: unknown) => {
			this.log(req, null, 'admin', code);
			send(res, code, JSON.stringify(body));
		};

		if (path === '/lab/faults' && req.method === 'GET') {
			reply(200, this.faults);
			return;
		}

		if (path === '/lab/faults' && (req.method === 'POST' || req.method === 'PUT')) {
			const chunks: Buffer[] = [];
			for await (const c of req) chunks.push(c as Buffer);
			let raw: unknown;
			try {
				raw = JSON.parse(Buffer.concat(chunks).toString() || '{}');
			} catch {
				reply(400, failure(400, 'BadRequest', 'faults: body is not JSON'));
				return;
			}

			const parsed = parseFaults(raw);
			if (typeof parsed === 'string') {
				reply(400, failure(400, 'BadRequest', parsed));
				return;
			}

			await this.setFaults(parsed);
			reply(200, parsed);
			return;
		}

		if (path === '/lab/watches/cut' && req.method === 'POST') {
			reply(200, {cut: this.cutWatches(new URL(req.url ?? '/', 'http://lab').searchParams.get('graceful') === 'true')});
			return;
		}

		if (path === '/lab/requests' && req.method === 'GET') {
			reply(200, this.requestStats());
			return;
		}

		if (path === '/lab/store' && req.method === 'GET') {
			reply(200, {resourceVersion: this.o.store.rv, floorResourceVersion: this.o.store.floorRV, history: this.o.store.history.length});
			return;
		}

		reply(404, pathNotFound());
	}
}
