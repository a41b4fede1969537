// What clients asked the lab API, for tests to prove e.g. that a client watched instead of
// re-listing: counts by verb and the last 500 requests, served on the admin socket.
import type {IncomingMessage} from 'node:http';
import type {Resource} from './kube-objects.js';

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

const KEPT = 500;

export class RequestLog {
	private total = 0;
	private readonly byVerb: Partial<Record<RequestVerb, number>> = {};
	private readonly recent: RequestRecord[] = [];

	record(req: IncomingMessage, resource: Resource | null, verb: RequestVerb, outcome: number | 'dropped'): void {
		this.total++;
		this.byVerb[verb] = (this.byVerb[verb] ?? 0) + 1;
		this.recent.push({at: new Date().toISOString(), method: req.method ?? '', url: req.url ?? '', verb, resource, outcome});
		if (this.recent.length > KEPT) this.recent.shift();
	}

	stats(openWatches: number): RequestStats {
		return {total: this.total, byVerb: {...this.byVerb}, openWatches, recent: [...this.recent]};
	}
}
