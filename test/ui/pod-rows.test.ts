// Finished pods in the Pods pane: a kind of their own, after every live pod whatever the sort.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {PodInfo} from '../../source/core/types.js';
import {buildRows, ROW_MARKERS, sortRows, SORT_KEYS} from '../../source/ui/pod-rows.js';
import {fixtureState} from './tui-fixture.js';

test('completed pods have their own kind and sort after the live ones, for every key and direction', () => {
	const state = fixtureState();
	const web = state.pods.get('uid-web-1')!;
	const pods = new Map(state.pods);
	const finished: PodInfo[] = [
		// Same IP as web-1 (the kernel gave it out again) and names that sort first.
		{...web, uid: 'uid-aaa-done', name: 'aaa-cron-1', phase: 'Succeeded', ready: false},
		{...web, uid: 'uid-aab-fail', name: 'aab-cron-2', phase: 'Failed', ready: false, ips: ['10.244.0.1']},
	];
	for (const pod of finished) pods.set(pod.uid, pod);
	const rows = buildRows(pods, state.paths, state.node);
	const done = rows.filter(row => row.kind === 'completed');
	assert.deepEqual(done.map(row => row.name).sort(), ['aaa-cron-1', 'aab-cron-2']);
	assert.deepEqual(done.map(row => row.peer), ['', ''], 'no host peer is shown for a finished pod');
	assert.deepEqual(done.map(row => row.status).sort(), ['Failed', 'Succeeded']);
	assert.notEqual(ROW_MARKERS.completed, ROW_MARKERS.problem);
	for (const key of SORT_KEYS) {
		for (const descending of [false, true]) {
			const kinds = sortRows(rows, key, descending).map(row => row.kind);
			const first = kinds.indexOf('completed');
			assert.ok(first > 0 && kinds.slice(first).every(kind => kind === 'completed'), `${key} ${descending ? '↓' : '↑'}: ${kinds.join(',')}`);
		}
	}
});
