// The remote probe's own sections (the ip/bridge JSON parsers are the engine's, tested there).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseHolders, parseProbeTrip, parseStartTimes, probeScriptArgv} from '../../source/node/remote/probe-script.js';

test('holders: the first line is the node itself; other devices are not namespaces', () => {
	const lines = [
		'4026531840 4 /proc/self/ns/net',
		'4026532100 4 /run/netns/cni-1 with space',
		'4026532200 25 /run/netns/leftover',
		'4026531840 4 /proc/1/ns/net',
		'4026532300 4 /proc/812/ns/net',
		'4026532300 4 /proc/813/ns/net',
	];
	const {byInode, nodeInode} = parseHolders(lines, new Map([[812, 5000], [813, 5007]]));
	assert.equal(nodeInode, 4026531840);
	assert.deepEqual([...byInode.keys()], [4026532100, 4026532300]);
	assert.deepEqual(byInode.get(4026532100), [{inode: 4026532100, path: '/run/netns/cni-1 with space', name: 'cni-1 with space', pid: null, pidStart: null}]);
	assert.deepEqual(byInode.get(4026532300)?.map(h => [h.pid, h.pidStart]), [[812, 5000], [813, 5007]]);
});

test('start times: field 22, counted after a command name that may hold spaces and parens', () => {
	const rest = 'S 1 812 812 0 -1 4194560 98 0 0 0 0 0 0 0 20 0 1 0 123456 1228800 200 18446744073709551615';
	const starts = parseStartTimes([`812 (pause) ${rest}`, `813 (my (odd) name) ${rest.replace('123456', '654321')}`, 'garbage']);
	assert.deepEqual([...starts], [[812, 123456], [813, 654321]]);
});

test('a trip cut short says which section is missing', () => {
	const r = parseProbeTrip('@@batch\n[]\n[]\n[]\n[]\n[]\n@@fdb\n[]\n');
	assert.equal(r.ok, false);
	assert.match(!r.ok ? r.reason : '', /no stat section/);
});

test('the script gets the known inodes and paths as arguments, never in its text', () => {
	const argv = probeScriptArgv([11, 12], ['/run/netns/$(x)']);
	assert.deepEqual(argv.slice(3), ['sh', '11 12', '/run/netns/$(x)']);
	assert.equal(probeScriptArgv(null, [])[4], '-');
	assert.ok(!argv[2]!.includes('$(x)'));
});
