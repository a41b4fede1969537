import assert from 'node:assert/strict';
import {test} from 'node:test';
import {capturePoints} from '../../source/capture/capture-points.js';
import {buildIpNames} from '../../source/core/ip-names.js';
import {resolvePods} from '../../source/core/join.js';
import type {NodeView} from '../../source/core/types.js';
import {fixturePods, fixtureView, link, podRef, sandbox} from './fixture-view.js';

for (const name of ['eng-bridge-dualstack-2bridges', 'eng-ptp-routed', 'eng-bridge-20pods', 'lab-bridge-dualstack-mixed', 'lab-ptp-mixed']) {
	test(`${name}: every pod maps to the peer that ip showed at record time`, () => {
		const view = fixtureView(name);
		const pods = fixturePods(name);
		const paths = resolvePods(pods.map(p => podRef(p.name, p.ips)), view, 'node-a');
		for (const [i, path] of paths.entries()) {
			const pod = pods[i]!;
			assert.equal(path.status, 'resolved', path.evidence.join('\n'));
			assert.equal(path.heuristic, false);
			assert.equal(path.netns?.path, pod.netnsPath);
			assert.equal(path.eth0?.ifindex, pod.kernel.eth0Ifindex);
			assert.equal(path.eth0?.linkIndex, pod.kernel.linkIndex);
			assert.equal(path.peer?.ifname, pod.kernel.peer);
			assert.equal(path.peer?.master, pod.kernel.master);
			if (pod.kernel.master) {
				assert.equal(path.bridge?.ifname, pod.kernel.master);
				assert.ok(path.bridge?.ports.includes(pod.kernel.peer));
			} else {
				assert.equal(path.bridge, null);
				assert.ok(path.routes.some(r => r.startsWith(`${pod.ips[0]} dev ${pod.kernel.peer}`)), path.routes.join('; '));
			}

			assert.ok(path.evidence.some(e => e.includes(`link_index ${pod.kernel.linkIndex}`) && e.includes('exact ifindex match')));
		}
	});
}

function trapView(): NodeView {
	// Node interfaces 18, 118, 180 and 181: only 18 may match a link_index of 18.
	const nodeLinks = [
		link(1, 'lo', {kind: null}),
		link(5, 'cni0', {kind: 'bridge', addresses: [{family: 'inet', local: '10.244.0.1', prefixlen: 16, scope: 'global'}]}),
		link(118, 'veth118aaaa', {linkIndex: 4, linkNetnsid: 1, master: 'cni0', portState: 'forwarding'}),
		link(180, 'veth180bbbb', {linkIndex: 4, linkNetnsid: 2, master: 'cni0', portState: 'forwarding'}),
		link(18, 'veth370ddc67', {linkIndex: 4, linkNetnsid: 3, master: 'cni0', portState: 'forwarding'}),
		link(181, 'cali181', {linkIndex: 4, linkNetnsid: 4}),
	];
	const pod = (inode: number, peer: number, ip: string) => ({
		holder: {inode, path: `/run/netns/cni-${inode}`, name: `cni-${inode}`, pid: null, pidStart: null},
		// Every pod's eth0 is ifindex 4 in its own namespace: the pod-side index repeats.
		links: [link(1, 'lo', {kind: null}), link(4, 'eth0', {linkIndex: peer, linkNetnsid: 0, addresses: [{family: 'inet', local: ip, prefixlen: 16, scope: 'global'}]})],
		probedAt: 0,
	});
	return {
		snapshot: {
			links: nodeLinks,
			routes: [{family: 'inet', dst: '10.244.0.50', dev: 'cali181', gateway: null, protocol: null, scope: 'link', table: 'main', type: 'unicast'}],
			neighbours: [],
			fdb: [],
			takenAt: 0,
		},
		namespaces: [pod(1, 118, '10.244.0.118'), pod(2, 180, '10.244.0.180'), pod(3, 18, '10.244.0.18'), pod(4, 181, '10.244.0.50')],
		canEnterNetns: true,
		enterDeniedReason: null,
	};
}

