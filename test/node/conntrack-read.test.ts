// The node-side conntrack read: its argv (validated IPs only), the script run for real by sh with
// a PATH of our making (a stand-in conntrack that logs its argv, or none, so the procfs grep runs
// on the recorded lab table), and what it prints parsed back: one entry per connection, addresses
// canonical, an unreadable table a reason and a hint.
import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {execFileSync} from 'node:child_process';
import {runProcess} from '../../source/node/child-process.js';
import {conntrackArgv, parseConntrackRead, readPodConntrack} from '../../source/node/conntrack/conntrack-read.js';
import {parseConntrack} from '../../source/node/conntrack/conntrack-text.js';
import type {NodeShell} from '../../source/node/node-shell.js';

const fixturePath = new URL('../fixtures/conntrack/lab-services.nf_conntrack.txt', import.meta.url).pathname;
const fixture = readFileSync(fixturePath, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'k8snet-conntrack-read-'));
after(() => rmSync(dir, {recursive: true, force: true}));

/** A bin directory holding sh and grep (and whatever a test adds): the script sees nothing else. */
function bin(name: string): string {
	const d = join(dir, name);
	execFileSync('mkdir', ['-p', d]);
	for (const tool of ['sh', 'grep']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).trim(), join(d, tool));
	return d;
}

/** A NodeShell whose commands run here with PATH set to `path`. */
function shellWith(path: string): NodeShell {
	return {
		access: {kind: 'local', target: 'test'},
		sharesProcfs: true,
		nodeNetnsPath: null,
		run: (argv, options) => runProcess(argv, {...options, env: {PATH: path}}),
		stream() {
			throw new Error('not used');
		},
	};
}

test('argv: the IPs are positional parameters, validated; the script text never changes', () => {
	const ok = conntrackArgv(['10.244.0.2', 'fd00::2']);
	assert.ok(ok.ok);
	assert.deepEqual(ok.value.slice(3), ['sh', '/proc/net/nf_conntrack', 'ipv4', '10.244.0.2', '10.244.0.2', 'ipv6', 'fd00::2', 'fd00:0000:0000:0000:0000:0000:0000:0002']);
	const bad = conntrackArgv(['10.244.0.2; reboot']);
	assert.equal(bad.ok, false);
	assert.match(bad.ok ? '' : bad.reason, /not an IP address/);
	assert.equal(conntrackArgv([]).ok, false);
});

test('the grep of the procfs table keeps exactly the entries whose either source is the pod', async () => {
	const ip = '10.244.0.2';
	const read = await readPodConntrack(shellWith(bin('proc')), 'n1', [ip], {table: fixturePath});
	assert.ok(read.ok, read.ok ? '' : read.reason);
	assert.equal(read.value.source, 'proc');
	const expected = parseConntrack(fixture).filter(e => e.orig.src === ip || e.reply.src === ip);
	assert.ok(expected.length >= 7, 'the fixture has the pod\'s flows');
	assert.deepEqual(read.value.entries, expected);
	// 10.244.0.2 is a prefix of no other fixture address; check the grep stops at the space anyway.
	const long = await readPodConntrack(shellWith(bin('proc2')), 'n1', ['10.244.0.20'], {table: fixturePath});
	assert.ok(long.ok);
	assert.deepEqual(long.value.entries, []);
});

test('no procfs table but conntrack: orig-src and reply-src per IP, the same entry kept once', async () => {
	const d = bin('ct');
	const log = join(dir, 'ct.log');
	const line = fixture.split('\n').find(l => l.includes('src=10.244.0.2 dst=10.96.0.10'))!;
	writeFileSync(join(d, 'conntrack'), `#!/bin/sh\necho "$*" >>${log}\necho '${line}'\necho 'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.' >&2\n`);
	chmodSync(join(d, 'conntrack'), 0o755);
	const read = await readPodConntrack(shellWith(d), 'n1', ['10.244.0.2'], {table: join(dir, 'absent')});
	assert.ok(read.ok, read.ok ? '' : read.reason);
	assert.equal(read.value.source, 'conntrack');
	// Where the table is there, it is read instead (one grep, not two tool starts).
	const proc = await readPodConntrack(shellWith(d), 'n1', ['10.244.0.2'], {table: fixturePath});
	assert.ok(proc.ok && proc.value.source === 'proc');
	assert.equal(read.value.entries.length, 1);
	assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [
		'-L -o extended -f ipv4 --orig-src 10.244.0.2',
		'-L -o extended -f ipv4 --reply-src 10.244.0.2',
	]);
});

test('neither conntrack nor the procfs table: the reason names both and the hint says how to get one', async () => {
	const read = await readPodConntrack(shellWith(bin('none')), 'n1', ['10.244.0.2'], {table: join(dir, 'absent')});
	assert.equal(read.ok, false);
	assert.match(read.ok ? '' : read.reason, /conntrack is not installed on node n1 and .*nf_conntrack is missing/);
	assert.match(read.ok ? '' : read.hint, /modprobe nf_conntrack/);
});

test('conntrack refused (not root): the reason is its own line, the hint asks for root', () => {
	const read = parseConntrackRead({exitCode: 0, stdout: '@@conntrack\n@@exit 1\n@@exit 1\n', stderr: 'conntrack v1.4.7 (conntrack-tools): Operation failed: Operation not permitted\n', failure: null}, 'n1');
	assert.equal(read.ok, false);
	assert.match(read.ok ? '' : read.reason, /conntrack -L failed on node n1: .*Operation not permitted/);
	assert.match(read.ok ? '' : read.hint, /root/);
});

test('procfs prints IPv6 unabbreviated: the parsed entry carries canonical addresses', () => {
	const line = 'ipv6     10 tcp      6 431999 ESTABLISHED src=fd00:0010:0244:0000:0000:0000:0000:0002 dst=fd00:0010:0096:0000:0000:0000:0000:000a sport=40000 dport=80 src=fd00:0010:0244:0000:0000:0000:0000:0003 dst=fd00:0010:0244:0000:0000:0000:0000:0002 sport=80 dport=40000 [ASSURED] mark=0 zone=0 use=2';
	const read = parseConntrackRead({exitCode: 0, stdout: `@@proc\n${line}\n@@exit 0\n`, stderr: '', failure: null}, 'n1');
	assert.ok(read.ok);
	assert.equal(read.value.entries[0]?.orig.src, 'fd00:10:244::2');
	assert.equal(read.value.entries[0]?.reply.src, 'fd00:10:244::3');
});
