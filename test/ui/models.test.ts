// The pure parts under the panes: rows, selection, window, layout, explain wrapping, rates, store.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {linkRates} from '../../source/store/link-rates.js';
import {createStore} from '../../source/store/store.js';
import {containersModel} from '../../source/ui/containers-model.js';
import {wrapCommand} from '../../source/ui/explain-lines.js';
import {computeLayout} from '../../source/ui/layout.js';
import {pathModel, podsByPeer} from '../../source/ui/path-model.js';
import {buildRows, filterRows, sortRows} from '../../source/ui/pod-rows.js';
import {initialViewState, resolveSelection, viewReducer, windowStart} from '../../source/ui/view-state.js';
import {resolvePods} from '../../source/core/join.js';
import type {PodInfo} from '../../source/core/types.js';
import {fixturePods, fixtureView, podRef} from '../core/fixture-view.js';
import {fixtureState} from './tui-fixture.js';

test('rows: kinds, filter by name / namespace / IP / interface, IPs sort numerically', () => {
	const state = fixtureState();
	const rows = buildRows(state.pods, state.paths, state.node);
	const kind = (name: string) => rows.find(row => row.name === name)?.kind;
	assert.equal(kind('web-1'), 'pod');
	assert.equal(kind('kube-proxy-x'), 'host-network');
	assert.equal(kind('pending-1'), 'pending');
	assert.equal(kind('far-away'), 'other-node');
	const names = (filter: string) => filterRows(rows, filter).map(row => row.name).sort();
	assert.deepEqual(names('WEB'), ['web-1', 'web-2']);
	assert.deepEqual(names('data/'), ['db-0']);
	assert.deepEqual(names('10.244.0.3'), ['web-2']);
	assert.deepEqual(names('veth9c'), ['db-0']);
	assert.deepEqual(names(''), rows.map(row => row.name).sort());
	const byIp = sortRows(rows, 'ip', false).map(row => row.ip);
	assert.deepEqual(byIp.slice(0, 5), ['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.7.9', '198.51.100.2']);
	assert.deepEqual(sortRows(rows, 'ip', true).map(row => row.ip), [...byIp].reverse());
});

