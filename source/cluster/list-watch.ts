// A light informer: list (in pages), then watch from the list's resourceVersion, keeping a map by
// key. Informer semantics as client-go has them: bookmarks move the resourceVersion on, 410 Gone
// means relist (and the consumer gets the whole new list at once, so no row is ever doubled), a
// dropped stream resumes from the last resourceVersion, and a server we cannot reach is retried
// with backoff (first ~300 ms, doubling, capped at 10 s) until it answers again.
import type {KubeTarget} from './kube-target.js';
import {getJson, openStream, query, type ApiResult, type RequestWhat} from './api-request.js';
import type {ApiFailure} from './api-errors.js';
import {parseListItems} from './json-list.js';

export interface ListSpec<T> {
	/** e.g. /api/v1/pods or /api/v1/namespaces/web/pods */
	path: string;
	/** fieldSelector, labelSelector, ... (no watch/limit/continue/resourceVersion) */
	params: Record<string, string | undefined>;
	what: RequestWhat;
	/** Raw object → what we keep; null to ignore the object. */
	map(raw: unknown): T | null;
	key(item: T): string;
}

/**
 * A watch that has been silent this long is reopened (from the same resourceVersion, so it costs
 * one request): bookmarks arrive about once a minute, so silence means a half-open connection.
 */
const IDLE_SECONDS = 150;

/** Items per page: bounds the body held at once (items are parsed one by one, see json-list.ts). */
const PAGE = 500;

function metadata(raw: unknown): {resourceVersion?: unknown; continue?: unknown} {
	const m = (raw as {metadata?: unknown} | null)?.metadata;
	return typeof m === 'object' && m !== null ? (m as {resourceVersion?: unknown; continue?: unknown}) : {};
}

/** Lists everything, page by page; a continue token that expired (410) restarts once, unpaged. */
export async function listAll<T>(
	t: KubeTarget,
	spec: ListSpec<T>,
	o: {timeoutMs?: number; signal?: AbortSignal} = {},
): Promise<ApiResult<{items: T[]; resourceVersion: string}>> {
	let paged = true;
	for (;;) {
		const items: T[] = [];
		let token: string | undefined;
		let resourceVersion = '';
		let restart = false;
		do {
			const page = await getJson(
				t,
				spec.path + query({...spec.params, limit: paged ? PAGE : undefined, continue: token}),
				spec.what,
				{
					...o,
					parse: body =>
						parseListItems(body, raw => {
							const item = spec.map(raw);
							if (item !== null) items.push(item);
						}),
				},
			);
			if (!page.ok) {
				if (page.kind === 'gone' && token !== undefined && paged) {
					restart = true;
					break;
				}

				return page;
			}

			const meta = metadata(page.value);
			resourceVersion = typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '';
			token = typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
		} while (token !== undefined);

		if (!restart) return {ok: true, value: {items, resourceVersion}};
		paged = false;
	}
}

export interface WatchStatus {
	connected: boolean;
	reason?: string;
	hint?: string;
	/** When disconnected: the next attempt is in this many ms. */
	retryInMs?: number;
	/** When disconnected: since when (epoch ms), so the UI can say how stale its rows are. */
	since?: number;
}

export interface WatchHandlers<T> {
	/** The whole set, after the first list and after every relist (410 Gone). Replace, do not merge. */
	onReplace(items: T[]): void;
	onUpsert(item: T): void;
	onDelete(key: string): void;
	onStatus(s: WatchStatus): void;
}

export interface ReflectorOptions {
	/** Server-side watch timeout; the watch is then reopened from the last resourceVersion. */
	watchTimeoutSeconds?: number;
	/** Reopen a watch silent for this long (default 150 s). */
	idleTimeoutMs?: number;
	firstBackoffMs?: number;
	maxBackoffMs?: number;
	/** Called on each list, for tests and figures. */
	onList?(): void;
}

