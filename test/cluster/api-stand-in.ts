// A small Kubernetes API stand-in on loopback for the cluster adapters' list calls: a handler
// answers each request by path, and a kubeconfig for user "jane" points client code at it.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {loadKubeTarget, type KubeTarget} from '../../source/cluster/kube-target.js';

export type Reply = (status: number, body: string) => void;

export interface ApiStandIn {
	target: KubeTarget;
	/** Every path asked for, in order. */
	requests: string[];
	close(): Promise<void>;
}

export async function startApiStandIn(answer: (path: string, reply: Reply) => void): Promise<ApiStandIn> {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-api-stand-in-'));
	const requests: string[] = [];
	const server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
		requests.push(path);
		answer(path, (status, body) => {
			res.writeHead(status, {'Content-Type': 'application/json'});
			res.end(body);
		});
	});
	await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
	const file = join(dir, 'kubeconfig');
	writeFileSync(file, JSON.stringify({
		'current-context': 'stand-in',
		clusters: [{name: 'stand-in', cluster: {server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'insecure-skip-tls-verify': true}}],
		users: [{name: 'jane', user: {token: 'x'}}],
		contexts: [{name: 'stand-in', context: {cluster: 'stand-in', user: 'jane'}}],
	}));
	const t = loadKubeTarget({kubeconfig: file});
	assert.ok(t.ok, JSON.stringify(t));
	return {
		target: t.value,
		requests,
		close: async () => {
			await new Promise<void>(r => server.close(() => r()));
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

export const notFound = JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404});
