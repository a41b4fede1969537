// Lists, whole or in pages (limit + continue). As on the real apiserver, every page of one list is
// served at the resourceVersion its first page was: the continue token carries that version and
// the key to start after, so objects changed since do not leak in and deleted ones stay. When the
// store's history no longer reaches that version, the answer is 410 Expired.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {TABLE_TYPE, includeObject, send, sendStatus, wantsTable} from './api-reply.js';
import {API_VERSION, KIND} from './api-routes.js';
import {badRequest, failure} from './api-status.js';
import type {Resource} from './kube-objects.js';
import type {Entry, ObjectStore} from './object-store.js';
import {tableJson} from './object-tables.js';

/** The apiserver's token body: the list's resourceVersion and the key the next page starts at. */
interface ContinueToken {
	v: 'meta.k8s.io/v1';
	rv: number;
	start: string;
}

function encodeToken(rv: number, lastKey: string): string {
	// The apiserver starts the next page just after the last key: key + NUL sorts right after it.
	const t: ContinueToken = {v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000`};
	return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(raw: string): ContinueToken | null {
	try {
		const t = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Partial<ContinueToken>;
		if (t.v !== 'meta.k8s.io/v1' || !Number.isInteger(t.rv) || (t.rv as number) <= 0 || typeof t.start !== 'string') return null;
		return t as ContinueToken;
	} catch {
		return null;
	}
}

const EXPIRED_MESSAGE =
	'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

export class ListPages {
	/** The last unfiltered list of each resource, encoded: a 10,000-pod list is then served as is. */
	private readonly fullLists = new Map<Resource, {rv: string; body: Buffer}>();

	constructor(private readonly store: ObjectStore) {}

	serve(req: IncomingMessage, res: ServerResponse, resource: Resource, filter: (e: Entry) => boolean, query: URLSearchParams): void {
		const store = this.store;
		const raw = query.get('continue');
		const token = raw ? decodeToken(raw) : null;
		if (raw && token === null) {
			sendStatus(res, badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'));
			return;
		}

		const rv = token?.rv ?? store.rv;
		const all = store.listAt(resource, rv);
		if (all === null) {
			sendStatus(res, failure(410, 'Expired', EXPIRED_MESSAGE));
			return;
		}

		let items = all.filter(filter);
		if (token) {
			const from = items.findIndex(e => e.key >= token.start);
			items = from === -1 ? [] : items.slice(from);
		}

		let extraMeta = '';
		const limit = Number(query.get('limit') ?? 0);
		if (Number.isInteger(limit) && limit > 0 && limit < items.length) {
			const page = items.slice(0, limit);
			extraMeta = `,"continue":${JSON.stringify(encodeToken(rv, page.at(-1)!.key))},"remainingItemCount":${items.length - limit}`;
			items = page;
		}

		const rvText = String(rv);
		if (wantsTable(req)) {
			send(res, 200, tableJson(resource, items, rvText, includeObject(query), extraMeta), TABLE_TYPE);
			return;
		}

		const whole = token === null && extraMeta === '' && items.length === all.length;
		const cached = this.fullLists.get(resource);
		if (whole && cached?.rv === rvText) {
			send(res, 200, cached.body);
			return;
		}

		const body = Buffer.from(`{"kind":"${KIND[resource]}List","apiVersion":"${API_VERSION[resource]}","metadata":{"resourceVersion":"${rvText}"${extraMeta}},"items":[${items.map(e => e.json).join(',')}]}`);
		if (whole) this.fullLists.set(resource, {rv: rvText, body});
		send(res, 200, body);
	}
}
