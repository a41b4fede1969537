// The TUI's open path without a cluster: the tracer is a stand-in that counts its calls, so the
// test sees that a path is joined once and its facts read once per refresh, that a pod that cannot
// carry a path or is deleted is an error value with a hint, and that a read which lands after the
// path was closed is never shown.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {createPathSession, type Tracer} from '../../source/app/path-session.js';
import type {JoinedTrace} from '../../source/app/path-trace.js';
import type {NodeRegistry} from '../../source/node/node-registry.js';
import type {OpenPath} from '../../source/store/tui-state.js';
import {fixtureOpenPath} from './path-fixture.js';
import {fixtureState} from './tui-fixture.js';

const registry = {} as NodeRegistry;
const pods = fixtureState().pods;
const web1 = pods.get('uid-web-1')!;
const far = pods.get('uid-far')!;
const document = fixtureOpenPath(false).document!;

function tracer(read: () => Promise<void> = async () => undefined) {
	const calls = {join: 0, read: 0};
	const t: Tracer = {
		async joinTrace() {
			calls.join++;
			return {ok: true, value: {} as JoinedTrace};
		},
		async readTraceFacts() {
			calls.read++;
			await read();
			return {document, factsRoundTrips: new Map()};
		},
	};
	return {t, calls};
}

test('a path is joined once, then each refresh reads the facts once; the document is published', async () => {
	const published: Array<OpenPath | null> = [];
	const {t, calls} = tracer();
	const session = createPathSession(path => published.push(path), t);
	await session.open(registry, [], web1, far);
	assert.equal(published[0]?.document, null, 'tracing… first');
	assert.equal(published.at(-1)?.document, document);
	assert.deepEqual([published.at(-1)?.from, published.at(-1)?.to], ['default/web-1', 'default/far-away']);
	await session.refresh();
	await session.refresh();
	assert.deepEqual(calls, {join: 1, read: 3});
	session.close();
	assert.equal(published.at(-1), null);
	await session.refresh();
	assert.equal(calls.read, 3, 'a closed path is not read');
});

test('a pod that cannot carry a path is an error with a hint, and nothing is traced', async () => {
	const published: Array<OpenPath | null> = [];
	const {t, calls} = tracer();
	const session = createPathSession(path => published.push(path), t);
	await session.open(registry, [], web1, pods.get('uid-kp'));
	assert.match(published.at(-1)?.error?.reason ?? '', /kube-system\/kube-proxy-x uses the node's network/);
	await session.open(registry, [], web1, pods.get('uid-pending'));
	assert.match(published.at(-1)?.error?.reason ?? '', /default\/pending-1 is Pending, not running/);
	await session.open(registry, [], web1, undefined);
	assert.match(published.at(-1)?.error?.reason ?? '', /the peer pod is gone/);
	assert.ok(published.every(p => p?.error?.hint));
	assert.deepEqual(calls, {join: 0, read: 0});
});

test('a deleted pod ends its path with a reason; a read that lands after close is dropped', async () => {
	const published: Array<OpenPath | null> = [];
	let release = () => {};
	const {t} = tracer(() => new Promise<void>(resolve => {
		release = resolve;
	}));
	const session = createPathSession(path => published.push(path), t);
	const opening = session.open(registry, [], web1, far);
	await new Promise(resolve => setImmediate(resolve));
	session.podGone('uid-far');
	assert.match(published.at(-1)?.error?.reason ?? '', /default\/far-away is gone/);
	release();
	await opening;
	assert.equal(published.at(-1)?.document, null, 'the late read is not shown over the error');

	const again = session.open(registry, [], web1, far);
	await new Promise(resolve => setImmediate(resolve));
	session.close();
	release();
	await again;
	assert.equal(published.at(-1), null, 'the late read does not reopen a closed path');
});
