// The lab's flag handling and pod plan: pure, no kernel.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parsePodArg, resolveLabOptions, sameLabOptions} from '../../source/lab/lab-options.js';
import {planLabPods} from '../../source/lab/lab-up.js';

const flags = {ipv6: false, oddPods: false, traffic: false};

test('defaults: 4 pods over default,lab, netns sandboxes, bridge', () => {
	const r = resolveLabOptions(flags);
	assert.ok(r.ok);
	assert.deepEqual(r.value, {pods: 4, namespaces: ['default', 'lab'], sandbox: 'netns', cni: 'bridge', ipv6: false, oddPods: false, fakeNodes: 0, fakePods: 0, traffic: false});
});

test('bad flags are one-line errors', () => {
	for (const bad of [{pods: -1}, {pods: 1.5}, {sandbox: 'docker'}, {cni: 'calico'}, {namespaces: 'Default'}, {namespaces: 'a;rm -rf /'}, {namespaces: ','}]) {
		const r = resolveLabOptions({...flags, ...bad});
		assert.equal(r.ok, false, JSON.stringify(bad));
	}
});

test('same options compare equal regardless of key order; any difference does not', () => {
	const a = resolveLabOptions(flags);
	const b = resolveLabOptions({...flags, pods: 4, namespaces: 'default,lab'});
	const c = resolveLabOptions({...flags, pods: 5});
	assert.ok(a.ok && b.ok && c.ok);
	assert.ok(sameLabOptions(a.value, b.value));
	assert.ok(!sameLabOptions(a.value, c.value));
});

test('NS/NAME for pod add/delete must be two DNS labels', () => {
	assert.deepEqual(parsePodArg('default/web-1'), {ok: true, value: {namespace: 'default', name: 'web-1'}});
	for (const bad of [undefined, 'web-1', 'a/b/c', 'default/Web', 'default/$(id)', '/x']) assert.equal(parsePodArg(bad).ok, false, String(bad));
});

test('pods spread over the namespaces, 1 or 2 containers, odd pods appended', () => {
	const r = resolveLabOptions({...flags, pods: 5, namespaces: 'a,b,c', oddPods: true});
	assert.ok(r.ok);
	const pods = planLabPods(r.value);
	assert.deepEqual(pods.map((p) => `${p.namespace}/${p.name}`).slice(0, 5), ['a/nginx-1', 'b/nginx-2', 'c/nginx-3', 'a/nginx-4', 'b/nginx-5']);
	assert.deepEqual(pods.slice(5).map((p) => p.kind), ['host-network', 'pending', 'sandbox-gone', 'invalid-ip']);
	assert.ok(pods.every((p) => p.containers.length >= 1 && p.containers.length <= 2));
	assert.ok(pods.some((p) => p.containers.length === 2));
	assert.ok(pods.filter((p) => p.kind !== 'pending').every((p) => /^[0-9a-f]{64}$/.test(p.sandboxId) && p.containers.every((c) => /^[0-9a-f]{64}$/.test(c.id))));
	assert.equal(new Set(pods.map((p) => p.uid)).size, pods.length);
});
