// `lab up --policy` and `lab policy apply`'s reading of FILE: pure, no lab.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {resolveLabOptions} from '../../source/lab/lab-options.js';
import {policyDocuments} from '../../source/lab/policy/lab-policy-command.js';

const flags = {ipv6: false, oddPods: false, traffic: false};

test('--policy: none is the default and leaves the options as before; enforce is kept, refused with --ipv6; others are one line', () => {
	const none = resolveLabOptions({...flags, policy: 'none'});
	assert.ok(none.ok && none.value.policy === undefined);
	const enforce = resolveLabOptions({...flags, policy: 'enforce'});
	assert.ok(enforce.ok && enforce.value.policy === 'enforce');
	const v6 = resolveLabOptions({...flags, ipv6: true, policy: 'enforce'});
	assert.ok(!v6.ok && /IPv4 only/.test(v6.reason));
	const bad = resolveLabOptions({...flags, policy: 'strict'});
	assert.deepEqual(bad, {ok: false, reason: '--policy must be none or enforce', hint: "got 'strict'"});
});

test('policy documents: several per file, namespace defaults to default, each wrong one named', () => {
	const two = policyDocuments('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: y}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: b}\n', 'f.yaml');
	assert.ok(two.ok);
	assert.deepEqual(two.value.map(d => `${d.namespace}/${d.name}`), ['y/a', 'default/b'], 'js-yaml reads YAML 1.2: y is a string');
	const notYaml = policyDocuments('a: [b', 'f.yaml');
	assert.ok(!notYaml.ok && /^f.yaml: not YAML \(line \d+/.test(notYaml.reason));
	const pod = policyDocuments('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', 'f.yaml');
	assert.ok(!pod.ok && pod.reason === 'f.yaml: document 2 is not a networking.k8s.io/v1 NetworkPolicy');
	const empty = policyDocuments('', 'f.yaml');
	assert.ok(!empty.ok && empty.reason === 'f.yaml: no documents');
});
