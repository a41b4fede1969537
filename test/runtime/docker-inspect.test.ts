// parseDockerInspect on `docker inspect` output recorded from a real dockerd with cri-dockerd-style
// pods (re-record: node --import tsx test/runtime/record-docker-fixture.ts, then update the ids here).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {parseDockerInspect} from '../../source/node/runtime/docker-inspect.js';

const fixture = (): unknown[] =>
	JSON.parse(readFileSync(new URL('../fixtures/docker/cri-dockerd-2pods.inspect.json', import.meta.url), 'utf8')) as unknown[];

const WEB_SANDBOX = 'bb542f839f1faea6b1f74af8f5138df3340d9d22107277cef2ebd660f3835bb2';
const DB_SANDBOX = '5a8863a271432e948615bf1530982ec5caedc735b7e1dcfbeb64d05edad68f06';

test('one record per pod, with sandbox id, pause pid and labels', () => {
	const records = parseDockerInspect(fixture());
	assert.deepEqual(
		records.map(r => [r.namespace, r.name, r.podUid, r.sandboxId, r.pid, r.running]),
		[
			['default', 'web', '3044893b-665e-4283-b24b-69369ca9a86c', WEB_SANDBOX, 21838, true],
			['k8snet-rt', 'db', '3739055f-54b4-49ea-a547-54980a590bd4', DB_SANDBOX, 22057, true],
		],
	);
});

test('containers attach to their sandbox; an exited one has no pid', () => {
	const [web, db] = parseDockerInspect(fixture());
	assert.deepEqual(
		web?.containers.map(c => [c.name, c.pid, c.state]).sort(),
		[['app', 21925, 'running'], ['init', null, 'exited']],
	);
	assert.deepEqual(
		db?.containers.map(c => [c.name, c.pid, c.state]).sort(),
		[['app', 22143, 'running'], ['odd', 22256, 'running'], ['sidecar', 22198, 'running']],
	);
	assert.equal(db?.containers.find(c => c.name === 'odd')?.id, 'c69783ce90a693dafa6f3e5b4abed8eead127289ab57680e0450e1e05e9fa80f');
});

test('without labels, the k8s_ names still say which is the sandbox and whose container it is', () => {
	const unlabelled = fixture().map(c => {
		const copy = structuredClone(c) as {Config: {Labels: Record<string, string>}};
		copy.Config.Labels = {};
		return copy;
	});
	const records = parseDockerInspect(unlabelled);
	assert.deepEqual(records.map(r => [r.namespace, r.name, r.sandboxId]), [
		['default', 'web', WEB_SANDBOX],
		['k8snet-rt', 'db', DB_SANDBOX],
	]);
	assert.deepEqual(records[1]?.containers.map(c => c.name).sort(), ['app', 'odd', 'sidecar']);
});

test('a restarted pod keeps the running sandbox, not the old exited one', () => {
	const containers = fixture() as Array<{Id: string; Name: string; Created: string; State: {Running: boolean; Status: string; Pid: number}}>;
	const oldSandbox = structuredClone(containers.find(c => c.Id === WEB_SANDBOX)!);
	oldSandbox.Id = 'f'.repeat(64);
	oldSandbox.Name = oldSandbox.Name.replace(/_0$/, '_1');
	oldSandbox.Created = '2026-11-29T18:00:00Z';
	oldSandbox.State = {...oldSandbox.State, Running: false, Status: 'exited', Pid: 0};
	const web = parseDockerInspect([oldSandbox, ...containers]).find(r => r.name === 'web');
	assert.equal(web?.sandboxId, WEB_SANDBOX);
	assert.equal(web?.containers.length, 2);
});

test('junk and non-hex ids are ignored, not trusted', () => {
	assert.deepEqual(parseDockerInspect(null), []);
	assert.deepEqual(parseDockerInspect({}), []);
	const containers = fixture() as Array<{Id: string}>;
	const bad = containers.map(c => ({...c, Id: c.Id === DB_SANDBOX ? '--format={{.}}' : c.Id}));
	const records = parseDockerInspect(bad);
	assert.deepEqual(records.map(r => r.name), ['web']);
});
