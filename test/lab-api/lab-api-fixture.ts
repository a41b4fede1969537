// A synthetic LabState (no kernel needed) served by an in-process lab API, in a temp dir: the real
// server the lab runs. The lab-api and the cluster suites both use it.
import {mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {request} from 'node:https';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {LabOptions, LabPod, LabPodKind, LabState} from '../../source/lab/lab-state.js';
import {type LabApiServer, type LabApiServerOptions, startLabApiServer} from '../../source/lab/api/server.js';

export function labPod(namespace: string, name: string, i: number, kind: LabPodKind = 'normal'): LabPod {
	const hex = (n: number, len: number) => n.toString(16).padStart(len, '0');
	const ip = kind === 'pending' ? null : kind === 'invalid-ip' ? '10.244.0.999' : kind === 'host-network' ? '198.51.100.2' : `10.244.0.${i + 2}`;
	const processStyle = i % 2 === 1;
	return {
		namespace,
		name,
		uid: `${hex(i, 8)}-0000-4000-a000-${hex(i, 12)}`,
		kind,
		ip,
		ips: ip === null ? [] : [ip],
		netnsPath: kind === 'pending' || kind === 'host-network' ? null : processStyle ? `/proc/${1000 + i}/ns/net` : `/run/netns/k8snet-lab-cni-${i}`,
		netnsName: kind === 'pending' || kind === 'host-network' || processStyle ? null : `k8snet-lab-cni-${i}`,
		sandboxPid: kind === 'pending' ? null : 1000 + i,
		sandboxId: hex(i, 64),
		containers: [{name: 'app', id: kind === 'pending' ? '' : hex(i + 7, 64), pid: kind === 'pending' ? null : 2000 + i, image: 'busybox:1.36'}],
		createdAt: '2026-11-29T10:00:00.123Z',
	};
}

export function labState(pods: LabPod[], options: Partial<LabOptions> = {}): LabState {
	return {
		version: 1,
		phase: 'up',
		options: {pods: pods.length, namespaces: ['default', 'lab'], sandbox: 'mixed', cni: 'bridge', ipv6: false, oddPods: false, fakeNodes: 0, fakePods: 0, traffic: false, ...options},
		node: 'k8snet-lab',
		nodeNetns: 'k8snet-lab-node',
		worldNetns: 'k8snet-lab-world',
		nodeIP: '198.51.100.2',
		worldIP: '198.51.100.1',
		builtWith: 'cni-plugin',
		kubeconfig: '',
		apiServer: '',
		apiSocket: '',
		daemonPids: [],
		trafficPids: [],
		pods,
	};
}

/** `count` normal pods pod-0, pod-1, ... alternating between the default and web namespaces. */
export function plainLabState(count: number, options: Partial<LabOptions> = {}): LabState {
	const pods = Array.from({length: count}, (_, i) => labPod(i % 2 === 0 ? 'default' : 'web', `pod-${i}`, i));
	return labState(pods, {namespaces: ['default', 'web'], ...options});
}

/** Four normal pods over default and lab, plus the four odd ones. */
export function oddLabState(options: Partial<LabOptions> = {}): LabState {
	return labState(
		[
			labPod('default', 'web-0', 0),
			labPod('default', 'web-1', 1),
			labPod('lab', 'db-0', 2),
			labPod('lab', 'db-1', 3),
			labPod('default', 'hostnet-0', 4, 'host-network'),
			labPod('default', 'pending-0', 5, 'pending'),
			labPod('lab', 'gone-0', 6, 'sandbox-gone'),
			labPod('lab', 'badip-0', 7, 'invalid-ip'),
		],
		{oddPods: true, ...options},
	);
}

export interface Fixture {
	dir: string;
	stateFile: string;
	server: LabApiServer;
	/** The state last written: a test may change it in place, then call writeState() to publish it. */
	state: LabState;
	/** Replaces the state file by rename, as `lab up` and `lab pod add` do. */
	writeState(s?: LabState): void;
	close(): Promise<void>;
}

export async function startFixture(state: LabState, o: Partial<LabApiServerOptions> = {}): Promise<Fixture> {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-labapi-'));
	const stateFile = join(dir, 'state.json');
	const write = (s: LabState) => {
		writeFileSync(`${stateFile}.tmp`, JSON.stringify(s));
		renameSync(`${stateFile}.tmp`, stateFile);
	};

	write(state);
	const server = await startLabApiServer({stateFile, dir, ...o});
	const fixture: Fixture = {
		dir,
		stateFile,
		server,
		state,
		writeState(s = fixture.state) {
			fixture.state = s;
			write(s);
		},
		async close() {
			// The server a test restarted is the one to close, not the first.
			await fixture.server.close();
			rmSync(dir, {recursive: true, force: true});
		},
	};
	return fixture;
}

/** Resolves when check() is true, polling every 10 ms; rejects after ms. */
export async function waitFor(what: string, check: () => boolean, ms = 2000): Promise<number> {
	const start = performance.now();
	while (!check()) {
		if (performance.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
		await new Promise(r => setTimeout(r, 10));
	}

	return performance.now() - start;
}

/** GET path from the fixture's API over HTTPS, with its token. ttfbMs: until the response headers came, i.e. the server's own share of the time. */
export function apiGet(f: Fixture, path: string, accept = 'application/json'): Promise<{status: number; bytes: number; body: string; ttfbMs: number}> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const req = request(`${f.server.url}${path}`, {ca: f.server.caCertPem, headers: {authorization: `Bearer ${f.server.token}`, accept}}, res => {
			const ttfbMs = performance.now() - t0;
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				resolve({status: res.statusCode ?? 0, bytes: body.length, body: body.toString(), ttfbMs});
			});
		});
		req.on('error', reject);
		req.end();
	});
}
