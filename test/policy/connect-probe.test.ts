// The connection probe for real: two network namespaces of this test's own joined by a veth, a
// socat listener (TCP and UDP echo) in one, and each result from the other: connected, refused,
// unreachable, timeout, plus SCTP refused in one line. Holds the machine lock (it makes netns).
import assert from 'node:assert/strict';
import {spawn, execFileSync, type ChildProcess} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {parseProbeLine} from '../../source/core/connect-probe-result.js';
import {createLocalShell} from '../../source/node/local-shell.js';
import {probeConnection} from '../../source/node/connect-probe.js';
import {needs} from '../support/prerequisites.js';

const A = 'k8snet-ptest-a';
const B = 'k8snet-ptest-b';
const sh = (...argv: string[]) => execFileSync(argv[0]!, argv.slice(1), {stdio: 'pipe'});

test('probe lines parse; anything else is null', () => {
	assert.deepEqual(parseProbeLine('{"result":"refused","ms":1.6}\n', 't'), {tool: 't', result: 'refused', ms: 2});
	assert.equal(parseProbeLine('{"result":"maybe","ms":1}', 't'), null);
	assert.equal(parseProbeLine('nsenter: cannot open', 't'), null);
});

describe('connect probe between two namespaces', {skip: needs({root: true, tools: ['ip', 'nsenter', 'socat']})}, () => {
	const listeners: ChildProcess[] = [];
	const shell = createLocalShell();
	const probe = (ip: string, port: number, protocol: 'TCP' | 'UDP' | 'SCTP') => probeConnection(shell, {netnsPath: `/run/netns/${A}`, ip, port, protocol});
	before(async () => {
		sh('ip', 'netns', 'add', A);
		sh('ip', 'netns', 'add', B);
		sh('ip', 'link', 'add', 'ptest-a', 'netns', A, 'type', 'veth', 'peer', 'name', 'ptest-b', 'netns', B);
		sh('ip', '-n', A, 'addr', 'add', '10.99.0.1/24', 'dev', 'ptest-a');
		sh('ip', '-n', B, 'addr', 'add', '10.99.0.2/24', 'dev', 'ptest-b');
		for (const [ns, dev] of [[A, 'ptest-a'], [B, 'ptest-b']] as const) {
			sh('ip', '-n', ns, 'link', 'set', dev, 'up');
			sh('ip', '-n', ns, 'link', 'set', 'lo', 'up');
		}

		listeners.push(spawn('nsenter', [`--net=/run/netns/${B}`, 'socat', 'TCP-LISTEN:8080,fork,reuseaddr', 'EXEC:echo hi'], {stdio: 'ignore'}));
		listeners.push(spawn('nsenter', [`--net=/run/netns/${B}`, 'socat', 'UDP-RECVFROM:8081,fork', 'EXEC:echo hi'], {stdio: 'ignore'}));
		// Both ports bound before any probe: a fixed pause lost the race on a loaded machine.
		for (let i = 0; i < 100; i++) {
			const bound = String(sh('nsenter', `--net=/run/netns/${B}`, 'ss', '-Hltun'));
			if (/:8080\b/.test(bound) && /:8081\b/.test(bound)) break;
			await new Promise(r => setTimeout(r, 100));
		}
	});
	after(() => {
		for (const l of listeners) l.kill('SIGKILL');
		for (const ns of [A, B]) {
			try {
				sh('ip', 'netns', 'delete', ns);
			} catch {
				// Already gone.
			}
		}
	});

	test('TCP connected and refused, UDP answered and refused', async () => {
		const results = [await probe('10.99.0.2', 8080, 'TCP'), await probe('10.99.0.2', 9, 'TCP'), await probe('10.99.0.2', 8081, 'UDP'), await probe('10.99.0.2', 9, 'UDP')];
		assert.deepEqual(results.map(r => (r.ok ? r.value.result : r.reason)), ['connected', 'refused', 'connected', 'refused']);
		for (const r of results) assert.ok(r.ok && r.value.tool === 'k8snet-tui under nsenter --net' && r.value.ms < 2000);
	});

	test('no route is unreachable; a silent on-link address times out within the 2 s budget', async () => {
		const none = await probe('10.98.0.1', 80, 'TCP');
		assert.ok(none.ok && none.value.result === 'unreachable', JSON.stringify(none));
		const silent = await probe('10.99.0.77', 80, 'TCP');
		assert.ok(silent.ok && silent.value.result === 'timeout' && silent.value.ms >= 1900 && silent.value.ms < 4000, JSON.stringify(silent));
	});

	test('SCTP is refused in one line', async () => {
		const r = await probe('10.99.0.2', 80, 'SCTP');
		assert.deepEqual(r, {ok: false, reason: 'SCTP cannot be probed: this kernel has no SCTP', hint: 'the verdict is evaluated, not probed'});
	});
});