test('without root: each heuristic row says "heuristic", and its path says how it was found and what root would add', () => {
	const view = {...fixtureView('eng-bridge-dualstack-2bridges'), namespaces: [], canEnterNetns: false, enterDeniedReason: 'running as uid 65534, not root'};
	const refs = fixturePods('eng-bridge-dualstack-2bridges').map(p => podRef(p.name, p.ips));
	const pods = new Map(refs.map(ref => [ref.uid, {...ref, phase: 'Running', ready: true, restarts: 0, hostIP: null, startTime: null, conditions: [], labels: {}, containers: [], resourceVersion: '1'} satisfies PodInfo]));
	const noNeighbours = {...view, snapshot: {...view.snapshot, neighbours: []}};
	const resolved = resolvePods(refs, view, 'node-a');
	const [partial] = resolvePods([refs[0]!], noNeighbours, 'node-a');
	assert.ok(resolved.length > 1 && resolved.every(path => path.heuristic && path.status === 'resolved'));
	assert.equal(partial!.status, 'partial');
	for (const paths of [resolved, [partial!]]) {
		const rows = buildRows(pods, new Map(paths.map(path => [path.uid, path])), 'node-a').filter(row => paths.some(path => path.uid === row.uid));
		for (const row of rows) assert.equal(row.status, 'heuristic', row.title);
		const model = pathModel(paths[0]!, noNeighbours, new Map(), new Map());
		assert.match(model.note ?? '', /^heuristic: inferred from the node's routes, neighbours and bridge fdb/);
		assert.ok(model.evidence.some(line => line.includes('running as uid 65534, not root')), 'the evidence says why');
		assert.match(model.note ?? '', /As root it would read eth0 inside the pod's netns/);
	}

	// With root the same pods are not marked.
	const rooted = buildRows(pods, new Map(resolvePods(refs, fixtureView('eng-bridge-dualstack-2bridges'), 'node-a').map(path => [path.uid, path])), 'node-a');
	assert.ok(rooted.every(row => row.status === 'Running'), rooted.map(row => row.status).join());
});

test('selection is by uid; a vanished pod leaves the cursor on its neighbour', () => {
	const uids = ['a', 'b', 'c', 'd'];
	let state = viewReducer(initialViewState, {type: 'move', delta: 2, uids});
	assert.deepEqual(resolveSelection(state, uids), {index: 2, uid: 'c'});
	assert.deepEqual(resolveSelection(state, ['x', 'y', 'a', 'b', 'c']), {index: 4, uid: 'c'});
	assert.deepEqual(resolveSelection(state, ['a', 'b', 'd']), {index: 2, uid: 'd'});
	state = viewReducer(state, {type: 'move', delta: 1, uids: ['x', 'c', 'y']});
	assert.equal(state.selectedUid, 'y');
	state = viewReducer(state, {type: 'move', delta: 99, uids});
	assert.equal(state.selectedUid, 'd');
	assert.deepEqual(resolveSelection(state, []), {index: 0, uid: null});
});

test('selection: a deleted pod hands the cursor to its neighbour by position once, then the neighbour\'s uid is followed', () => {
	const rows = (...uids: string[]) => ({type: 'rows-changed' as const, uids, known: new Set(uids)});
	let state = viewReducer(initialViewState, {type: 'move', delta: 2, uids: ['a', 'b', 'c', 'd']});
	assert.equal(state.selectedUid, 'c');
	// c is deleted: d took its place.
	state = viewReducer(state, rows('a', 'b', 'd'));
	assert.equal(state.selectedUid, 'd');
	// Pods added before d must not move the cursor off it.
	state = viewReducer(state, rows('x', 'y', 'a', 'b', 'd'));
	assert.deepEqual(resolveSelection(state, ['x', 'y', 'a', 'b', 'd']), {index: 4, uid: 'd'});
	// The last row deleted: its neighbour above.
	state = viewReducer(state, rows('x', 'y', 'a', 'b'));
	assert.equal(state.selectedUid, 'b');
	// Hidden by the filter but not deleted: the selection is kept, for when the filter is cleared.
	const hidden = viewReducer(state, {type: 'rows-changed', uids: ['x', 'y'], known: new Set(['x', 'y', 'a', 'b'])});
	assert.equal(hidden.selectedUid, 'b');
	// Nothing selected yet: the first row is taken, and later adds before it leave it there.
	let fresh = viewReducer(initialViewState, rows('m', 'n'));
	assert.equal(fresh.selectedUid, 'm');
	fresh = viewReducer(fresh, rows('a', 'm', 'n'));
	assert.deepEqual(resolveSelection(fresh, ['a', 'm', 'n']), {index: 1, uid: 'm'});
	// No rows: nothing to hand over, the state is kept as is.
	assert.equal(viewReducer(state, rows()), state);
});

test('the virtual window moves only as far as the cursor needs', () => {
	assert.equal(windowStart(0, 5, 10, 100), 0);
	assert.equal(windowStart(0, 10, 10, 100), 1);
	assert.equal(windowStart(50, 49, 10, 100), 49);
	assert.equal(windowStart(95, 99, 10, 100), 90);
	assert.equal(windowStart(30, 3, 10, 5), 0);
});

test('explain commands wrap with a shell continuation, never inside quotes', () => {
	const command = 'ip netns exec k8snet-lab-node ip -o link show | awk -F\': \' \'$1 == 12\'';
	assert.deepEqual(wrapCommand(command, 100), [`$ ${command}`]);
	const lines = wrapCommand(command, 40);
	assert.ok(lines.length > 1);
	for (const line of lines.slice(0, -1)) assert.ok(line.endsWith(' \\'), line);
	const joined = lines.map(line => line.replace(/ \\$/, '').replace(/^\$? +/, '')).join(' ');
	assert.equal(joined, command);
	assert.ok(lines.some(line => line.includes('\'$1 == 12\'')), 'the awk program stays on one line');
});

test('layout: 80×24 keeps the root at rows-1 and every pane usable; below is too small', () => {
	const layout = computeLayout(80, 24, {captureOpen: false, captureZoomed: false, containerRows: 2});
	assert.equal(layout.tooSmall, false);
	assert.equal(layout.height, 23);
	assert.equal(layout.pods + layout.lower, layout.body);
	assert.ok(layout.pods >= 5 && layout.containers >= 7 && layout.details >= 5, JSON.stringify(layout));
	const capture = computeLayout(100, 30, {captureOpen: true, captureZoomed: false, containerRows: 2});
	assert.equal(capture.pods + capture.lower + capture.capture, capture.body);
	assert.equal(computeLayout(100, 30, {captureOpen: true, captureZoomed: true, containerRows: 2}).capture, capture.body);
	assert.equal(computeLayout(79, 24, {captureOpen: false, captureZoomed: false, containerRows: 2}).tooSmall, true);
	assert.equal(computeLayout(80, 23, {captureOpen: false, captureZoomed: false, containerRows: 2}).tooSmall, true);
});

test('rates come from two snapshots; a counter reset gives no rate', () => {
	const state = fixtureState();
	const before = state.view!.snapshot;
	const after = {
		...before,
		takenAt: before.takenAt + 2000,
		links: before.links.map(link => link.ifname === 'bridge'
			? {...link, stats: {...link.stats!, rxBytes: 0}}
			: {...link, stats: {...link.stats!, rxBytes: link.stats!.rxBytes + 4000, txPackets: link.stats!.txPackets + 10}}),
	};
	const rates = linkRates(before, after);
	assert.deepEqual(rates.get('veth1a2b3c4d'), {rxBps: 2000, txBps: 0, rxPps: 0, txPps: 5});
	assert.equal(rates.has('bridge'), false);
	assert.equal(linkRates(null, after).size, 0);
});

test('path: eth0 counters mirror the peer; a routed pod shows its /32 route in place of a bridge', () => {
	const state = fixtureState();
	const path = state.paths.get('uid-web-1')!;
	const model = pathModel(path, state.view, state.rates, podsByPeer(state.paths.values()));
	assert.deepEqual(model.hops.map(hop => hop.kind), ['eth0', 'peer', 'bridge']);
	const [eth0, peer] = model.hops;
	assert.equal(eth0!.stats!.rxBytes, peer!.stats!.txBytes);
	assert.equal(eth0!.rate!.rxBps, peer!.rate!.txBps);
	const routed = {...path, bridge: null, peer: {...path.peer!, master: null}, routes: ['10.244.0.2 dev veth1a2b3c4d scope host']};
	const ptp = pathModel(routed, state.view, state.rates, new Map());
	assert.deepEqual(ptp.hops.map(hop => hop.kind), ['eth0', 'peer', 'route']);
	assert.equal(ptp.hops[2]!.title, '10.244.0.2 dev veth1a2b3c4d scope host');
	const host = pathModel(state.paths.get('uid-kp')!, state.view, state.rates, new Map());
	assert.equal(host.hops.length, 0);
	assert.match(host.note ?? '', /hostNetwork/);
});

test('containers: sandbox first; shared netns stated, a different one flagged, no runtime explained', () => {
	const state = fixtureState();
	const web1 = containersModel(state.pods.get('uid-web-1')!, state.paths.get('uid-web-1'), state.runtime);
	assert.equal(web1.rows[0]!.kind, 'sandbox');
	assert.equal(web1.tone, 'ok');
	assert.equal(web1.fact, 'all 2 share netns net:[4026532001] and IP 10.244.0.2');
	const web2 = containersModel(state.pods.get('uid-web-2')!, state.paths.get('uid-web-2'), state.runtime);
	assert.equal(web2.tone, 'warn');
	const none = containersModel(state.pods.get('uid-db-0')!, state.paths.get('uid-db-0'), {kind: 'none', sandboxes: [], note: 'no container runtime CLI on this node'});
	assert.equal(none.tone, 'unknown');
	assert.match(none.fact, /no container runtime CLI/);
});

test('the store notifies at most once per interval, with the latest snapshot', async () => {
	const store = createStore({n: 0}, 50);
	const seen: number[] = [];
	store.subscribe(() => seen.push(store.getSnapshot().n));
	for (let i = 1; i <= 100; i++) store.update(() => ({n: i}));
	await new Promise(resolve => setTimeout(resolve, 80));
	assert.deepEqual(seen, [100]);
	store.update(() => ({n: 101}));
	store.flush();
	assert.deepEqual(seen, [100, 101]);
});
