import assert from 'node:assert/strict';
import {test} from 'node:test';
import {dumpTable, type DumpDocument} from '../../source/core/dump-output.js';
import {resolvePods} from '../../source/core/join.js';
import {withRuntimeRecords} from '../../source/core/runtime-record.js';
import {fixturePods, fixtureView, podRef} from './fixture-view.js';

test('the table has the issue\'s columns and one row per pod', () => {
	const pods = fixturePods('eng-ptp-routed');
	const document: DumpDocument = {
		node: 'node-a',
		cni: {kind: 'ptp', summary: 'ptp CNI', capturePoint: 'peer', bridge: null},
		pods: withRuntimeRecords(resolvePods([...pods.map(p => podRef(p.name, p.ips)), podRef('pending', [])], fixtureView('eng-ptp-routed'), 'node-a'), []),
		runtime: {kind: 'none', note: null},
		access: {kind: 'local', target: 'host'},
		canEnterNetns: true,
		enterDeniedReason: null,
		poll: {durationMs: 1, processes: 2, namespaces: 4},
	};
	const lines = dumpTable(document).trimEnd().split('\n');
	assert.match(lines[1]!, /^NAMESPACE\s+NAME\s+IP\s+STATUS\s+ETH0\s+PEER\s+MASTER\/ROUTE$/);
	assert.equal(lines.length, 2 + pods.length + 1);
	assert.match(lines[2]!, new RegExp(`${pods[0]!.ips[0]!.replaceAll('.', '\\.')}\\s+resolved\\s+eth0@if${pods[0]!.kernel.linkIndex}\\s+${pods[0]!.kernel.peer} `));
	assert.match(lines.at(-1)!, /pending\s+-\s+no-ip/);
});

test('a finished pod: status completed, netns, eth0 and peer null in the JSON, dashes in the table', () => {
	const pods = fixturePods('eng-ptp-routed');
	const live = pods[0]!;
	const document: DumpDocument = {
		node: 'node-a',
		cni: {kind: 'ptp', summary: 'ptp CNI', capturePoint: 'peer', bridge: null},
		// The finished pod had the IP the live pod has now.
		pods: withRuntimeRecords(resolvePods([podRef('cron-1', live.ips, {phase: 'Succeeded'}), podRef(live.name, live.ips)], fixtureView('eng-ptp-routed'), 'node-a'), []),
		runtime: {kind: 'none', note: null},
		access: {kind: 'local', target: 'host'},
		canEnterNetns: true,
		enterDeniedReason: null,
		poll: {durationMs: 1, processes: 2, namespaces: 4},
	};
	const json = JSON.parse(JSON.stringify(document)) as DumpDocument;
	const done = json.pods[0]!;
	assert.equal(done.status, 'completed');
	assert.equal(done.netns, null);
	assert.equal(done.eth0, null);
	assert.equal(done.peer, null);
	assert.equal(json.pods[1]!.status, 'resolved');
	const row = dumpTable(document).split('\n')[2]!;
	assert.match(row, new RegExp(`^default\\s+cron-1\\s+${live.ips[0]!.replaceAll('.', '\\.')}\\s+completed\\s+-\\s+-\\s+-$`));
});