/** Starts a reflector; stop() ends it (no handler is called after). */
export function reflect<T>(
	t: KubeTarget,
	spec: ListSpec<T>,
	h: WatchHandlers<T>,
	o: ReflectorOptions = {},
): {stop(): void} {
	const firstBackoff = o.firstBackoffMs ?? 300;
	const maxBackoff = o.maxBackoffMs ?? 10_000;
	const timeoutSeconds = o.watchTimeoutSeconds ?? 290;
	const items = new Map<string, T>();
	let stopped = false;
	let resourceVersion = '';
	let backoff = firstBackoff;
	let connected: boolean | null = null;
	let downSince = 0;
	/** Watches in a row that ended within a second of opening, with no event. */
	let quickEnds = 0;
	let timer: NodeJS.Timeout | undefined;
	let stream: {abort(): void} | undefined;
	const listAbort = new AbortController();

	const up = () => {
		backoff = firstBackoff;
		if (connected !== true) {
			connected = true;
			h.onStatus({connected: true});
		}
	};

	const retryLater = (f: ApiFailure, next: () => void) => {
		if (stopped) return;
		if (connected !== false) downSince = Date.now();
		connected = false;
		// Jitter, so many clients of one server do not come back in lockstep.
		const delay = Math.round(backoff * (0.8 + Math.random() * 0.4));
		h.onStatus({connected: false, reason: f.reason, hint: f.hint, retryInMs: delay, since: downSince});
		backoff = Math.min(backoff * 2, maxBackoff);
		timer = setTimeout(next, delay);
	};

	const relist = async () => {
		if (stopped) return;
		o.onList?.();
		const listed = await listAll(t, spec, {signal: listAbort.signal});
		if (stopped) return;
		if (!listed.ok) {
			retryLater(listed, safeRelist);
			return;
		}

		items.clear();
		for (const item of listed.value.items) items.set(spec.key(item), item);
		resourceVersion = listed.value.resourceVersion;
		up();
		h.onReplace([...items.values()]);
		watch();
	};

	const watch = () => {
		if (stopped) return;
		let opened = false;
		let openedAt = 0;
		let events = 0;
		let gone = false;
		const path =
			spec.path +
			query({
				...spec.params,
				watch: 'true',
				resourceVersion,
				allowWatchBookmarks: 'true',
				timeoutSeconds,
			});
		stream = openStream(t, path, {...spec.what, verb: 'watch'}, {
			onOpen() {
				opened = true;
				openedAt = Date.now();
				up();
			},
			onObject(raw) {
				const event = raw as {type?: unknown; object?: unknown};
				if (event.type === 'ERROR') {
					// A Status in the stream; 410 (Expired / Gone) means our version is too old.
					const status = (event.object ?? {}) as {code?: unknown; message?: unknown};
					gone = status.code === 410;
					stream?.abort();
					onEnd(gone ? null : {ok: false, kind: 'server', reason: `the watch failed: ${String(status.message ?? JSON.stringify(event.object)).slice(0, 200)}`, hint: 'reconnecting'});
					return;
				}

				// Move on first, so an event whose handler throws is not delivered again on reconnect.
				if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED' && event.type !== 'BOOKMARK') return;
				const rv = metadata(event.object).resourceVersion;
				if (typeof rv === 'string' && rv !== '') resourceVersion = rv;
				if (event.type === 'BOOKMARK') return;
				const item = spec.map(event.object);
				if (item === null) return;
				events++;
				const key = spec.key(item);
				if (event.type === 'DELETED') {
					if (items.delete(key)) h.onDelete(key);
				} else {
					items.set(key, item);
					h.onUpsert(item);
				}
			},
			onEnd,
		}, {idleTimeoutMs: o.idleTimeoutMs ?? Math.min(timeoutSeconds + 30, IDLE_SECONDS) * 1000});

		function onEnd(f: ApiFailure | null) {
			if (stopped) return;
			if (gone || f?.kind === 'gone') {
				resourceVersion = '';
				safeRelist();
				return;
			}

			// A stream that was open and then ended or dropped resumes at once, from the last
			// resourceVersion. Streams that keep ending right after they open (no events) back off,
			// and one that never opened is an outage: reported, retried with backoff.
			const quick = opened && Date.now() - openedAt < 1000 && events === 0;
			quickEnds = quick ? quickEnds + 1 : 0;
			if (opened && quickEnds <= 1) {
				watch();
				return;
			}

			if (f === null || opened) {
				timer = setTimeout(watch, Math.min(firstBackoff * 2 ** (quickEnds - 1), maxBackoff));
				return;
			}

			retryLater(f, watch);
		}
	};

	// A handler that throws must not become an unhandled rejection (fatal in Node 20): it is
	// reported like any failure and the list is retried.
	function safeRelist() {
		relist().catch((error: unknown) =>
			retryLater({ok: false, kind: 'other', reason: `internal error while listing: ${(error as Error)?.message ?? String(error)}`, hint: 'run with --debug for details'}, safeRelist),
		);
	}

	safeRelist();
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
			stream?.abort();
			listAbort.abort();
		},
	};
}
