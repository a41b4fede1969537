import assert from 'node:assert/strict';
import {test} from 'node:test';
import {annotateLine, buildIpNames, lineProtocol} from '../../source/core/ip-names.js';
import type {PodPath} from '../../source/core/types.js';

function pod(namespace: string, name: string, ips: string[], hostNetwork = false): PodPath {
	return {
		namespace, name, uid: name, node: 'n1', ip: ips[0] ?? null, ips, hostNetwork, status: 'resolved',
		netns: null, eth0: null, peer: null, bridge: null, routes: [], evidence: [], heuristic: false,
	};
}

const names = buildIpNames(
	[pod('default', 'web', ['10.244.0.2', 'FD00:10:244::2']), pod('kube-system', 'dns', ['10.244.0.3']), pod('kube-system', 'proxy', ['192.0.2.10'], true), pod('x', 'bad', ['nope'])],
	[{name: 'node-1', ips: ['192.0.2.10']}],
);

// Lines as tcpdump 4.99.3 -n prints them (recorded from the capture tests' topology).
test('each address gets its pod or node name; ports and separators stay where they were', () => {
	assert.equal(
		annotateLine('18:25:00.887029 IP 10.244.0.2 > 10.244.0.3: ICMP echo request, id 7802, seq 1, length 64', names),
		'18:25:00.887029 IP 10.244.0.2[default/web] > 10.244.0.3[kube-system/dns]: ICMP echo request, id 7802, seq 1, length 64',
	);
	assert.equal(
		annotateLine('18:25:00.887029 veth51635107 P   IP 10.244.0.2.41000 > 10.244.0.3.53: 1234+ A? example. (25)', names),
		'18:25:00.887029 veth51635107 P   IP 10.244.0.2.41000[default/web] > 10.244.0.3.53[kube-system/dns]: 1234+ A? example. (25)',
	);
	assert.equal(
		annotateLine('18:25:00.887029 IP6 fd00:10:244::9.53 > fd00:10:244::2: ICMP6, echo reply', names),
		'18:25:00.887029 IP6 fd00:10:244::9.53 > fd00:10:244::2[default/web]: ICMP6, echo reply',
	);
	assert.equal(annotateLine('ARP, Request who-has 10.244.0.3 tell 192.0.2.10, length 28', names), 'ARP, Request who-has 10.244.0.3[kube-system/dns] tell 192.0.2.10[node-1], length 28');
	assert.equal(annotateLine('IP 110.244.0.2 > 10.244.0.22: x', names), 'IP 110.244.0.2 > 10.244.0.22: x');
	assert.equal(annotateLine('IP 10.244.0.2 > 10.244.0.3: x', new Map()), 'IP 10.244.0.2 > 10.244.0.3: x');
});

test('protocols are classified for colour', () => {
	assert.equal(lineProtocol('IP 10.0.0.1 > 10.0.0.2: ICMP echo request'), 'icmp');
	assert.equal(lineProtocol('IP6 fd00::1 > fd00::2: ICMP6, echo request'), 'icmp');
	assert.equal(lineProtocol('ARP, Request who-has 10.0.0.2 tell 10.0.0.1'), 'arp');
	assert.equal(lineProtocol('IP 10.0.0.1.41000 > 10.0.0.2.53: 1234+ A? x. (25)'), 'dns');
	assert.equal(lineProtocol('IP 10.0.0.1.41000 > 10.0.0.2.80: Flags [S], seq 1, win 64240'), 'tcp');
	assert.equal(lineProtocol('IP 10.0.0.1.41000 > 10.0.0.2.9000: UDP, length 5'), 'udp');
	assert.equal(lineProtocol('IP 10.0.0.1 > 10.0.0.2: GRE'), 'other');
});
