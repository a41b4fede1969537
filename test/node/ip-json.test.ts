import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseProbeOutput} from '../../source/node/netns-probe.js';
import {parseShellDiscovery} from '../../source/node/netns-discovery.js';
import {parseNodeBatch} from '../../source/node/node-snapshot.js';
import {fixturePods, readFixture} from '../core/fixture-view.js';

function snapshotOf(name: string) {
	const parsed = parseNodeBatch(readFixture(name, 'ip-batch.txt'), readFixture(name, 'bridge-fdb.json'));
	assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
	return parsed.value;
}

test('dual-stack node with two bridges: links, ports, v4 and v6 routes, neighbours, fdb', () => {
	const name = 'eng-bridge-dualstack-2bridges';
	const snapshot = snapshotOf(name);
	const bridges = snapshot.links.filter(l => l.kind === 'bridge').map(l => l.ifname).sort();
	assert.deepEqual(bridges, ['bridge', 'cni0']);
	for (const pod of fixturePods(name)) {
		const peer = snapshot.links.find(l => l.ifindex === pod.kernel.linkIndex)!;
		assert.equal(peer.ifname, pod.kernel.peer);
		assert.equal(peer.kind, 'veth');
		assert.equal(peer.master, pod.kernel.master);
		assert.equal(peer.portState, 'forwarding');
		assert.equal(peer.linkIndex, pod.kernel.eth0Ifindex);
		assert.notEqual(peer.linkNetnsid, null);
		assert.ok(peer.stats && peer.stats.rxPackets >= 0, 'ip -s gives counters');
		assert.ok(pod.ips.some(ip => ip.includes(':')), 'pods are dual-stack');
	}

	const cni0 = snapshot.links.find(l => l.ifname === 'cni0')!;
	assert.deepEqual(cni0.addresses.filter(a => a.scope === 'global').map(a => `${a.local}/${a.prefixlen}`), ['10.247.1.1/24', 'fd00:10:247:1::1/64']);
	assert.ok(snapshot.routes.some(r => r.family === 'inet6' && r.dst === 'fd00:10:247:1::/64' && r.dev === 'cni0'), 'v6 routes come through the batch');
	assert.ok(snapshot.routes.some(r => r.family === 'inet' && r.dst === '10.247.0.0/24' && r.dev === 'bridge'));
	assert.ok(snapshot.neighbours.length > 0);
	const named = fixturePods(name).filter(p => p.netnsPath.startsWith('/run/netns/')).map(p => p.netnsPath.slice('/run/netns/'.length));
	assert.ok(named.length > 0 && named.every(n => snapshot.netnsIds?.some(id => id.name === n)), 'netns list-id names every named pod netns');
	const learned = snapshot.fdb.filter(f => f.master !== null && f.state === '');
	assert.ok(learned.length >= fixturePods(name).length, 'the bridges learned every pod MAC');
});

test('route-only (ptp) node: no bridge, one /32 route per pod to its own veth', () => {
	const name = 'eng-ptp-routed';
	const snapshot = snapshotOf(name);
	assert.equal(snapshot.links.filter(l => l.kind === 'bridge').length, 0);
	for (const pod of fixturePods(name)) {
		const route = snapshot.routes.find(r => r.dst === pod.ips[0]);
		assert.equal(route?.dev, pod.kernel.peer);
		assert.equal(snapshot.links.find(l => l.ifname === pod.kernel.peer)?.master, null);
	}
});

test('the netns probe output: one section per namespace, eth0 with its link_index', () => {
	for (const name of ['eng-bridge-dualstack-2bridges', 'eng-ptp-routed', 'eng-bridge-20pods', 'lab-bridge-dualstack-mixed', 'lab-ptp-mixed']) {
		const outcomes = parseProbeOutput(readFixture(name, 'netns-probe.txt'));
		for (const pod of fixturePods(name)) {
			const outcome = outcomes.get(pod.netnsPath);
			assert.ok(outcome?.ok, `${name}: ${pod.netnsPath} probed`);
			const eth0 = outcome.links.find(l => l.ifname === 'eth0')!;
			assert.equal(eth0.ifindex, pod.kernel.eth0Ifindex);
			assert.equal(eth0.linkIndex, pod.kernel.linkIndex);
			assert.equal(eth0.kind, 'veth');
			for (const ip of pod.ips) assert.ok(eth0.addresses.some(a => a.local === ip), `${ip} on eth0`);
		}
	}
});

test('probe sections that failed carry the error and whether it was a permission problem', () => {
	const outcomes = parseProbeOutput([
		'@@/run/netns/a',
		'nsenter: reassociate to namespace \'ns/net\' failed: Operation not permitted',
		'@@/proc/42/ns/net',
		'nsenter: cannot open /proc/42/ns/net: No such file or directory',
		'@@/run/netns/b',
		'[{"ifindex":2,"ifname":"eth0","link_index":18,"mtu":1500,"addr_info":[]}]',
	].join('\n'));
	assert.deepEqual(outcomes.get('/run/netns/a'), {ok: false, reason: 'nsenter: reassociate to namespace \'ns/net\' failed: Operation not permitted', denied: true});
	assert.equal(outcomes.get('/proc/42/ns/net')?.ok, false);
	assert.equal((outcomes.get('/proc/42/ns/net') as {denied: boolean}).denied, false);
	const b = outcomes.get('/run/netns/b');
	assert.ok(b?.ok);
	assert.equal(b.links[0]?.linkIndex, 18);
});

test('a batch that lost a line is an error value, not a wrong snapshot', () => {
	const parsed = parseNodeBatch('[]\n[]\n[]\n', '[]');
	assert.equal(parsed.ok, false);
});

test('remote discovery output: named, process-held, and the shell\'s own namespace left out', () => {
	const found = parseShellDiscovery([
		'S 4026531840',
		'N 4026532300 /run/netns/cni-1234',
		'lrwxrwxrwx 1 root root 0 Nov 29 18:00 /proc/1/ns/net -> net:[4026531840]',
		'lrwxrwxrwx 1 root root 0 Nov 29 18:00 /proc/812/ns/net -> net:[4026532301]',
	].join('\n'));
	assert.equal(found.nodeInode, 4026531840);
	assert.deepEqual([...found.byInode.keys()].sort(), [4026532300, 4026532301]);
	assert.equal(found.byInode.get(4026532301)?.[0]?.pid, 812);
	assert.equal(found.byInode.get(4026532300)?.[0]?.name, 'cni-1234');
});
