// The remote probe's own sections (the ip/bridge JSON parsers are the engine's, tested there).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {NAMESPACE_LOOP, namespaceLoopArgv, parseHolders, parseProbeTrip, parseStartTimes, PROBE_SCRIPT, probeScriptArgv} from '../../source/node/remote/probe-script.js';

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

test('a probe whose path led to another inode than the stat section gave it is dropped', () => {
	const eth0 = (ip: string) => JSON.stringify([{ifindex: 2, ifname: 'eth0', link_index: 9, flags: [], mtu: 1500, operstate: 'UP', link_type: 'ether', addr_info: [{family: 'inet', local: ip, prefixlen: 24, scope: 'global'}]}]);
	const stdout = [
		'@@batch', '[]', '[]', '[]', '[]', '[]',
		'@@fdb', '[]',
		'@@stat',
		'4026531840 4 /proc/self/ns/net',
		'4026532100 4 /run/netns/cni-1',
		'4026532300 4 /proc/812/ns/net',
		'@@start',
		'@@probe',
		'@@/run/netns/cni-1', eth0('10.244.0.5'),
		'@@/proc/812/ns/net', eth0('10.244.0.6'),
		// pid 812 died and was reused by a process in another namespace while the loop ran.
		'@@inode 4026532100 /run/netns/cni-1',
		'@@inode 4026532999 /proc/812/ns/net',
		'',
	].join('\n');
	const trip = parseProbeTrip(stdout);
	assert.ok(trip.ok, trip.ok ? '' : trip.reason);
	assert.deepEqual([...trip.value.probes.keys()], ['/run/netns/cni-1']);
	const kept = trip.value.probes.get('/run/netns/cni-1');
	assert.ok(kept?.ok);
	assert.deepEqual(kept.links[0]!.addresses.map(a => a.local), ['10.244.0.5']);
	assert.deepEqual([...trip.value.byInode.keys()], [4026532100, 4026532300], 'the holders themselves are still reported');
});

test('the namespace loop ends with one stat over all its paths, not one per namespace', () => {
	const script = namespaceLoopArgv(['/run/netns/a', '/proc/1/ns/net'])[2]!;
	assert.equal(script.match(/\bstat\b/g)?.length, 1);
	assert.ok(script.indexOf('done') < script.indexOf('stat'), script);
	assert.ok(PROBE_SCRIPT.trimEnd().endsWith(NAMESPACE_LOOP), 'the one-trip script runs the same loop');
});
