import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CAPTURE_KEY_BINDINGS, captureKey, captureViewReducer, captureWindow, initialCaptureView, type CaptureViewState} from '../../source/capture/capture-view.js';
import {capturePoints, defaultCapturePoint, nextCapturePoint} from '../../source/capture/capture-points.js';
import type {CaptureSnapshot} from '../../source/capture/capture-session.js';
import {fillRing, fixturePod, snapshotOf} from './snapshot-fixture.js';

function press(view: CaptureViewState, snapshot: CaptureSnapshot, name: string, input = name, height = 10): CaptureViewState {
	const outcome = captureKey(name, input, view, snapshot, height);
	assert.ok(outcome !== null && 'action' in outcome, `${name} is a view key`);
	return captureViewReducer(view, outcome.action);
}

const seqs = (snapshot: CaptureSnapshot, view: CaptureViewState, height = 10) => captureWindow(snapshot, view, height).entries.map(e => e.seq);

test('following shows the newest lines; only a window of `height` is read', () => {
	const ring = fillRing(25_000);
	let reads = 0;
	const base = snapshotOf(ring);
	const snapshot = {...base, lines: (from: number, to: number) => ((reads += Math.max(0, to - from)), base.lines(from, to))};
	assert.deepEqual(seqs(snapshot, initialCaptureView), [24_990, 24_991, 24_992, 24_993, 24_994, 24_995, 24_996, 24_997, 24_998, 24_999]);
	assert.equal(reads, 10);
});

test('space pauses at the current line while lines keep coming; G follows again', () => {
	const ring = fillRing(100);
	let view = press(initialCaptureView, snapshotOf(ring), ' ');
	assert.equal(view.following, false);
	for (let i = 0; i < 50; i++) ring.pushGap('x');
	assert.deepEqual(seqs(snapshotOf(ring), view), [90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
	view = press(view, snapshotOf(ring), 'G');
	assert.equal(view.following, true);
	assert.equal(seqs(snapshotOf(ring), view).at(-1), 149);
});

test('PgUp/PgDn scroll by a page, stop at the oldest line held, and PgDn at the end follows', () => {
	const ring = fillRing(35, 30); // seqs 5..34 held
	const snapshot = snapshotOf(ring);
	let view = press(initialCaptureView, snapshot, 'pgup');
	assert.deepEqual(seqs(snapshot, view), [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
	view = press(view, snapshot, 'pgup');
	assert.deepEqual(seqs(snapshot, view), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
	view = press(view, snapshot, 'pgup');
	assert.deepEqual(seqs(snapshot, view), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 'a full first page, not a short one');
	view = press(view, snapshot, 'pgdn');
	assert.deepEqual(seqs(snapshot, view), [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
	view = press(press(view, snapshot, 'pgdn'), snapshot, 'pgdn');
	assert.equal(view.following, true);
});

test('C clears the pane; / searches within the lines, esc clears the search', () => {
	const ring = fillRing(20, 100, i => (i % 5 === 0 ? `IP 10.0.0.1 > 10.0.0.2: ICMP seq ${i}` : `ARP, Request ${i}`));
	let view = press(initialCaptureView, snapshotOf(ring), 'C');
	assert.deepEqual(seqs(snapshotOf(ring), view), []);
	ring.push({text: 'ARP, Request after', protocol: 'arp'});
	assert.deepEqual(seqs(snapshotOf(ring), view), [20]);
	view = initialCaptureView;
	const snapshot = snapshotOf(ring);
	view = press(view, snapshot, '/');
	for (const ch of 'icmq') view = press(view, snapshot, ch);
	view = press(view, snapshot, 'backspace', '');
	view = press(view, snapshot, 'p');
	assert.equal(view.editing, 'icmp');
	assert.equal(captureKey('ctrl-c', 'c', view, snapshot, 10), null, 'ctrl-c still quits while typing');
	view = press(view, snapshot, 'enter', '');
	assert.equal(view.search, 'icmp');
	assert.deepEqual(seqs(snapshot, view), [0, 5, 10, 15]);
	view = press(view, snapshot, 'esc', '');
	assert.equal(view.search, '');
});

test('the search sees pod names, which are added only when a line is shown', () => {
	const ring = fillRing(6, 100, i => (i % 2 === 0 ? `IP 10.244.0.2 > 10.244.0.3: ICMP seq ${i}` : `IP 10.244.0.2 > 10.244.0.9: ICMP seq ${i}`));
	const snapshot = snapshotOf(ring);
	assert.deepEqual(ring.at(0), {seq: 0, kind: 'item', value: {text: 'IP 10.244.0.2 > 10.244.0.3: ICMP seq 0', protocol: 'icmp'}});
	const view = {...initialCaptureView, search: 'WEB-2'};
	assert.deepEqual(seqs(snapshot, view), [0, 2, 4]);
});

test('w and c are commands for the session owner; other keys pass through', () => {
	const snapshot = snapshotOf(fillRing(3));
	assert.deepEqual(captureKey('w', 'w', initialCaptureView, snapshot, 10), {command: 'capture.save'});
	assert.deepEqual(captureKey('c', 'c', initialCaptureView, snapshot, 10), {command: 'capture.cyclePoint'});
	for (const key of ['q', 'z', 'j', 'tab', 'esc', 'f']) assert.equal(captureKey(key, key, initialCaptureView, snapshot, 10), null, key);
	assert.deepEqual(captureKey('f', 'f', initialCaptureView, snapshot, 10, true), {action: {type: 'filter-open', text: 'all'}});
});

test('every key in the help list does what it says', () => {
	const snapshot = snapshotOf(fillRing(30));
	for (const binding of CAPTURE_KEY_BINDINGS) {
		const outcome = captureKey(binding.key, binding.key, {...initialCaptureView, following: false, anchorEnd: 20}, snapshot, 10, true);
		assert.ok(outcome !== null, binding.key);
	}
});

test('capture points follow the CNI: bridge for bridge CNIs, the peer for routed ones', () => {
	const points = capturePoints(fixturePod, null, {iface: 'eth0'});
	assert.deepEqual(points.map(p => [p.kind, p.target?.iface ?? null]), [['pod', 'eth0'], ['peer', 'veth1234'], ['bridge', 'cni0'], ['uplink', 'eth0'], ['any', 'any']]);
	assert.equal(points[0]!.target!.netnsPath, '/run/netns/x');
	const bridgeCni = {kind: 'bridge', summary: '', capturePoint: 'bridge' as const, bridge: 'cni0', evidence: []};
	assert.equal(defaultCapturePoint(points, bridgeCni).kind, 'bridge');
	const routed = {...fixturePod, bridge: null, peer: {...fixturePod.peer!, master: null}};
	const ptp = {kind: 'ptp', summary: '', capturePoint: 'peer' as const, bridge: null, evidence: []};
	const routedPoints = capturePoints(routed, ptp, {iface: null});
	assert.equal(defaultCapturePoint(routedPoints, ptp).kind, 'peer');
	assert.match(routedPoints[2]!.unavailable!, /not attached to a bridge/);
	assert.equal(nextCapturePoint(routedPoints, 'peer').kind, 'any', 'bridge and uplink do not exist here and are skipped');
});