test('link_index 18 matches interface 18 exactly, never 118 or 180; repeated pod-side ifindex does not confuse', () => {
	const paths = resolvePods([podRef('a', ['10.244.0.18']), podRef('b', ['10.244.0.118']), podRef('c', ['10.244.0.180'])], trapView(), 'node-a');
	assert.deepEqual(paths.map(p => p.peer?.ifname), ['veth370ddc67', 'veth118aaaa', 'veth180bbbb']);
	assert.deepEqual(paths.map(p => p.eth0?.ifindex), [4, 4, 4]);
	assert.ok(paths[0]!.evidence.some(e => e.includes('eth0 in /run/netns/cni-3 has link_index 18; node interface 18 is veth370ddc67 (exact ifindex match in the node namespace')));
	assert.equal(paths[0]!.bridge?.ifname, 'cni0');
	assert.deepEqual(paths[0]!.bridge?.addresses, ['10.244.0.1/16']);
});

test('any interface kind can be the peer (cali*), and its /32 route is reported', () => {
	const [path] = resolvePods([podRef('d', ['10.244.0.50'])], trapView(), 'node-a');
	assert.equal(path!.status, 'resolved');
	assert.equal(path!.peer?.ifname, 'cali181');
	assert.deepEqual(path!.routes, ['10.244.0.50 dev cali181 scope link']);
});

test('statuses for the odd pods', () => {
	const view = trapView();
	const paths = resolvePods(
		[
			podRef('host', ['192.0.2.10'], {hostNetwork: true}),
			podRef('pending', []),
			podRef('bad', ['10.244.0.999']),
			podRef('injection', ['10.0.0.1; rm -rf /']),
			podRef('elsewhere', ['10.244.1.5'], {nodeName: 'node-b'}),
			podRef('unscheduled', [], {nodeName: null}),
			podRef('gone', ['10.244.0.77']),
		],
		view,
		'node-a',
	);
	assert.deepEqual(
		paths.map(p => [p.name, p.status]),
		[
			['host', 'host-network'],
			['pending', 'no-ip'],
			['bad', 'invalid-ip'],
			['injection', 'invalid-ip'],
			['elsewhere', 'not-on-this-node'],
			['unscheduled', 'not-on-this-node'],
			['gone', 'netns-not-found'],
		],
	);
	assert.equal(paths[2]!.ip, null);
	assert.ok(paths[2]!.evidence[0]!.includes('not an IP address'));
	assert.ok(paths[6]!.evidence[0]!.includes('no network namespace on this node holds 10.244.0.77'));
});

test('partial when the peer index is missing on the node or does not point back', () => {
	const view = trapView();
	view.namespaces.push({
		holder: {inode: 9, path: '/proc/99/ns/net', name: null, pid: 99, pidStart: 5},
		links: [link(4, 'eth0', {linkIndex: 77, addresses: [{family: 'inet', local: '10.244.0.99', prefixlen: 16, scope: 'global'}]})],
		probedAt: 0,
	});
	view.namespaces.push({
		holder: {inode: 10, path: '/proc/100/ns/net', name: null, pid: 100, pidStart: 5},
		links: [link(7, 'eth0', {linkIndex: 18, addresses: [{family: 'inet', local: '10.244.0.100', prefixlen: 16, scope: 'global'}]})],
		probedAt: 0,
	});
	const [missing, wrong] = resolvePods([podRef('m', ['10.244.0.99']), podRef('w', ['10.244.0.100'])], view, 'node-a');
	assert.equal(missing!.status, 'partial');
	assert.equal(missing!.netns?.pid, 99);
	assert.ok(missing!.evidence.some(e => e.includes('no interface with ifindex 77')));
	assert.equal(wrong!.status, 'partial');
	assert.equal(wrong!.peer, null);
});

test('the same address in two namespaces: the one whose veth pairs with the node wins', () => {
	const view = trapView();
	view.namespaces.unshift({
		holder: {inode: 50, path: '/run/netns/other-node-pod', name: 'other-node-pod', pid: null, pidStart: null},
		links: [link(9, 'eth0', {linkIndex: 18, addresses: [{family: 'inet', local: '10.244.0.18', prefixlen: 16, scope: 'global'}]})],
		probedAt: 0,
	});
	const [path] = resolvePods([podRef('a', ['10.244.0.18'])], view, 'node-a');
	assert.equal(path!.netns?.path, '/run/netns/cni-3');
	assert.equal(path!.peer?.ifname, 'veth370ddc67');
});

