// Stderr lines as OpenSSH 9.2 (Debian 12) prints them with BatchMode=yes.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {describeSshFailure} from '../../source/node/remote/ssh-errors.js';

const cases: Array<[string, RegExp]> = [
	['No ED25519 host key is known for 198.51.100.2 and you have requested strict checking.\r\nHost key verification failed.\r\n', /host key is not known/],
	['root@198.51.100.2: Permission denied (publickey).\r\n', /could not log in/],
	['ssh: connect to host 198.51.100.2 port 2222: Connection refused\r\n', /connection refused/],
	['Connection timed out during banner exchange\r\nConnection to 198.51.100.1 port 2222 timed out\r\n', /never answered/],
	['ssh: connect to host 198.51.100.9 port 22: Connection timed out\r\n', /could not be reached/],
	['ssh: Could not resolve hostname nowhere: Name or service not known\r\n', /resolve/],
	['command-line line 0: Bad configuration option: nosuchoption\r\n', /rejected the arguments/],
];

test('each known ssh failure is one line with a hint', () => {
	for (const [stderr, reason] of cases) {
		const failure = describeSshFailure(stderr);
		assert.match(failure.reason, reason, stderr);
		assert.doesNotMatch(failure.reason, /\n/);
		assert.ok(failure.hint.length > 10);
	}
});

test('anything else keeps ssh own last line', () => {
	assert.equal(describeSshFailure('kex_exchange_identification: read: Connection reset by peer\r\n').reason, 'ssh to the node failed: kex_exchange_identification: read: Connection reset by peer');
});
