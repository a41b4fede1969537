import assert from 'node:assert/strict';
import {test} from 'node:test';
import {fillNodeArgs} from '../../source/node/remote/node-args.js';

const node = {name: 'minikube', ip: '192.168.49.2'};

test('splits on whitespace and fills {node} and {ip}', () => {
	assert.deepEqual(fillNodeArgs('  -p 2222   -i key -o UserKnownHostsFile=kh root@{ip} ', node, '--node-ssh'), {
		ok: true,
		value: ['-p', '2222', '-i', 'key', '-o', 'UserKnownHostsFile=kh', 'root@192.168.49.2'],
	});
	assert.deepEqual(fillNodeArgs('docker exec -i {node}', node, '--node-exec'), {ok: true, value: ['docker', 'exec', '-i', 'minikube']});
	assert.deepEqual(fillNodeArgs('root@{ip}', {name: 'n', ip: '0:0::1'}, '--node-ssh'), {ok: true, value: ['root@::1']});
});

test('refuses what could become an option or is not an address', () => {
	const bad = (r: ReturnType<typeof fillNodeArgs>) => assert.equal(r.ok, false, JSON.stringify(r));
	bad(fillNodeArgs('root@{ip}', {name: 'n', ip: '1.2.3.4 -oProxyCommand=x'}, '--node-ssh'));
	bad(fillNodeArgs('root@{ip}', {name: 'n', ip: null}, '--node-ssh'));
	bad(fillNodeArgs('{node}', {name: '-oProxyCommand=touch /tmp/x', ip: null}, '--node-ssh'));
	bad(fillNodeArgs('docker exec -i {node}', {name: 'a;b', ip: null}, '--node-exec'));
	bad(fillNodeArgs('   ', node, '--node-ssh'));
	// A template that does not use {ip} does not care that the node has none.
	assert.equal(fillNodeArgs('root@10.0.0.1', {name: 'n', ip: null}, '--node-ssh').ok, true);
});