test('without root: /32 route names the peer (ptp), heuristic', () => {
	const view = {...fixtureView('eng-ptp-routed'), namespaces: [], canEnterNetns: false, enterDeniedReason: 'running as uid 65534, not root'};
	const pods = fixturePods('eng-ptp-routed');
	const paths = resolvePods(pods.map(p => podRef(p.name, p.ips)), view, 'node-a');
	for (const [i, path] of paths.entries()) {
		assert.equal(path.status, 'resolved');
		assert.equal(path.heuristic, true);
		assert.equal(path.peer?.ifname, pods[i]!.kernel.peer);
		assert.equal(path.netns, null);
		assert.ok(path.evidence.some(e => e.includes('as root the tool would')));
	}
});

test('without root: neighbour MAC → bridge fdb port names the peer (bridge), heuristic', () => {
	const view = {...fixtureView('eng-bridge-dualstack-2bridges'), namespaces: [], canEnterNetns: false, enterDeniedReason: 'not root'};
	const pods = fixturePods('eng-bridge-dualstack-2bridges');
	const paths = resolvePods(pods.map(p => podRef(p.name, p.ips)), view, 'node-a');
	for (const [i, path] of paths.entries()) {
		assert.equal(path.status, 'resolved', path.evidence.join('\n'));
		assert.equal(path.heuristic, true);
		assert.equal(path.peer?.ifname, pods[i]!.kernel.peer);
		assert.equal(path.bridge?.ifname, pods[i]!.kernel.master);
	}

	const noNeighbours = {...view, snapshot: {...view.snapshot, neighbours: []}};
	const [partial] = resolvePods([podRef('x', pods[0]!.ips)], noNeighbours, 'node-a');
	assert.equal(partial!.status, 'partial');
	assert.equal(partial!.heuristic, true);
	assert.ok(partial!.routes.some(r => r.includes('dev bridge')), partial!.routes.join('; '));
});

test('a finished pod never takes the path of the live pod that now has its IP', () => {
	const live = podRef('live', ['10.244.0.18']);
	const done = podRef('cron-28930', ['10.244.0.18'], {phase: 'Succeeded'});
	const failed = podRef('cron-28931', ['10.244.0.118'], {phase: 'Failed'});
	const paths = resolvePods([done, live, failed], trapView(), 'node-a');
	assert.deepEqual(paths.map(p => p.status), ['completed', 'resolved', 'completed']);
	for (const path of [paths[0]!, paths[2]!]) {
		assert.equal(path.netns, null);
		assert.equal(path.eth0, null);
		assert.equal(path.peer, null);
		assert.equal(path.bridge, null);
		assert.deepEqual(path.routes, []);
		assert.ok(path.evidence.some(e => e.includes('finished') && e.includes(path.ip!)), path.evidence.join(' | '));
	}

	assert.equal(paths[0]!.ip, '10.244.0.18', 'the API\'s IP is still shown');
	assert.equal(paths[1]!.peer?.ifname, 'veth370ddc67');
});

/** trapView plus a leaked copy of pod a's namespace (a failed CNI DEL): its veth is still on the node. */
function leakedView(): NodeView {
	const view = trapView();
	view.snapshot.links.push(link(19, 'vethleaked0', {linkIndex: 4, linkNetnsid: 5, master: 'cni0', portState: 'forwarding'}));
	view.namespaces.unshift({
		holder: {inode: 77, path: '/run/netns/cni-leaked', name: 'cni-leaked', pid: null, pidStart: null},
		links: [link(4, 'eth0', {linkIndex: 19, linkNetnsid: 0, addresses: [{family: 'inet', local: '10.244.0.18', prefixlen: 16, scope: 'global'}]})],
		probedAt: 0,
	});
	return view;
}

