// Watches: a chunked stream of ADDED/MODIFIED/DELETED lines from a resourceVersion on (or the whole
// list as ADDED from none), optional BOOKMARKs, timeoutSeconds, and 410 Expired past the history.
// The open streams are kept so fault modes can cut them as a dropped connection would.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {JSON_TYPE, TABLE_TYPE, includeObject, wantsTable} from './api-reply.js';
import {API_VERSION, KIND} from './api-routes.js';
import {type Status, badRequest, tooOld} from './api-status.js';
import type {Resource} from './kube-objects.js';
import type {Entry, ObjectStore, StoreEvent} from './object-store.js';
import {tableJson} from './object-tables.js';

interface WatchStream {
	/** graceful: end the stream as an apiserver timeout does; otherwise destroy the connection. */
	cut(graceful: boolean): void;
}

export interface WatchRequest {
	resource: Resource;
	filter: (e: Entry) => boolean;
	query: URLSearchParams;
	/** Answer this watch with 410, as after etcd compaction (the goneOnWatch fault). */
	gone: boolean;
}

/** One store event as this watch sees it: a filtered watch sees objects enter and leave. */
function eventLine(e: StoreEvent, resource: Resource, filter: (e: Entry) => boolean, line: (type: string, e: Entry) => string): string | null {
	if (e.resource !== resource) return null;
	const now = filter(e.entry);
	if (e.type !== 'MODIFIED') return now ? line(e.type, e.entry) : null;
	const before = e.previous !== null && filter(e.previous);
	if (now && before) return line('MODIFIED', e.entry);
	if (now) return line('ADDED', e.entry);
	if (before) return line('DELETED', e.entry);
	return null;
}

export class WatchStreams {
	private readonly open = new Set<WatchStream>();

	constructor(
		private readonly store: ObjectStore,
		private readonly bookmarkMs: number,
	) {}

	get size(): number {
		return this.open.size;
	}

	/** Cuts (or, graceful, ends) every open stream. Returns how many. */
	cut(graceful: boolean): number {
		const n = this.open.size;
		for (const w of [...this.open]) w.cut(graceful);
		return n;
	}

	serve(req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
		const {store} = this;
		const {resource, filter, query} = w;
		const table = wantsTable(req);
		const include = includeObject(query);
		res.writeHead(200, {'Content-Type': table ? TABLE_TYPE : JSON_TYPE, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'});
		const line = (type: string, e: Entry) => `{"type":"${type}","object":${table ? tableJson(resource, [e], String(e.rv), include) : e.json}}\n`;
		const rvParam = query.get('resourceVersion') ?? '';
		const fail = (s: Status) => res.end(`{"type":"ERROR","object":${JSON.stringify(s)}}\n`);

		if (w.gone) {
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
				const l = eventLine(e, resource, filter, line);
				if (l) backlog.push(l);
			}
		}

		if (backlog.length > 0) res.write(backlog.join(''));
		else res.flushHeaders();

		const unsubscribe = store.subscribe(e => {
			const l = eventLine(e, resource, filter, line);
			if (l) res.write(l);
		});
		const timers: NodeJS.Timeout[] = [];
		if (query.get('allowWatchBookmarks') === 'true') {
			const bookmark = () => res.write(`{"type":"BOOKMARK","object":{"kind":"${KIND[resource]}","apiVersion":"${API_VERSION[resource]}","metadata":{"resourceVersion":"${store.rv}"}}}\n`);
			timers.push(setInterval(bookmark, this.bookmarkMs));
		}

		const timeout = Number(query.get('timeoutSeconds') ?? 0);
		if (timeout > 0) timers.push(setTimeout(() => res.end(), timeout * 1000));

		const stream: WatchStream = {cut: graceful => (graceful ? res.end() : res.destroy())};
		this.open.add(stream);
		const done = () => {
			unsubscribe();
			for (const t of timers) clearTimeout(t);
			this.open.delete(stream);
		};

		res.once('close', done);
		req.once('close', done);
	}
}
