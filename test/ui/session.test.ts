// The session against a real API server (the lab's, in-process, serving fake pods on fake nodes)
// and this host as the node, read-only: what it publishes in the store, and the commands it obeys.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TargetOptions} from '../../source/app/options.js';
import {createSession, type TuiSession} from '../../source/app/session.js';
import {startLabApiServer, type LabApiServer} from '../../source/lab/api/server.js';
import type {TuiState} from '../../source/store/tui-state.js';
import {needs} from '../support/prerequisites.js';
import {untilState} from './store-until.js';
import {hostNodeState} from './host-node-state.js';

const skip = needs({tools: ['ip', 'openssl']});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-session-'));
let server: LabApiServer | null = null;
let session: TuiSession | null = null;

const state = hostNodeState(50);

before(async () => {
	if (skip) return;
	server = await startLabApiServer({getState: () => state, dir});
});

after(async () => {
	await session?.stop();
	await server?.close();
	rmSync(dir, {recursive: true, force: true});
});

function until(predicate: (s: TuiState) => boolean, what: string, timeoutMs = 15_000): Promise<TuiState> {
	return untilState(session!.store, predicate, what, timeoutMs, s => JSON.stringify({...s, pods: s.pods.size, paths: undefined, view: undefined, rates: undefined}));
}

/** The flags of a bare `k8snet-tui --kubeconfig` at the in-process API. */
function options(): TargetOptions {
	return {
		kubeconfig: server!.kubeconfigPath,
		context: undefined,
		namespace: undefined,
		allNamespaces: false,
		selector: undefined,
		node: undefined,
		allNodes: false,
		nodeSsh: undefined,
		nodeExec: undefined,
		debug: false,
	};
}

test('the session resolves the target, polls the node, watches pods, and obeys a / r / explain', {skip}, async () => {
	session = createSession(options());
	assert.equal(session.store.getSnapshot().phase, 'connecting');
	await session.start();
	const ready = await until(s => s.phase === 'ready' && s.polledAt !== null && s.watch.connected, 'the first poll and a connected watch');
	assert.equal(ready.node, hostname());
	assert.equal(ready.access?.kind, 'local');
	assert.equal(ready.server, server!.url);
	assert.ok(ready.view !== null && ready.view.snapshot.links.some(link => link.ifname === 'lo'), 'the node snapshot has lo');
	assert.equal(ready.pods.size, 0, 'no pod runs on this host');

	session.dispatch({type: 'toggle-all-nodes'});
	const all = await until(s => s.allNodes && s.pods.size === 50 && s.paths.size === 50, 'the pods of every node');
	const [uid, path] = [...all.paths][0]!;
	assert.equal(path.status, 'not-on-this-node');

	session.dispatch({type: 'explain', uid});
	const explained = await until(s => s.explain?.uid === uid, 'explain for a pod of another node');
	assert.equal(explained.explain!.steps.length, 0);
	assert.ok(explained.explain!.error);

	const polledAt = explained.polledAt!;
	session.dispatch({type: 'refresh'});
	await until(s => s.polledAt! > polledAt, 'a refresh');

	session.dispatch({type: 'toggle-all-nodes'});
	await until(s => !s.allNodes && s.pods.size === 0, 'back to this node\'s pods');

	session.dispatch({type: 'start-capture', uid});
	const captures = session.captures;
	const capture = await new Promise<ReturnType<TuiSession['captures']['getSnapshot']>>(resolve => {
		const check = () => {
			const c = captures.getSnapshot();
			if (!c.error) return;
			unsubscribe();
			resolve(c);
		};

		const unsubscribe = captures.subscribe(check);
		check();
	});
	assert.match(capture.error!.reason, /no resolved path|not/);
	await session.stop();
	session = null;
});

test('without nsenter on this host the session says so, with the package that has it', {skip}, async () => {
	// A PATH with every command of this host but nsenter.
	const bin = join(dir, 'bin-without-nsenter');
	mkdirSync(bin, {recursive: true});
	for (const from of (process.env['PATH'] ?? '').split(':').filter(d => d !== '' && existsSync(d))) {
		for (const name of readdirSync(from)) {
			if (name !== 'nsenter' && !existsSync(join(bin, name))) symlinkSync(join(from, name), join(bin, name));
		}
	}

	const path = process.env['PATH'];
	process.env['PATH'] = bin;
	try {
		session = createSession(options());
		await session.start();
		const ready = await until(s => s.nodeProblem !== null, 'the missing nsenter to be reported');
		assert.match(ready.nodeProblem!.reason, /'nsenter' is not installed on this host/);
		assert.match(ready.nodeProblem!.hint, /apt-get install util-linux/);
	} finally {
		process.env['PATH'] = path;
		await session?.stop();
		session = null;
	}
});