test('two namespaces hold the pod IP: the runtime\'s sandbox netns decides, and both facts are evidence', () => {
	const pod = podRef('a', ['10.244.0.18']);
	const [byIp] = resolvePods([pod], leakedView(), 'node-a');
	// Both pair with a node veth, so without the runtime the IP alone cannot tell them apart.
	assert.ok(byIp!.evidence.some(e => e.includes('2 namespaces carry 10.244.0.18')), byIp!.evidence.join(' | '));

	const [path] = resolvePods([pod], leakedView(), 'node-a', [sandbox(pod, 3)]);
	assert.equal(path!.status, 'resolved', path!.evidence.join(' | '));
	assert.equal(path!.netns?.path, '/run/netns/cni-3');
	assert.equal(path!.peer?.ifname, 'veth370ddc67');
	assert.ok(path!.evidence.some(e => e.includes('2 namespaces carry 10.244.0.18') && e.includes('inodes 77, 3') && e.includes('runtime')), path!.evidence.join(' | '));

	const [other] = resolvePods([pod], leakedView(), 'node-a', [sandbox(pod, 77)]);
	assert.equal(other!.netns?.path, '/run/netns/cni-leaked', 'the runtime, not the list order, picks');
	assert.equal(other!.peer?.ifname, 'vethleaked0');
});

test('the runtime and the IP disagree: said in the evidence; a namespace the runtime gives another pod is never taken', () => {
	const pod = podRef('a', ['10.244.0.18']);
	const neighbour = podRef('b', ['10.244.0.118']);
	// The runtime says a's sandbox is inode 2 (which holds b's address only): the IP points at inode 3.
	const [disagree] = resolvePods([pod], trapView(), 'node-a', [sandbox(pod, 2)]);
	assert.equal(disagree!.status, 'resolved');
	assert.equal(disagree!.netns?.inode, 3);
	assert.ok(disagree!.evidence.some(e => e.includes('runtime') && e.includes('inode 2') && e.includes('does not hold 10.244.0.18')), disagree!.evidence.join(' | '));

	// Inode 3 is another pod's sandbox by the runtime's word: this pod has no namespace of its own here.
	const [taken] = resolvePods([pod], trapView(), 'node-a', [sandbox(pod, 2), sandbox(neighbour, 3)]);
	assert.equal(taken!.status, 'netns-not-found', taken!.evidence.join(' | '));
	assert.equal(taken!.netns, null);
	assert.equal(taken!.peer, null);
	assert.ok(taken!.evidence.some(e => e.includes('default/b')), taken!.evidence.join(' | '));

	// Two pods' sandboxes in one namespace (a stale pid read as a sandbox): it is not taken from either.
	const [shared] = resolvePods([pod], trapView(), 'node-a', [sandbox(pod, 3), sandbox(neighbour, 3)]);
	assert.equal(shared!.status, 'resolved', shared!.evidence.join(' | '));
	assert.equal(shared!.netns?.inode, 3);

	// A sandbox without a known netns (not running, or its inode unreadable) changes nothing.
	const [unknown] = resolvePods([pod], trapView(), 'node-a', [sandbox(pod, null)]);
	assert.equal(unknown!.netns?.inode, 3);
	assert.ok(!unknown!.evidence.some(e => e.includes('runtime')), unknown!.evidence.join(' | '));
});

test('a finished pod names no address in a capture and offers no capture point', () => {
	const [done, live] = resolvePods([podRef('cron-1', ['10.244.0.18'], {phase: 'Succeeded'}), podRef('live', ['10.244.0.18'])], trapView(), 'node-a');
	// The finished pod comes first in the list, the live one must still name the IP.
	assert.equal(buildIpNames([live!, done!]).get('10.244.0.18'), 'default/live');
	assert.equal(buildIpNames([done!, live!]).get('10.244.0.18'), 'default/live');
	const points = capturePoints(done!, {kind: 'bridge', summary: '', capturePoint: 'bridge', bridge: 'cni0', evidence: []}, {iface: 'eth0'});
	assert.deepEqual(points.filter(p => p.target !== null), []);
	assert.ok(points.every(p => p.unavailable?.includes('finished')));
});
