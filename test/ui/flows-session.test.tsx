// The Flows session with its node read and its Services watch stood in for: one read on open and
// one per poll while open, none once closed; a read landing after close is dropped; a Service the
// watch brings re-tells the flows without a read; a deleted pod says so; close stops the watch.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ServiceSets} from '../../source/cluster/service-watch.js';
import type {KubeTarget} from '../../source/cluster/kube-target.js';
import {createFlowsSession} from '../../source/app/flows-session.js';
import type {PodInfo, Result} from '../../source/core/types.js';
import type {ConntrackRead} from '../../source/node/conntrack/conntrack-read.js';
import {parseConntrackLine} from '../../source/node/conntrack/conntrack-text.js';
import type {NodeShell} from '../../source/node/node-shell.js';
import type {OpenFlows} from '../../source/store/tui-state.js';

const entry = parseConntrackLine('ipv4 2 tcp 6 117 ESTABLISHED src=10.244.0.2 dst=10.96.0.10 sport=51058 dport=8080 src=10.244.1.7 dst=10.244.0.2 sport=80 dport=51058 [ASSURED] mark=0 zone=0 use=2')!;
const web = {namespace: 'shop', name: 'web-0', uid: 'u1', nodeName: 'n1', hostNetwork: false, ips: ['10.244.0.2'], phase: 'Running'} as PodInfo;

function harness() {
	const published: Array<OpenFlows | null> = [];
	const pods = new Map([[web.uid, web]]);
	const reads: Array<{node: string; ips: readonly string[]; answer(r: Result<ConntrackRead>): void}> = [];
	let onSets: ((s: ServiceSets) => void) | null = null;
	let stopped = 0;
	const session = createFlowsSession({
		publish: f => published.push(f),
		pod: uid => pods.get(uid),
		pods: () => pods.values(),
		node: async () => ({ok: true, value: {} as NodeShell}),
		kube: () => ({} as KubeTarget),
		read: (_shell, node, ips) => new Promise(resolve => reads.push({node, ips, answer: resolve})),
		watch: (_t, onChange) => {
			onSets = onChange;
			return {stop: () => stopped++};
		},
	});
	const settle = () => new Promise(resolve => setImmediate(resolve));
	return {session, published, pods, reads, sets: (s: ServiceSets) => onSets?.(s), stopped: () => stopped, settle, last: () => published.at(-1)};
}

test('one read on open, one per poll while open, none after close; names follow the watch', async () => {
	const h = harness();
	const opening = h.session.open('u1');
	await h.settle();
	assert.equal(h.reads.length, 1);
	assert.deepEqual([h.reads[0]!.node, h.reads[0]!.ips], ['n1', ['10.244.0.2']]);
	h.reads[0]!.answer({ok: true, value: {source: 'conntrack', entries: [entry]}});
	await opening;
	assert.equal(h.last()?.flows?.[0]?.text, 'web-0 → 10.96.0.10:8080 → served by 10.244.1.7:80 [tcp ESTABLISHED]');
	assert.equal(h.last()?.source, 'conntrack');

	h.sets({services: [{namespace: 'shop', name: 'cart', type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{name: '', protocol: 'TCP', port: 8080, targetPort: 80, nodePort: null}], externalIPs: [], loadBalancerIPs: [], internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster'}], slices: [{namespace: 'shop', name: 'cart-a', serviceName: 'cart', addressType: 'IPv4', ports: [], endpoints: [{addresses: ['10.244.1.7'], ready: true, serving: true, terminating: false, nodeName: 'n2', targetRef: {kind: 'Pod', namespace: 'shop', name: 'cart-2'}}]}], problem: null});
	assert.equal(h.reads.length, 1, 'a watch event reads nothing');
	assert.equal(h.last()?.flows?.[0]?.text, 'web-0 → svc/cart:8080 → served by cart-2 (10.244.1.7) [tcp ESTABLISHED]');

	const polling = h.session.refresh();
	const again = h.session.refresh();
	await h.settle();
	assert.equal(h.reads.length, 2, 'two refreshes at once are one read');
	h.reads[1]!.answer({ok: false, reason: 'conntrack -L failed on node n1', hint: 'run with sudo'});
	await Promise.all([polling, again]);
	assert.equal(h.last()?.flows, null);
	assert.equal(h.last()?.error?.reason, 'conntrack -L failed on node n1');

	const late = h.session.refresh();
	await h.settle();
	h.session.close();
	assert.equal(h.last(), null);
	assert.equal(h.stopped(), 1, 'the watch stopped');
	h.reads[2]!.answer({ok: true, value: {source: 'proc', entries: [entry]}});
	await late;
	assert.equal(h.last(), null, 'the late read is dropped');
	await h.session.refresh();
	assert.equal(h.reads.length, 3, 'closed: no read');
});

test('a pod the API deleted, or one on the node\'s network, is not read: the section says why', async () => {
	const h = harness();
	h.pods.set('h1', {...web, uid: 'h1', hostNetwork: true});
	await h.session.open('h1');
	assert.match(h.last()?.error?.reason ?? '', /hostNetwork/);
	const opening = h.session.open('u1');
	await h.settle();
	h.pods.delete('u1');
	h.reads[0]!.answer({ok: true, value: {source: 'conntrack', entries: [entry]}});
	await opening;
	await h.session.refresh();
	assert.match(h.last()?.error?.reason ?? '', /gone/);
	assert.equal(h.reads.length, 1);
});
