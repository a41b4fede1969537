// The remote probe's own sections (the ip/bridge JSON parsers are the engine's, tested there).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {NODE_BATCH} from '../../source/node/node-snapshot.js';
import {NAMESPACE_LOOP, namespaceLoopArgv, parseHolders, parseProbeTrip, parseStartTimes, PROBE_SCRIPT, probeScriptArgv} from '../../source/node/remote/probe-script.js';
import {needs} from '../support/prerequisites.js';

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

// The script itself, run by sh against stand-ins for stat, cat, ip, bridge and nsenter on PATH: the
// shell logic (which paths are probed, whose start times are read) without a lab.
function runWithStandIns(known: string, statLines: string[]): string {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-probe-'));
	try {
		const tool = (name: string, body: string) => {
			writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
			chmodSync(join(dir, name), 0o755);
		};

		writeFileSync(join(dir, 'stat-lines'), `${statLines.join('\n')}\n`);
		tool('stat', `case "$3" in '@@inode'*) for p in "$@"; do case $p in /*) echo "@@inode 1 $p";; esac; done; exit 0;; esac\nexec /bin/cat "${dir}/stat-lines"`);
		tool('cat', 'for f; do p=${f#/proc/}; echo "${p%/stat} (pause) S 1"; done');
		tool('ip', 'while IFS= read -r l; do echo "[]"; done');
		tool('bridge', 'echo "[]"');
		tool('nsenter', 'echo "entered $1"');
		return execFileSync('sh', ['-c', PROBE_SCRIPT, 'sh', known], {encoding: 'utf8', env: {...process.env, PATH: `${dir}:${process.env['PATH']}`}});
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

/** A section's lines; the probe section is the last, and its own lines start with @@ too. */
const section = (stdout: string, name: string) => {
	const body = stdout.split(`@@${name}\n`)[1]!;
	return (name === 'probe' ? body : body.split('\n@@')[0]!).split('\n').filter(Boolean);
};

const HOLDERS = [
	'4026531840 4 /proc/self/ns/net',
	'4026532100 4 /run/netns/cni-1 with space',
	'4026532101 4 /run/netns/ends in a space ',
	'4026532200 25 /run/netns/leftover',
	'4026531840 4 /proc/1/ns/net',
	'4026532300 4 /proc/812/ns/net',
	'4026532300 4 /proc/813/ns/net',
	'4026532400 4 /proc/9/ns/net',
];

test('the script probes each new namespace once, by its exact path (a name may end in a space)', () => {
	const out = runWithStandIns('4026532100', HOLDERS);
	assert.deepEqual(section(out, 'probe').filter(line => line.startsWith('entered')), [
		'entered --net=/run/netns/ends in a space ',
		'entered --net=/proc/812/ns/net',
		'entered --net=/proc/9/ns/net',
	]);
	assert.deepEqual(section(out, 'stat'), HOLDERS, 'the stat lines are passed on as they came');
	assert.equal(section(out, 'batch').length, NODE_BATCH.length);
});

test('start times are read for the cached pids and for every holder of a new namespace, no others', () => {
	const starts = (known: string) => section(runWithStandIns(known, HOLDERS), 'start').map(line => Number(line.split(' ')[0]));
	assert.deepEqual(starts('4026532100 4026532101 4026532300 4026532400/812'), [812]);
	assert.deepEqual(starts('4026532100 4026532101 4026532400/9'), [812, 813, 9], 'both holders of the new namespace');
	assert.deepEqual(starts('4026532100 4026532101 4026532300 4026532400'), []);
	assert.deepEqual(starts('-'), [812, 813, 9], 'not probing: every holder is new to the caller');
	assert.deepEqual(probeScriptArgv([11, 12], [], [812, 9])[4], '11 12/812 9');
	assert.deepEqual(probeScriptArgv(null, [], [812])[4], '-');
});

test('one poll on this host: the stat lines are walked in memory, with no byte-at-a-time reads or heredoc forks', {skip: needs({tools: ['strace', 'ip', 'bridge']})}, () => {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-probe-'));
	try {
		const log = join(dir, 'strace');
		execFileSync('strace', ['-f', '-qq', '-e', 'trace=read,fork,vfork,clone,clone3', '-o', log, 'sh', '-c', PROBE_SCRIPT, 'sh', '-'], {stdio: 'ignore'});
		const calls = readFileSync(log, 'utf8').split('\n');
		const holders = readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).length;
		// sh forks ip, stat, bridge and (here, where every process shares one netns) no cat.
		assert.ok(calls.filter(line => /\b(fork|vfork|clone3?)\(/.test(line)).length <= 4, calls.filter(line => /fork|clone/.test(line)).join('\n'));
		// Reads of one byte per stat line's character were ~20 per holder; what is left is the tools' own.
		assert.ok(calls.filter(line => /\bread\(/.test(line)).length < holders * 3, `${calls.length} calls for ${holders} processes`);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
