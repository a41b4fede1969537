// Enforcement from API facts and the node's CNI: each known engine's DaemonSet, kindnet with and
// without its controller, the plain CNIs, and null whenever nothing known decides.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {type DaemonSetFacts, detectEnforcement} from '../../source/core/policy-enforcement.js';

const ds = (name: string, namespace = 'kube-system', containers: DaemonSetFacts['containers'] = [{name, image: `${name}:v1`, args: []}]): DaemonSetFacts => ({namespace, name, containers});

test('each enforcing engine is recognised by its DaemonSet, whatever the node shows', () => {
	for (const [name, engine] of [['calico-node', 'Calico'], ['cilium', 'Cilium'], ['antrea-agent', 'Antrea'], ['kube-router', 'kube-router'], ['weave-net', 'Weave Net'], ['k8snet-lab-policy-agent', "the lab's policy agent"]] as const) {
		const e = detectEnforcement([ds('kube-proxy'), ds(name, name === 'calico-node' ? 'calico-system' : 'kube-system')], 'bridge');
		assert.equal(e.enforced, true, name);
		assert.match(e.enforcedReason, new RegExp(`^${engine.replace(/[()]/g, '\\$&')} enforces NetworkPolicy: DaemonSet \\S+/${name} runs$`));
	}
});

test('kindnet: with its policy controller true, flag off false, otherwise unsure', () => {
	assert.equal(detectEnforcement([ds('kindnet', 'kube-system', [{name: 'kindnet-cni', image: 'kindnetd:v1', args: ['--network-policy=true']}])], null).enforced, true);
	assert.equal(detectEnforcement([ds('kindnet', 'kube-system', [{name: 'kube-network-policies', image: 'registry.k8s.io/networking/kube-network-policies:v0.4', args: []}])], null).enforced, true);
	assert.equal(detectEnforcement([ds('kindnet', 'kube-system', [{name: 'kindnet-cni', image: 'kindnetd:v1', args: ['--network-policy=false']}])], null).enforced, false);
	const unsure = detectEnforcement([ds('kindnet')], null);
	assert.equal(unsure.enforced, null);
	assert.match(unsure.enforcedReason, /only with its policy controller/);
});

test('plain CNIs say false with the reason; flannel alone too; nothing known is null', () => {
	const bridge = detectEnforcement([ds('kube-proxy')], 'bridge');
	assert.deepEqual(bridge, {enforced: false, enforcedReason: "the node's CNI is the bridge plugin, which does not enforce NetworkPolicy, and no known policy engine runs as a DaemonSet"});
	assert.equal(detectEnforcement([], 'ptp').enforced, false);
	assert.equal(detectEnforcement([ds('kube-flannel-ds', 'kube-flannel')], null).enforced, false);
	assert.equal(detectEnforcement([], 'calico').enforced, true, "a node that shows Calico's interfaces enforces");
	assert.equal(detectEnforcement([], null).enforced, null);
	assert.equal(detectEnforcement([], 'unknown').enforced, null);
	const forbidden = detectEnforcement(null, 'bridge');
	assert.equal(forbidden.enforced, null, 'unlisted DaemonSets leave room for an engine beside a plain CNI');
	assert.match(forbidden.enforcedReason, /could not be listed/);
});
