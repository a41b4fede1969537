import assert from 'node:assert/strict';
import {test} from 'node:test';
import {explainCommands} from '../../source/core/evidence.js';
import {resolvePods} from '../../source/core/join.js';
import {fixturePods, fixtureView, podRef} from './fixture-view.js';

test('explain: commands to prove a bridged pod by hand, run through the lab netns', () => {
	const pod = fixturePods('eng-bridge-dualstack-2bridges')[0]!;
	const [path] = resolvePods([podRef(pod.name, pod.ips)], fixtureView('eng-bridge-dualstack-2bridges'), 'node-a');
	const steps = explainCommands(path!, {kind: 'lab', target: 'k8snet-lab-node'});
	assert.ok(steps.length >= 4);
	assert.ok(steps.every(s => s.command.startsWith('ip netns exec k8snet-lab-node ')));
	assert.ok(steps.some(s => s.command.includes(`nsenter --net=${pod.netnsPath} ip -d addr show eth0`)));
	assert.ok(steps.some(s => s.command.includes(`awk -F': ' '$1 == ${pod.kernel.linkIndex}'`)), 'exact index match, never grep');
	assert.ok(steps.some(s => s.command.endsWith(`bridge link show dev ${pod.kernel.peer}`)));
	assert.ok(steps.some(s => s.command.includes(`tcpdump -i ${pod.kernel.master} -n -l host ${pod.ips[0]}`)));
});

test('explain: routed pod locally, host-network and no-IP pods', () => {
	const pod = fixturePods('eng-ptp-routed')[0]!;
	const [routed, host, none] = resolvePods([podRef(pod.name, pod.ips), podRef('h', ['192.0.2.9'], {hostNetwork: true}), podRef('n', [])], fixtureView('eng-ptp-routed'), 'node-a');
	const steps = explainCommands(routed!, {kind: 'local', target: 'host'}, {sudo: true});
	assert.ok(steps.some(s => s.command === `sudo ip route get ${pod.ips[0]}` && s.expect.includes(`dev ${pod.kernel.peer}`)));
	assert.equal(explainCommands(host!, {kind: 'local', target: 'host'}).length, 1);
	assert.deepEqual(explainCommands(none!, {kind: 'local', target: 'host'}), []);
});
