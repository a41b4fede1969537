import assert from 'node:assert/strict';
import {test} from 'node:test';
import {canonicalIp, parsePrefix, prefixMatcher} from '../../source/core/pod-ip.js';

const addressInPrefix = (ip: string, text: string) => {
	const prefix = parsePrefix(text);
	return prefix !== null && prefixMatcher(ip)(prefix);
};

test('only plain IPv4 dotted quads and IPv6 addresses pass, in canonical form', () => {
	assert.equal(canonicalIp('10.244.0.5'), '10.244.0.5');
	assert.equal(canonicalIp(' 10.244.0.5 '), '10.244.0.5');
	assert.equal(canonicalIp('FD00:10:244:0::5'), 'fd00:10:244::5');
	for (const bad of ['', 'not-an-ip', '10.244.0.256', '010.0.0.1', '0x0a000001', '1', 'fe80::1%eth0', '10.0.0.1; rm -rf /', '$(id)', '-i eth0']) {
		assert.equal(canonicalIp(bad), null, bad);
	}
});

test('prefix containment by family', () => {
	assert.ok(addressInPrefix('10.244.3.4', '10.244.0.0/16'));
	assert.ok(!addressInPrefix('10.245.3.4', '10.244.0.0/16'));
	assert.ok(addressInPrefix('10.244.0.5', '10.244.0.5'));
	assert.ok(addressInPrefix('fd00:10:244::5', 'fd00:10:244::/64'));
	assert.ok(!addressInPrefix('fd00:10:244::5', '10.244.0.0/16'));
	assert.ok(!addressInPrefix('10.244.0.5', 'default'));
	assert.equal(parsePrefix('10.244.0.5')?.bits, 32);
	assert.equal(prefixMatcher('not an ip')(parsePrefix('0.0.0.0/0')!), false);
});
