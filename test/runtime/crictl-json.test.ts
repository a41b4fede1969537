// The crictl parsers on real crictl outputs from public sources (test/fixtures/crictl/SOURCES.md).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {crictlRecords, parseCrictlContainers, parseCrictlInspect, parseCrictlPods} from '../../source/node/runtime/crictl-json.js';
import {parseJsonDocuments} from '../../source/node/runtime/json-documents.js';

const text = (name: string): string => readFileSync(new URL(`../fixtures/crictl/${name}`, import.meta.url), 'utf8');
const json = (name: string): unknown => JSON.parse(text(name));

const SANDBOX_1 = '3eff2d8d3a4f3d3c0d1c4d4737c21b397bf7cbf77fd8a0fe370f6a59129cd535';
const SANDBOX_2 = 'd4b9cb85ac28cd56d9b7a3b559fc41690abac8536b12ae5e1ede3c77b298600c';
const COREDNS_1 = 'f3a240d625b1e97b859e29f81360fd79538021c46eaafb325dc0fa195c8e4b6a';

test('crictl pods -o json: sandbox id, pod name, namespace, uid, ready, created', () => {
	assert.deepEqual(parseCrictlPods(json('containerd-kind.pods.json')), [
		{id: SANDBOX_1, name: 'coredns-5d78c9869d-79bfv', namespace: 'kube-system', uid: '44e4b37f-504f-4f1c-80f3-4137bfbec5e4', ready: true, createdAt: 1706583754011},
		{id: SANDBOX_2, name: 'coredns-5d78c9869d-rbg8v', namespace: 'kube-system', uid: 'da4c2d05-f96d-4a8f-96b5-da359a00a55e', ready: true, createdAt: 1706583753794},
	]);
});

test('crictl ps -a -o json: container id, its sandbox, name, state', () => {
	assert.deepEqual(parseCrictlContainers(json('containerd-kind.ps.json')), [
		{id: COREDNS_1, sandboxId: SANDBOX_1, name: 'coredns', state: 'running'},
		{id: '5fbcaeab34f4da1a229c5b4c823449ee6ec41288434a3ca7167291dbf3731f7a', sandboxId: SANDBOX_2, name: 'coredns', state: 'running'},
	]);
});

test('crictl inspectp: the pause pid and the netns bind mount from the runtime spec', () => {
	const inspected = parseCrictlInspect([json('containerd-kind.inspectp.json')]);
	assert.deepEqual(inspected.get(SANDBOX_1), {pid: 1322, netnsPath: '/var/run/netns/cni-c8f12417-13bc-a776-937a-0d987bcf8a2a'});
});

test('crictl inspect: the container pid, its netns given as the pause process', () => {
	const inspected = parseCrictlInspect([json('containerd-kind.inspect.json')]);
	assert.deepEqual(inspected.get(COREDNS_1), {pid: 1478, netnsPath: '/proc/1322/ns/net'});
});

test('old containerd inspectp of a NOTREADY sandbox: pid 0 means none, netNamespace still read', () => {
	const inspected = parseCrictlInspect([json('containerd-cri-pr479.inspectp-notready.json')]);
	assert.deepEqual(inspected.get('6ecc8a386012aa3d8cc41e986263a56c039044b7f9dcceda012cc3fc045e58c9'), {
		pid: null,
		netnsPath: '/var/run/netns/cni-ae2bd03e-4f7e-d9d0-911e-dafa7bb860e2',
	});
});

test('several ids print concatenated documents (or an array): both split the same', () => {
	const concatenated = `${text('containerd-kind.inspectp.json')}\n${text('containerd-kind.inspect.json')}`;
	assert.equal(parseJsonDocuments(concatenated).length, 2);
	const array = `[${text('containerd-kind.inspectp.json')},${text('containerd-kind.inspect.json')}]`;
	assert.deepEqual(parseJsonDocuments(array), parseJsonDocuments(concatenated));
	assert.deepEqual(parseJsonDocuments('E1129 error: "not found" {broken'), []);
});

test('records: one per pod, containers under their sandbox, pids where inspect gave them', () => {
	const inspected = parseCrictlInspect(parseJsonDocuments(`${text('containerd-kind.inspectp.json')}${text('containerd-kind.inspect.json')}`));
	const records = crictlRecords(parseCrictlPods(json('containerd-kind.pods.json')), parseCrictlContainers(json('containerd-kind.ps.json')), inspected);
	assert.deepEqual(
		records.map(r => [r.name, r.sandboxId, r.pid, r.netnsPath, r.containers.map(c => [c.name, c.id, c.pid, c.state])]),
		[
			['coredns-5d78c9869d-79bfv', SANDBOX_1, 1322, '/var/run/netns/cni-c8f12417-13bc-a776-937a-0d987bcf8a2a', [['coredns', COREDNS_1, 1478, 'running']]],
			// Not inspected (crictl stopped at an id that vanished): known, but without pids.
			['coredns-5d78c9869d-rbg8v', SANDBOX_2, null, null, [['coredns', '5fbcaeab34f4da1a229c5b4c823449ee6ec41288434a3ca7167291dbf3731f7a', null, 'running']]],
		],
	);
});
