// The node registry: one attempt per node however many ask at once, failures not remembered, every
// open endpoint closed with the registry, and the endpoint it hands out carries the shell's commands.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Result} from '../../source/core/types.js';
import type {ReachedNode} from '../../source/node/node-reach.js';
import {createNodeRegistry} from '../../source/node/node-registry.js';
import type {NodeShell} from '../../source/node/node-shell.js';

function fakeShell(name: string, ran: string[]): NodeShell {
	return {
		access: {kind: 'exec', target: name},
		sharesProcfs: false,
		nodeNetnsPath: null,
		run: async argv => {
			ran.push(`${name}: ${argv.join(' ')}`);
			return {exitCode: 0, stdout: `${name}\n`, stderr: '', failure: null};
		},
		stream: () => {
			throw new Error('no streams here');
		},
	};
}

function reached(name: string, log: string[]): ReachedNode {
	return {
		shell: fakeShell(name, log),
		capabilities: async () => ({ok: true, value: {root: true, missing: [], nsenter: true}}),
		openUnixSocket: async path => ({ok: false, reason: `no ${path}`, hint: '-'}),
		labState: null,
		cniConfigs: () => [],
		warning: null,
		close: () => void log.push(`close ${name}`),
	};
}

const unreachable = (name: string) => ({reason: `cannot reach ${name}`, hint: 'say how'});

test('concurrent asks for one node share one attempt; several nodes are open at once', async () => {
	const log: string[] = [];
	const attempts: string[] = [];
	const registry = createNodeRegistry(async name => {
		attempts.push(name);
		await new Promise(resolve => setTimeout(resolve, 20));
		return {ok: true, value: reached(name, log)};
	}, unreachable);
	const [a1, a2, b] = await Promise.all([registry.open('a'), registry.open('a'), registry.open('b')]);
	assert.deepEqual(attempts, ['a', 'b']);
	assert.ok(a1.ok && a2.ok && b.ok);
	assert.equal(a1.value, a2.value, 'the same endpoint');
	assert.equal(a1.value.name, 'a');
	assert.equal((await b.value.run(['hostname'])).stdout, 'b\n', 'the endpoint runs on its own node');
	assert.deepEqual(registry.opened().map(handle => handle.name).sort(), ['a', 'b']);
	assert.equal(registry.get('b'), b.value);
	assert.equal((await registry.open('a')).ok, true);
	assert.deepEqual(attempts, ['a', 'b'], 'an open node is not reached again');
	registry.close();
	assert.deepEqual(log.filter(line => line.startsWith('close')).sort(), ['close a', 'close b']);
	assert.deepEqual(registry.opened(), []);
});

test('a failed reach is not remembered, and nothing-says-how gets the registry\'s one line', async () => {
	let tries = 0;
	const registry = createNodeRegistry(async (name): Promise<Result<ReachedNode> | null> => {
		if (name === 'nowhere') return null;
		tries++;
		return tries === 1 ? {ok: false, reason: 'ssh: connection refused', hint: 'is sshd up?'} : {ok: true, value: reached(name, [])};
	}, unreachable);
	assert.deepEqual(await registry.open('nowhere'), {ok: false, reason: 'cannot reach nowhere', hint: 'say how'});
	assert.deepEqual(await registry.open('n1'), {ok: false, reason: 'ssh: connection refused', hint: 'is sshd up?'});
	const again = await registry.open('n1');
	assert.ok(again.ok, 'the second ask tries again');
	assert.equal(tries, 2);
});

test('a node reached after the registry closed is closed at once, not leaked', async () => {
	const log: string[] = [];
	let release!: () => void;
	const gate = new Promise<void>(resolve => {
		release = resolve;
	});
	const registry = createNodeRegistry(async name => {
		await gate;
		return {ok: true, value: reached(name, log)};
	}, unreachable);
	const pending = registry.open('late');
	registry.close();
	release();
	const result = await pending;
	assert.equal(result.ok, false);
	assert.deepEqual(log, ['close late']);
	assert.deepEqual(registry.opened(), []);
});
