// The pure cache rules both pollers share: what is kept, what is dropped, what is probed again.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Address, Link, NetnsHolder, NodeNetSnapshot} from '../../source/core/types.js';
import {createNetnsCache, holderKey, preferredHolder} from '../../source/node/netns-cache.js';
import {link} from '../core/fixture-view.js';

const named = (inode: number, name: string): NetnsHolder => ({inode, path: `/run/netns/${name}`, name, pid: null, pidStart: null});
const held = (inode: number, pid: number, pidStart: number | null = 100): NetnsHolder => ({inode, path: `/proc/${pid}/ns/net`, name: null, pid, pidStart});
const global: Address = {family: 'inet', local: '10.244.0.5', prefixlen: 16, scope: 'global'};
const linkLocal: Address = {family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link'};

/** The node side: veth `nodeIfindex` whose peer is ifindex 2 in the namespace with nsid 0. */
function snapshot(nodeVeths: number[], takenAt = 0): NodeNetSnapshot {
	return {links: [link(1, 'lo', {kind: null}), ...nodeVeths.map(i => link(i, `veth${i}`, {linkIndex: 2, linkNetnsid: 0}))], routes: [], neighbours: [], fdb: [], takenAt};
}

function podLinks(peer: number | null, addresses: Address[]): Link[] {
	return [link(1, 'lo', {kind: null}), link(2, 'eth0', {linkIndex: peer, linkNetnsid: peer === null ? null : 0, addresses})];
}

const ok = (links: Link[]) => ({ok: true as const, links});

test('holder keys: a name, or a pid with its start time (a reused pid is another holder)', () => {
	assert.equal(holderKey(named(1, 'cni-a')), 'name:cni-a');
	assert.equal(holderKey(held(1, 42, 7)), 'pid:42:7');
	assert.notEqual(holderKey(held(1, 42, 7)), holderKey(held(1, 42, 8)));
	assert.equal(preferredHolder([held(1, 50), held(1, 40), named(1, 'b'), named(1, 'a')]).path, '/run/netns/a');
	assert.equal(preferredHolder([held(1, 50), held(1, 40)]).pid, 40);
});

test('reconcile: new inodes are returned once; a gone or changed holder drops its entry', () => {
	const cache = createNetnsCache();
	const a = named(10, 'a');
	const b = held(11, 42, 7);
	assert.deepEqual(cache.reconcile(new Map([[10, [a]], [11, [b]]])), [a, b]);
	cache.store(a, ok(podLinks(20, [global])), snapshot([20]), 0);
	cache.store(b, {ok: false, reason: 'nsenter: Permission denied', denied: true}, snapshot([20]), 0);
	assert.deepEqual(cache.reconcile(new Map([[10, [a]], [11, [b]]])), [], 'probed and failed entries alike are kept');
	assert.deepEqual(cache.inodes().sort(), [10, 11]);

	// pid 42 now has another start time: the same inode under another process is not the old entry.
	const reused = held(11, 42, 9);
	assert.deepEqual(cache.reconcile(new Map([[10, [a]], [11, [reused]]])), [reused]);
	assert.deepEqual(cache.reconcile(new Map([[11, [reused]]])), [reused], 'still not probed');
	assert.deepEqual(cache.inodes(), [], 'a is gone with its holder; 11 waits for its probe');
});

test('stale: a recorded pair gone from the node is probed again; an intact one is not', () => {
	const cache = createNetnsCache();
	const a = named(10, 'a');
	cache.reconcile(new Map([[10, [a]]]));
	cache.store(a, ok(podLinks(20, [global])), snapshot([20]), 0);
	assert.deepEqual(cache.stale(snapshot([20], 1), 1), []);
	assert.deepEqual(cache.stale(snapshot([21], 2), 2), [a], 'node veth 20 is gone');
});

test('stale: a namespace probed before it had a veth is probed again once, when an unaccounted node veth appears', () => {
	const cache = createNetnsCache();
	const a = named(10, 'a');
	cache.reconcile(new Map([[10, [a]]]));
	cache.store(a, ok([link(1, 'lo', {kind: null})]), snapshot([]), 0);
	assert.deepEqual(cache.stale(snapshot([], 1), 1), []);
	assert.deepEqual(cache.stale(snapshot([30], 2), 2), [a]);
	assert.deepEqual(cache.stale(snapshot([30], 3), 3), [], 'the same unaccounted set does not trigger again');
});

test('stale: a pair without a global address is probed every poll at first, then seldom, and no more once addressed', () => {
	const cache = createNetnsCache();
	const a = named(10, 'a');
	cache.reconcile(new Map([[10, [a]]]));
	cache.store(a, ok(podLinks(20, [linkLocal])), snapshot([20]), 0);
	for (const at of [2000, 4000, 9000]) {
		assert.deepEqual(cache.stale(snapshot([20], at), at), [a], `poll at ${at} ms`);
		cache.store(a, ok(podLinks(20, [linkLocal])), snapshot([20]), at);
	}

	// The first sighting counts, not the latest probe: past 10 s it backs off to once a minute.
	assert.deepEqual(cache.stale(snapshot([20], 11_000), 11_000), []);
	assert.deepEqual(cache.stale(snapshot([20], 60_000), 60_000), []);
	assert.deepEqual(cache.stale(snapshot([20], 69_000), 69_000), [a]);
	cache.store(a, ok(podLinks(20, [linkLocal, global])), snapshot([20]), 69_000);
	assert.deepEqual(cache.stale(snapshot([20], 71_000), 71_000), []);
	assert.deepEqual(cache.stale(snapshot([20], 200_000), 200_000), [], 'addressed: settled');

	// A namespace without any veth pair is not waiting for IPAM (hostNetwork-like helpers, empty netns).
	const b = named(11, 'b');
	cache.reconcile(new Map([[10, [a]], [11, [b]]]));
	cache.store(b, ok(podLinks(null, [])), snapshot([20]), 0);
	assert.deepEqual(cache.stale(snapshot([20], 1000), 1000), []);
});

test('view: probed namespaces only; denied probes without any success mean no entering', () => {
	const cache = createNetnsCache();
	const a = named(10, 'a');
	const b = held(11, 42);
	cache.reconcile(new Map([[10, [a]], [11, [b]]]));
	cache.store(b, {ok: false, reason: 'nsenter: Operation not permitted', denied: true}, snapshot([]), 0);
	let view = cache.view(snapshot([]), null);
	assert.equal(view.canEnterNetns, false);
	assert.equal(view.enterDeniedReason, 'nsenter: Operation not permitted');
	cache.store(a, ok(podLinks(20, [global])), snapshot([20]), 0);
	view = cache.view(snapshot([20]), null);
	assert.equal(view.canEnterNetns, true);
	assert.deepEqual(view.namespaces.map(ns => ns.holder.path), ['/run/netns/a']);
	view = cache.view(snapshot([20]), 'running as uid 1000, not root');
	assert.equal(view.canEnterNetns, false);
	assert.equal(view.enterDeniedReason, 'running as uid 1000, not root');
});
