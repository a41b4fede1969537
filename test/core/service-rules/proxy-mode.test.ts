// The proxy mode from what a node shows; kube-proxy replaced by Cilium names Cilium's commands.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CILIUM_SERVICE_COMMANDS, detectProxyMode, type NodeProxySigns} from '../../../source/core/service-rules/proxy-mode.js';
import {parseIptablesSave} from '../../../source/node/rules/iptables-save.js';
import {labIptablesSave} from '../../node/rules/kube-proxy-fixtures.js';

const chains = [...parseIptablesSave(labIptablesSave()).tables.values()].flatMap(t => [...t.keys()]);
const node = (s: Partial<NodeProxySigns>): NodeProxySigns => ({iptablesChains: ['PREROUTING', 'KUBE-FIREWALL'], nftKubeProxyTable: false, ipvsVirtualServers: null, links: ['lo', 'eth0'], ...s});

test('iptables, nftables, ipvs', () => {
	assert.equal(detectProxyMode(node({iptablesChains: chains})).mode, 'iptables');
	assert.equal(detectProxyMode(node({nftKubeProxyTable: true})).mode, 'nftables');
	// IPVS mode has KUBE-SERVICES in nat too: kube-ipvs0 tells it apart.
	const ipvs = detectProxyMode(node({iptablesChains: [...chains, 'KUBE-IPVS-FILTER'], links: ['eth0', 'kube-ipvs0'], ipvsVirtualServers: 7}));
	assert.deepEqual(ipvs, {mode: 'ipvs', evidence: ['the kube-ipvs0 device (where kube-proxy puts Service IPs in IPVS mode)', '7 IPVS virtual servers in ipvsadm -Ln', 'KUBE-IPVS-* iptables chains']});
});

test('kube-proxy replaced: Cilium devices and no kube-proxy rules, with the commands for its BPF service map', () => {
	const m = detectProxyMode(node({links: ['lo', 'eth0', 'cilium_host', 'cilium_net', 'cilium_vxlan', 'lxc12ab']}));
	assert.equal(m.mode, 'cilium');
	assert.ok(m.mode === 'cilium' && m.commands === CILIUM_SERVICE_COMMANDS);
	assert.ok(CILIUM_SERVICE_COMMANDS.some(c => c.includes('cilium-dbg service list')) && CILIUM_SERVICE_COMMANDS.some(c => c.includes('cilium-dbg bpf lb list')));
	// Cilium as the CNI only, with kube-proxy beside it: kube-proxy's mode.
	assert.equal(detectProxyMode(node({iptablesChains: chains, links: ['cilium_host', 'cilium_net']})).mode, 'iptables');
});

test('none, both, or unreadable: said so, never guessed', () => {
	assert.equal(detectProxyMode(node({})).mode, 'none');
	const both = detectProxyMode(node({iptablesChains: chains, nftKubeProxyTable: true}));
	assert.equal(both.mode, 'unknown');
	assert.ok(both.mode === 'unknown' && both.hint.includes('kubectl -n kube-system get configmap kube-proxy'));
	const unread = detectProxyMode(node({iptablesChains: null}));
	assert.deepEqual(unread.mode === 'unknown' && unread.reason, 'could not read iptables-save on this node, and found no kube-proxy rules elsewhere');
	assert.equal(detectProxyMode(node({iptablesChains: null, nftKubeProxyTable: true})).mode, 'nftables');
});
