import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildCaptureFilter, parseQuickFilter} from '../../source/core/bpf-filter.js';
import {canonicalIp} from '../../source/core/pod-ip.js';

test('one IP, or both IPs of a dual-stack pod, become host A or host B', () => {
	assert.deepEqual(buildCaptureFilter({ips: ['10.244.0.5']}), {ok: true, value: {ips: ['10.244.0.5'], expression: 'host 10.244.0.5'}});
	const dual = buildCaptureFilter({ips: ['10.244.0.5', 'FD00:10:244:0:0:0:0:5']});
	assert.deepEqual(dual, {ok: true, value: {ips: ['10.244.0.5', 'fd00:10:244::5'], expression: 'host 10.244.0.5 or host fd00:10:244::5'}});
});

test('quick filters and a free expression narrow the pod filter, each in parentheses', () => {
	const cases: Array<[Parameters<typeof buildCaptureFilter>[0], string]> = [
		[{ips: ['10.244.0.5'], quick: {kind: 'icmp'}}, '(host 10.244.0.5) and (icmp or icmp6)'],
		[{ips: ['10.244.0.5'], quick: {kind: 'tcp'}}, '(host 10.244.0.5) and (tcp)'],
		[{ips: ['10.244.0.5'], quick: {kind: 'udp'}}, '(host 10.244.0.5) and (udp)'],
		[{ips: ['10.244.0.5'], quick: {kind: 'arp'}}, '(host 10.244.0.5) and (arp)'],
		[{ips: ['10.244.0.5'], quick: {kind: 'dns'}}, '(host 10.244.0.5) and (port 53)'],
		[{ips: ['10.244.0.5'], quick: {kind: 'port', port: 8080}}, '(host 10.244.0.5) and (port 8080)'],
		[{ips: ['10.244.0.5', 'fd00::5'], quick: {kind: 'tcp'}, expression: ' dst port 80 or dst port 443 '}, '(host 10.244.0.5 or host fd00::5) and (tcp) and (dst port 80 or dst port 443)'],
		[{ips: ['10.244.0.5'], quick: {kind: 'all'}, expression: ''}, 'host 10.244.0.5'],
	];
	for (const [spec, expected] of cases) {
		const built = buildCaptureFilter(spec);
		assert.ok(built.ok);
		assert.equal(built.value.expression, expected);
	}
});

test('anything that is not a plain IP is rejected with a reason and a hint', () => {
	for (const bad of ['10.244.0.5; reboot', '$(id)', 'not-an-ip', '010.244.0.5', '0x0a.0.0.1', '10.244.5', '10.244.0.256', 'fe80::1%eth0', '10.244.0.5/24', '', ' ']) {
		const built = buildCaptureFilter({ips: ['10.244.0.9', bad]});
		assert.equal(built.ok, false, bad);
		assert.ok(!built.ok && built.reason.includes('is not an IP') && built.hint !== '', bad);
		assert.equal(canonicalIp(bad), null, bad);
	}
	const none = buildCaptureFilter({ips: []});
	assert.ok(!none.ok && /no IP/.test(none.reason));
});

test('port N must be a port; the free expression must keep the pod filter intact', () => {
	for (const port of [0, 65536, -1, 1.5, Number.NaN]) {
		const built = buildCaptureFilter({ips: ['10.244.0.5'], quick: {kind: 'port', port}});
		assert.ok(!built.ok && /not a port number/.test(built.reason), String(port));
	}
	for (const expression of ['icmp) or (host 1.2.3.4', 'tcp and (port 80', 'udp\nor arp']) {
		const built = buildCaptureFilter({ips: ['10.244.0.5'], expression});
		assert.equal(built.ok, false, expression);
	}
});

test('quick filter words parse; unknown words and bad ports do not', () => {
	assert.deepEqual(parseQuickFilter('ICMP'), {ok: true, value: {kind: 'icmp'}});
	assert.deepEqual(parseQuickFilter(''), {ok: true, value: {kind: 'all'}});
	assert.deepEqual(parseQuickFilter('port 53'), {ok: true, value: {kind: 'port', port: 53}});
	for (const bad of ['port', 'port 0', 'port 70000', 'port 5x', 'sctp', 'tcp udp']) assert.equal(parseQuickFilter(bad).ok, false, bad);
});
