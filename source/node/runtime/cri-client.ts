// A CRI v1 client over a unix socket (containerd, cri-o), made of grpc-js unary calls and the few
// messages in cri-proto.ts. `connectCri` asks Version first, so a runtime that speaks only an older
// CRI (v1alpha2) is one line, not a string of failed calls. Every failure is a value: a missing
// socket, a permission error, a stale socket and an old runtime each give one reason and a hint.
import {stat} from 'node:fs/promises';
import type * as Grpc from '@grpc/grpc-js';
import type {Result} from '../../core/types.js';
import {CRI_DECODE_OPTIONS, CRI_METHODS, CRI_SERVICE, criType, type CriMethod} from './cri-proto.js';

export type CriMessage = Record<string, unknown>;

export interface CriVersion {
	runtimeName: string;
	runtimeVersion: string;
	runtimeApiVersion: string;
}

export interface CriClient {
	readonly socket: string;
	readonly version: CriVersion;
	call(method: CriMethod, request: CriMessage, timeoutMs?: number): Promise<Result<CriMessage>>;
	close(): void;
}

/** Each call's deadline: a runtime that answers at all answers one call in well under a second. */
const CALL_TIMEOUT_MS = 5000;

type GrpcModule = typeof Grpc;
let grpcModule: Promise<GrpcModule> | null = null;

// grpc-js costs ~60 ms to load: only a run that reaches a CRI socket pays it.
function loadGrpc(): Promise<GrpcModule> {
	// A CommonJS module: bundled, its exports sit on `default` only.
	grpcModule ??= import('@grpc/grpc-js').then(mod => (mod as GrpcModule & {default?: GrpcModule}).default ?? mod);
	return grpcModule;
}

/**
 * Opens `socket` and checks it speaks CRI v1. `checkPath`: stat the path first (our filesystem), so
 * a missing socket is said before grpc-js retries; false when the socket is a forwarded one.
 */
export async function connectCri(socket: string, o: {checkPath?: boolean; target?: string} = {}): Promise<Result<CriClient>> {
	if (o.checkPath !== false) {
		const found = await socketFile(socket);
		if (!found.ok) return found;
	}

	const grpc = await loadGrpc();
	const client = new grpc.Client(o.target ?? `unix://${socket}`, grpc.credentials.createInsecure(), {
		// One connection, no retries behind our back: a failure is reported at once.
		'grpc.enable_retries': 0,
		'grpc.max_receive_message_length': 64 * 1024 * 1024,
	});
	const call = (method: CriMethod, request: CriMessage, timeoutMs = CALL_TIMEOUT_MS) => unary(grpc, client, socket, method, request, timeoutMs);
	const version = await call('Version', {version: 'v1'});
	if (!version.ok) {
		client.close();
		return version;
	}

	const info: CriVersion = {
		runtimeName: String(version.value['runtimeName'] ?? ''),
		runtimeVersion: String(version.value['runtimeVersion'] ?? ''),
		runtimeApiVersion: String(version.value['runtimeApiVersion'] ?? ''),
	};
	if (info.runtimeApiVersion !== 'v1') {
		client.close();
		return olderApi(socket, `${info.runtimeName || 'the runtime'} ${info.runtimeVersion} reports CRI ${info.runtimeApiVersion || '(none)'}`);
	}

	return {ok: true, value: {socket, version: info, call, close: () => client.close()}};
}

async function socketFile(socket: string): Promise<Result<void>> {
	try {
		const s = await stat(socket);
		if (!s.isSocket()) return {ok: false, reason: `${socket} is not a socket`, hint: 'give the runtime\'s socket with --cri-socket PATH'};
		return {ok: true, value: undefined};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EACCES') return permissionDenied(socket);
		return {ok: false, reason: `no CRI socket at ${socket}`, hint: 'is containerd or cri-o running here? --cri-socket PATH names another'};
	}
}

function unary(grpc: GrpcModule, client: Grpc.Client, socket: string, method: CriMethod, request: CriMessage, timeoutMs: number): Promise<Result<CriMessage>> {
	const [requestName, responseName] = CRI_METHODS[method];
	const requestType = criType(requestName);
	const responseType = criType(responseName);
	return new Promise(resolve => {
		client.makeUnaryRequest(
			`/${CRI_SERVICE}/${method}`,
			(value: CriMessage) => Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
			(buffer: Buffer) => responseType.toObject(responseType.decode(buffer), CRI_DECODE_OPTIONS),
			request,
			new grpc.Metadata(),
			{deadline: Date.now() + timeoutMs},
			(error, value) => resolve(error ? callFailure(grpc, socket, method, error) : {ok: true, value: value ?? {}}),
		);
	});
}

/** A grpc-js error → one line. Exported for tests of the wording. */
export function callFailure(grpc: Pick<GrpcModule, 'status'>, socket: string, method: string, error: Grpc.ServiceError): {ok: false; reason: string; hint: string} {
	const details = error.details || error.message;
	if (error.code === grpc.status.UNIMPLEMENTED) return olderApi(socket, `${CRI_SERVICE}/${method} is not implemented there`);
	if (/EACCES|permission denied/i.test(details)) return permissionDenied(socket);
	if (/ENOENT/.test(details)) return {ok: false, reason: `no CRI socket at ${socket}`, hint: 'is containerd or cri-o running here? --cri-socket PATH names another'};
	if (/ECONNREFUSED/.test(details)) return {ok: false, reason: `nothing listens on ${socket} (a stale socket file)`, hint: 'is the runtime running? systemctl status containerd'};
	if (error.code === grpc.status.DEADLINE_EXCEEDED) return {ok: false, reason: `${socket}: ${method} got no answer in time`, hint: 'the runtime may be hung or overloaded'};
	return {ok: false, reason: `CRI ${method} on ${socket}: ${oneLine(details)}`, hint: 'the runtime refused the call'};
}

function permissionDenied(socket: string): {ok: false; reason: string; hint: string} {
	return {ok: false, reason: `permission denied on ${socket}`, hint: 'the CRI socket is root\'s: run as root (sudo), or use --node-ssh with a user that may read it'};
}

function olderApi(socket: string, what: string): {ok: false; reason: string; hint: string} {
	return {ok: false, reason: `${socket} speaks an older CRI than v1 (${what})`, hint: 'CRI v1 came with containerd 1.6 and cri-o 1.20; crictl of the runtime\'s age still reads it'};
}

function oneLine(text: string): string {
	return text.split('\n')[0]?.trim() ?? '';
}
