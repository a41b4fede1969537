// A small CRI v1 server for tests: the methods given answer with the objects given (encoded with
// the same message types the client decodes), every other call is UNIMPLEMENTED, as grpc says for
// a method a server does not have. `service` lets a test pose as an older runtime (v1alpha2 only).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {CRI_METHODS, CRI_PACKAGE, criType, type CriMethod} from '../../source/node/runtime/cri-proto.js';

export type FakeHandler = (request: Record<string, unknown>) => Record<string, unknown>;

export interface FakeCri {
	socket: string;
	calls: string[];
	stop(): Promise<void>;
}

export async function startFakeCri(handlers: Partial<Record<CriMethod, FakeHandler>>, o: {service?: string; dir?: string} = {}): Promise<FakeCri> {
	const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'k8snet-fake-cri-'));
	const socket = join(dir, 'cri.sock');
	const calls: string[] = [];
	const server = new grpc.Server();
	const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
	const implementation: grpc.UntypedServiceImplementation = {};
	for (const [method, [requestName, responseName]] of Object.entries(CRI_METHODS)) {
		const handler = handlers[method as CriMethod];
		if (handler === undefined) continue;
		const requestType = criType(requestName);
		const responseType = criType(responseName);
		definition[method] = {
			path: `/${o.service ?? `${CRI_PACKAGE}.RuntimeService`}/${method}`,
			requestStream: false,
			responseStream: false,
			requestSerialize: (value: object) => Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
			requestDeserialize: (buffer: Buffer) => requestType.toObject(requestType.decode(buffer), {longs: String, enums: String}),
			responseSerialize: (value: object) => Buffer.from(responseType.encode(responseType.fromObject(value)).finish()),
			responseDeserialize: (buffer: Buffer) => responseType.toObject(responseType.decode(buffer)),
		};
		implementation[method] = ((call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
			calls.push(method);
			callback(null, handler(call.request));
		}) as grpc.handleUnaryCall<Record<string, unknown>, unknown>;
	}

	server.addService(definition, implementation);
	await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), error => (error ? reject(error) : resolve())));
	return {
		socket,
		calls,
		stop: () =>
			new Promise(resolve => {
				server.tryShutdown(() => {
					if (o.dir === undefined) rmSync(dir, {recursive: true, force: true});
					resolve();
				});
			}),
	};
}

export const CONTAINERD_VERSION = {version: '0.1.0', runtimeName: 'containerd', runtimeVersion: '1.6.20', runtimeApiVersion: 'v1'};
