// Writing an answer: JSON (or a server-side Table) with the apiserver's headers, or a v1 Status.
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Status} from './api-status.js';
import type {IncludeObject} from './object-tables.js';

export const JSON_TYPE = 'application/json';
export const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export function send(res: ServerResponse, code: number, body: string | Buffer, type = JSON_TYPE): void {
	res.writeHead(code, {'Content-Type': type, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(body)});
	res.end(body);
}

export function sendStatus(res: ServerResponse, s: Status): void {
	send(res, s.code, JSON.stringify(s));
}

/** kubectl asks for a Table first and plain JSON as the fallback; only the first choice counts. */
export function wantsTable(req: IncomingMessage): boolean {
	const accept = req.headers.accept ?? '';
	return accept.split(',')[0]!.includes('as=Table');
}

export function includeObject(query: URLSearchParams): IncludeObject {
	const v = query.get('includeObject');
	return v === 'None' || v === 'Object' ? v : 'Metadata';
}
