// The lab API server, startable in-process (tests) or as the lab's daemon (daemon.ts).
// One handler, three doors: HTTPS on 127.0.0.1 for clients; a unix socket in TLS only, which the
// node-namespace forwarder pipes TCP through; and a unix socket in plain HTTP, the only door to the
// /lab/ admin routes. Admin has a door of its own because anything the forwarder reaches is TCP:
// a socket that also spoke plain HTTP would hand the admin routes to anyone in the node netns.
import {createServer as createHttpServer} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createNetServer, type Server as NetServer, type Socket} from 'node:net';
import {chmod, rm, writeFile, rename} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {labNodes} from '../lab-nodes.js';
import {type LabState, readLabState} from '../lab-state.js';
import {CreatedPods} from './created-pods.js';
import {createdPodsWiring} from './created-pods-wiring.js';
import {LabApi} from './api-handler.js';
import type {RequestStats} from './request-log.js';
import {apiTimestamp, desiredObjects, type FakeCluster, fakeCluster, type KubeObject} from './kube-objects.js';
import {labDaemonSets} from './network-policy-agent-object.js';
import {labServiceObjects} from './services-objects.js';
import type {LabApiFaults} from './lab-faults.js';
import {networkPolicyFile, readNetworkPolicies, writeNetworkPolicies} from './network-policy-file.js';
import {ObjectStore} from './object-store.js';
import {watchStateFile} from './state-file-watch.js';
import {ensureTlsMaterial, kubeconfigYaml, rogueCertificate} from './tls-material.js';

export interface LabApiServerOptions {
	/** Serve the pods of this state file, reloading it on change. */
	stateFile?: string;
	/** Or take the state from here (polled every second; call reload() to apply a change at once). */
	getState?: () => LabState | null;
	/** Where the CA, certificate, token and kubeconfig live. */
	dir: string;
	/** HTTPS port on 127.0.0.1; 0 or absent: ephemeral. */
	port?: number;
	/** Unix socket for the admin routes (plain HTTP); default <dir>/api.sock. */
	socket?: string;
	/** Unix socket in TLS only, for the forwarder; default <dir>/api-tls.sock. */
	tlsSocket?: string;
	/** Watch events kept for resuming watches; older resourceVersions get 410. Default 1000. */
	historyLimit?: number;
	/** Interval between BOOKMARK events on watches that allow them. Default 10 s. */
	bookmarkMs?: number;
}

export interface LabApiServer {
	url: string;
	port: number;
	kubeconfigPath: string;
	socket: string;
	tlsSocket: string;
	token: string;
	caCertPem: string;
	setFaults(f: LabApiFaults): Promise<void>;
	/** See LabApi.cutWatches: destroy (default) or, graceful, end every open watch. */
	cutWatches(graceful?: boolean): number;
	/** Re-reads the state now and emits watch events for the difference. */
	reload(): void;
	resourceVersion(): number;
	requestStats(): RequestStats;
	close(): Promise<void>;
}

async function writeAtomic(file: string, text: string, mode = 0o600): Promise<void> {
	const tmp = `${file}.${process.pid}.tmp`;
	await writeFile(tmp, text, {mode});
	await rename(tmp, file);
}

function listen(server: NetServer, ...args: [number, string] | [string]): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(...(args as [number, string]), () => {
			server.off('error', reject);
			resolve();
		});
	});
}

