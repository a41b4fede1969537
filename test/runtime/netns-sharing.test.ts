import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {RuntimeSandbox} from '../../source/core/types.js';
import {netnsSharing} from '../../source/node/runtime/netns-sharing.js';
import {parseStatInodes} from '../../source/node/runtime/netns-inodes.js';

const NO_DETAILS = {image: null, imageID: null, reason: null, exitCode: null, restarts: null, startedAt: null, cgroup: null, runtime: 'lab'};

const sandbox = (inode: number | null, containers: Array<[string, number | null]>): RuntimeSandbox => ({
	podUid: 'u',
	namespace: 'ns',
	name: 'p',
	sandboxId: 'a'.repeat(64),
	pid: 10,
	state: 'ready',
	netnsPath: '/proc/10/ns/net',
	netnsInode: inode,
	containers: containers.map(([name, netnsInode], i) => ({
		...NO_DETAILS,
		name,
		id: String(i).repeat(12),
		pid: netnsInode === null ? null : 20 + i,
		netnsInode,
		state: 'running',
	})),
});

test('same inode shares, another inode is flagged, unknown stays unknown', () => {
	const sharing = netnsSharing(sandbox(4026532001, [['app', 4026532001], ['debug', 4026531840], ['init', null]]));
	assert.equal(sharing.sandboxInode, 4026532001);
	assert.deepEqual(sharing.shared.map(c => c.name), ['app']);
	assert.deepEqual(sharing.separate.map(c => c.name), ['debug']);
	assert.deepEqual(sharing.unknown.map(c => c.name), ['init']);
});

test('without the sandbox inode nothing can be said about any container', () => {
	const sharing = netnsSharing(sandbox(null, [['app', 4026532001]]));
	assert.deepEqual([sharing.shared, sharing.separate, sharing.unknown.map(c => c.name)], [[], [], ['app']]);
});

test('stat -L -c "%i %n" output, with a vanished pid reported on stderr only', () => {
	const inodes = parseStatInodes('4026532001 /proc/1322/ns/net\n4026532001 /var/run/netns/cni-c8f1\nbogus line\n');
	assert.deepEqual([...inodes], [['/proc/1322/ns/net', 4026532001], ['/var/run/netns/cni-c8f1', 4026532001]]);
});
