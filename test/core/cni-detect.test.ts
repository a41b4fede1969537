import assert from 'node:assert/strict';
import {test} from 'node:test';
import {detectCni} from '../../source/core/cni-detect.js';
import type {NodeNetSnapshot} from '../../source/core/types.js';
import {fixtureView, link} from './fixture-view.js';

const snapshot = (links: NodeNetSnapshot['links']): NodeNetSnapshot => ({links, routes: [], neighbours: [], fdb: [], takenAt: 0});

test('bridge CNI (recorded): capture on the busiest bridge', () => {
	const cni = detectCni(fixtureView('eng-bridge-20pods').snapshot);
	assert.equal(cni.kind, 'bridge');
	assert.equal(cni.capturePoint, 'bridge');
	assert.equal(cni.bridge, 'bridge');
	assert.match(cni.summary, /bridge 'bridge' \(10\.247\.0\.1\/24\)/);
});

test('ptp (recorded): routed veths, capture on the peer', () => {
	const cni = detectCni(fixtureView('eng-ptp-routed').snapshot);
	assert.equal(cni.kind, 'ptp');
	assert.equal(cni.capturePoint, 'peer');
	assert.equal(cni.bridge, null);
});

test('cilium: recommends capturing inside the pod netns', () => {
	const cni = detectCni(snapshot([link(3, 'cilium_host'), link(9, 'lxc12ab', {linkIndex: 4, linkNetnsid: 1})]));
	assert.equal(cni.kind, 'cilium');
	assert.equal(cni.capturePoint, 'pod');
	assert.match(cni.summary, /bypass|past the host-side/);
});

test('calico, flannel, weave and the conflist', () => {
	assert.equal(detectCni(snapshot([link(3, 'tunl0', {kind: 'ipip'}), link(9, 'cali1234', {linkIndex: 4})])).kind, 'calico');
	const flannel = detectCni(snapshot([link(3, 'flannel.1', {kind: 'vxlan'}), link(4, 'cni0', {kind: 'bridge'}), link(9, 'veth1', {master: 'cni0', linkIndex: 2})]));
	assert.equal(flannel.kind, 'flannel');
	assert.equal(flannel.bridge, 'cni0');
	assert.equal(detectCni(snapshot([link(4, 'weave', {kind: 'bridge'})])).kind, 'weave');
	const configured = detectCni(snapshot([]), ['{"name":"k8s-pod-network","plugins":[{"type":"calico"},{"type":"portmap"}]}', 'not json']);
	assert.equal(configured.kind, 'calico');
	assert.ok(configured.evidence.some(e => e.includes('calico plugin')));
	assert.equal(detectCni(snapshot([link(1, 'lo', {kind: null})])).kind, 'unknown');
});