export async function startLabApiServer(o: LabApiServerOptions): Promise<LabApiServer> {
	if (!o.stateFile && !o.getState) throw new Error('startLabApiServer needs stateFile or getState');
	const tls = await ensureTlsMaterial(o.dir);
	const store = new ObjectStore(o.historyLimit ?? 1000);
	const epoch = apiTimestamp(new Date().toISOString());
	const getState = o.getState ?? (() => readLabState(o.stateFile));

	let fake: {key: string; cluster: FakeCluster} | null = null;
	const fakeFor = (state: LabState | null): FakeCluster => {
		const nodes = state?.options?.fakeNodes ?? 0;
		const pods = state?.options?.fakePods ?? 0;
		const namespaces = state?.options?.namespaces ?? [];
		const key = `${nodes}/${pods}/${namespaces.join(',')}`;
		if (fake?.key !== key) fake = {key, cluster: fakeCluster(nodes, pods, namespaces, epoch)};
		return fake.cluster;
	};

	const policyFile = networkPolicyFile(o.dir);
	let policies = readNetworkPolicies(policyFile);
	const savePolicies = (objects: KubeObject[]) => {
		writeNetworkPolicies(policyFile, objects);
		policies = objects;
		reload();
	};

	let lastGood: LabState | null = null;
	const reload = () => {
		const state = getState();
		// A file that is missing or half-written keeps the last good state (the lab writes by rename,
		// so this is only a guard): the API never flaps to an empty cluster.
		if (state === null && lastGood !== null && o.stateFile) return;
		lastGood = state;
		const desired = desiredObjects(state, fakeFor(state), epoch, policies);
		// Services and the policy agent's DaemonSet are composed here: kube-objects.ts would import them in a cycle.
		store.apply({...desired, ...labServiceObjects(state), daemonsets: labDaemonSets(state, epoch), pods: [...desired.pods, ...created.objects()]});
	};

	const nodeOf = (name: string) => (lastGood ? labNodes(lastGood).find(n => n.name === name) ?? null : null);
	const created = new CreatedPods({file: join(o.dir, 'created-pods.json'), nodeNetns: name => nodeOf(name)?.netns ?? null, onChange: () => reload()});
	reload();

	let port = 0;
	let certIsBad = false;
	const applyFaults = async (f: LabApiFaults) => {
		if (Boolean(f.badCert) === certIsBad) return;
		const pair = f.badCert ? await rogueCertificate(o.dir) : {certPem: tls.certPem, keyPem: tls.keyPem};
		https.setSecureContext({cert: pair.certPem, key: pair.keyPem});
		certIsBad = Boolean(f.badCert);
	};

	const api = new LabApi({
		store,
		token: tls.token,
		serverAddress: () => `127.0.0.1:${port}`,
		bookmarkMs: o.bookmarkMs,
		applyFaults,
		savePolicies,
		...createdPodsWiring(store, created, () => lastGood),
	});
	const https = createHttpsServer({cert: tls.certPem, key: tls.keyPem}, (req, res) => api.handle(req, res, false));
	https.on('upgrade', (req, socket, head) => api.upgrade(req, socket, head));
	const admin = createHttpServer((req, res) => api.handle(req, res, true));
	const tlsDoor = createNetServer(conn => {
		conn.on('error', () => conn.destroy());
		https.emit('connection', conn);
	});

	const socket = o.socket ?? join(o.dir, 'api.sock');
	const tlsSocket = o.tlsSocket ?? join(o.dir, 'api-tls.sock');
	await listen(https, o.port ?? 0, '127.0.0.1');
	port = (https.address() as AddressInfo).port;
	for (const [server, path] of [[admin, socket], [tlsDoor, tlsSocket]] as const) {
		await rm(path, {force: true});
		await listen(server, path);
		await chmod(path, 0o600);
	}

	const url = `https://127.0.0.1:${port}`;
	const kubeconfigPath = join(o.dir, 'kubeconfig');
	await writeAtomic(kubeconfigPath, kubeconfigYaml(url, tls.caCertPem, tls.token));

	const fileWatch = o.stateFile ? watchStateFile(o.stateFile, reload) : null;
	const poll = o.getState ? setInterval(reload, 1000) : null;
	poll?.unref();
	const open = new Set<Socket>();
	for (const s of [https, admin, tlsDoor]) {
		s.on('connection', (c: Socket) => {
			open.add(c);
			c.once('close', () => open.delete(c));
		});
	}

	let closed: Promise<void> | null = null;
	return {
		url,
		port,
		kubeconfigPath,
		socket,
		tlsSocket,
		token: tls.token,
		caCertPem: tls.caCertPem,
		setFaults: f => api.setFaults(f),
		cutWatches: graceful => api.cutWatches(graceful),
		reload,
		resourceVersion: () => store.rv,
		requestStats: () => api.requestStats(),
		close() {
			closed ??= (async () => {
				fileWatch?.close();
				if (poll) clearInterval(poll);
				api.cutWatches();
				created.close();
				const done = Promise.all([https, admin, tlsDoor].map(async s => new Promise<void>(r => s.close(() => r()))));
				for (const c of open) c.destroy();
				await done;
				await Promise.all([socket, tlsSocket].map(async path => rm(path, {force: true})));
			})();
			return closed;
		},
	};
}
