import assert from 'node:assert/strict';
import {test} from 'node:test';
import {isThisHost} from '../../source/app/target.js';

const node = (name: string, internalIPs: string[], hostname: string | null = null) => ({name, internalIPs, hostname, ready: true, podCIDRs: []});

test('this host is the node with our name (short or FQDN), our hostname label, or one of our addresses', () => {
	const local = new Set(['198.51.100.2', 'fd00::2']);
	assert.ok(isThisHost(node('minikube', []), 'minikube', local));
	assert.ok(isThisHost(node('worker-1.example.internal', []), 'worker-1', local));
	assert.ok(isThisHost(node('ip-10-0-0-1', [], 'vm'), 'vm', local));
	assert.ok(isThisHost(node('k8snet-lab', ['198.51.100.2']), 'vm', local));
	assert.ok(!isThisHost(node('k8snet-lab', ['198.51.100.2']), 'vm', new Set(['192.0.2.2'])));
	assert.ok(!isThisHost(node('worker-10', ['10.0.0.10']), 'worker-1', local), 'a name prefix is not a match');
});
