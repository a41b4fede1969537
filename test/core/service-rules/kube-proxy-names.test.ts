// kube-proxy's chain names, checked against names kube-proxy itself printed: its own test
// expectations (test/fixtures/kube-proxy/kube-proxy-overall.*) and real clusters' iptables-save
// pasted in public issues (SOURCES.md).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {iptablesEndpointChain, iptablesServiceChain, nftEndpointChainBase, nftServiceChainBase, portProtoHash, servicePortName} from '../../../source/core/service-rules/kube-proxy-names.js';

test('iptables: KUBE-SVC from kube-proxy\'s testdata and from real clusters', () => {
	assert.equal(iptablesServiceChain(servicePortName('ns1', 'svc1', 'p80'), 'TCP'), 'KUBE-SVC-XPGD46QRK7WJZT7O');
	assert.equal(iptablesServiceChain('ns4/svc4:p80', 'TCP'), 'KUBE-SVC-4SW47YFZTEDKD3PK');
	// kubernetes/kubernetes#47533: the same names on every cluster, as they derive from names only.
	assert.equal(iptablesServiceChain(servicePortName('default', 'kubernetes', 'https'), 'TCP'), 'KUBE-SVC-NPX46M4PTMTKRN6Y');
	assert.equal(iptablesServiceChain('kube-system/kube-dns:dns', 'UDP'), 'KUBE-SVC-TCOU7JCQXEZGVUNU');
	assert.equal(iptablesServiceChain('kube-system/kube-dns:dns-tcp', 'TCP'), 'KUBE-SVC-ERIFXISQEP7F7OF4');
	assert.equal(portProtoHash('ns5/svc5:p80', 'TCP'), 'NUKIZ6OKUXPJNT4C');
});

test('iptables: KUBE-SEP hashes the endpoint in too', () => {
	assert.equal(iptablesEndpointChain('ns1/svc1:p80', 'TCP', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
	assert.equal(iptablesEndpointChain('ns4/svc4:p80', 'TCP', '10.180.0.5:80'), 'KUBE-SEP-C6EBXVWJJZMIWKLZ');
});

test('an unnamed port has no colon', () => {
	assert.equal(servicePortName('default', 'nginx', ''), 'default/nginx');
});

test('nftables: hash, then the names in clear', () => {
	assert.equal(nftServiceChainBase({namespace: 'ns1', name: 'svc1', port: 'p80'}, 'TCP'), 'ULMVA6XW-ns1/svc1/tcp/p80');
	assert.equal(nftServiceChainBase({namespace: 'ns4', name: 'svc4', port: 'p80'}, 'TCP'), 'LAUZTJTB-ns4/svc4/tcp/p80');
	assert.equal(nftEndpointChainBase({namespace: 'ns1', name: 'svc1', port: 'p80'}, 'TCP', '10.180.0.1', 80), '5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80');
	assert.equal(nftEndpointChainBase({namespace: 'ns4', name: 'svc4', port: 'p80'}, 'TCP', '10.180.0.5', 80), '5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80');
});

test('nftables: a name too long for a chain is cut, keeping the hash of the whole', () => {
	const long = 'x'.repeat(63);
	const base = nftEndpointChainBase({namespace: long, name: long, port: long}, 'SCTP', 'fd00:10:180::1', 65535);
	assert.equal(base.length, 112);
	assert.ok(base.endsWith('...'));
	assert.notEqual(base.slice(0, 8), nftEndpointChainBase({namespace: long, name: long, port: long}, 'SCTP', 'fd00:10:180::2', 65535).slice(0, 8));
});
