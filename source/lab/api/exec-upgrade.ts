// GET /api/v1/namespaces/NS/pods/NAME/exec with a websocket upgrade: the checks a real apiserver
// and kubelet make, in their order and wording, then the session. Errors are plain HTTP answers
// before the upgrade, which is where kubectl and client-node read them.
import type {IncomingMessage} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer} from 'ws';
import {type Status, badRequest, failure, notFound} from './api-status.js';
import {chooseProtocol, parseExecQuery} from './exec-protocol.js';
import {runExecSession} from './exec-session.js';

/** Where an exec into this pod runs, or why it cannot. */
export type ExecPlace = {ok: true; netnsPath: string; containers: string[]} | {ok: false; status: Status};

export interface ExecTarget {
	/** The pod's network namespace (a created pod: its node's), if it is there to exec into. */
	place(namespace: string, name: string): ExecPlace;
}

export interface ExecCall {
	namespace: string;
	name: string;
}

export function execRoute(path: string): ExecCall | null {
	const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(path);
	return m ? {namespace: decodeURIComponent(m[1]!), name: decodeURIComponent(m[2]!)} : null;
}

/** The 403 RBAC gives a subresource: `pods "x" is forbidden: ... cannot create resource "pods/exec" ...`. */
export function execForbidden(user: string, c: ExecCall): Status {
	return failure(403, 'Forbidden', `pods "${c.name}" is forbidden: User "${user}" cannot create resource "pods/exec" in API group "" in the namespace "${c.namespace}"`, {name: c.name, kind: 'pods'});
}

const REASONS: Record<number, string> = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error'};

/** Answers an upgrade request with a Status and no upgrade. */
export function refuseUpgrade(socket: Duplex, s: Status): void {
	const body = JSON.stringify(s);
	socket.end(`HTTP/1.1 ${s.code} ${REASONS[s.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

const sockets = new WebSocketServer({noServer: true, clientTracking: false, handleProtocols: protocols => chooseProtocol([...protocols].join(',')) ?? false});

export function serveExec(req: IncomingMessage, socket: Duplex, head: Buffer, call: ExecCall, target: ExecTarget): void {
	const query = new URL(req.url ?? '/', 'http://lab').searchParams;
	const upgrade = (req.headers.upgrade ?? '').toLowerCase();
	if (upgrade !== 'websocket' || req.method !== 'GET') {
		refuseUpgrade(socket, badRequest(`the lab API speaks the websocket exec protocol (v5.channel.k8s.io, v4.channel.k8s.io) only, not ${req.headers.upgrade ?? 'a plain request'}`));
		return;
	}

	if (!chooseProtocol(req.headers['sec-websocket-protocol'])) {
		refuseUpgrade(socket, badRequest('no websocket subprotocol in common: the lab API speaks v5.channel.k8s.io and v4.channel.k8s.io'));
		return;
	}

	const r = parseExecQuery(query);
	if (typeof r === 'string') {
		refuseUpgrade(socket, badRequest(r));
		return;
	}

	const place = target.place(call.namespace, call.name);
	if (!place.ok) {
		refuseUpgrade(socket, place.status);
		return;
	}

	if (r.container !== null && !place.containers.includes(r.container)) {
		refuseUpgrade(socket, badRequest(`container ${r.container} is not valid for pod ${call.name}`));
		return;
	}

	sockets.handleUpgrade(req, socket, head, ws => runExecSession(ws, r, place.netnsPath));
}

/** A pod the store has no record of. */
export const noSuchPod = (name: string): ExecPlace => ({ok: false, status: notFound('pods', name)});
