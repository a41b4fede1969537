// `dump --json` against the lab, every mapping compared with what `ip` says directly: bridge and
// ptp, named and process-held sandboxes, the odd pods, other nodes, 110 pods, and without root.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {after, test} from 'node:test';
import type {DumpDocument} from '../../source/core/dump-output.js';
import type {LabState} from '../../source/lab/lab-state.js';
import {needs} from '../support/prerequisites.js';
import {k8snet, kernelTruth, labDown, labUp} from './lab-cli.js';

const prerequisites = {root: true, tools: ['ip', 'nsenter', 'setpriv', 'ping'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/ptp']};
const scratch: string[] = [];
after(async () => {
	await labDown();
	for (const dir of scratch) rmSync(dir, {recursive: true, force: true});
});

async function dump(state: LabState, extra: string[] = []): Promise<DumpDocument> {
	const result = await k8snet(['dump', '--json', '--kubeconfig', state.kubeconfig, ...extra]);
	assert.equal(result.code, 0, result.stderr);
	return JSON.parse(result.stdout) as DumpDocument;
}

function assertLabMapping(state: LabState, document: DumpDocument, expect: {master: boolean}): void {
	assert.equal(document.node, state.node);
	assert.deepEqual(document.access, {kind: 'lab', target: state.nodeNetns});
	for (const pod of state.pods) {
		const path = document.pods.find(p => p.uid === pod.uid);
		assert.ok(path, `${pod.namespace}/${pod.name} listed`);
		switch (pod.kind) {
			case 'normal': {
				const truth = kernelTruth(pod.netnsPath!);
				assert.equal(path.status, 'resolved', `${pod.name}: ${path.evidence.join(' | ')}`);
				assert.equal(path.heuristic, false);
				assert.equal(path.netns?.inode, truth.inode, `${pod.name} netns`);
				assert.ok(path.netns, 'the netns is never null once found');
				if (pod.netnsName === null) {
					// Any process of the pod's sandbox holds its netns; the join names the one it probed.
					const pids = [pod.sandboxPid, ...pod.containers.map(c => c.pid)].filter((pid): pid is number => pid !== null);
					assert.ok(path.netns.pid !== null && pids.includes(path.netns.pid), `${pod.name}: held by pid ${path.netns.pid}, one of ${pids.join(', ')}`);
					assert.equal(path.netns.path, `/proc/${path.netns.pid}/ns/net`);
				} else {
					assert.equal(path.netns.path, `/run/netns/${pod.netnsName}`);
				}
				assert.equal(path.eth0?.ifindex, truth.eth0Ifindex);
				assert.equal(path.eth0?.linkIndex, truth.linkIndex);
				assert.equal(path.peer?.ifname, truth.peer, `${pod.name} peer`);
				assert.equal(path.peer?.master ?? null, truth.master);
				assert.deepEqual(path.ips, pod.ips);
				assert.equal(truth.master !== null, expect.master, `${pod.name}: the kernel has it ${expect.master ? 'on a bridge' : 'routed'}`);
				assert.equal(path.bridge?.ifname ?? null, truth.master);
				if (!expect.master) assert.ok(path.routes.some(r => r.startsWith(`${pod.ip} dev ${truth.peer}`)), path.routes.join('; '));
				break;
			}

			case 'host-network':
				assert.equal(path.status, 'host-network');
				break;
			case 'pending':
				assert.equal(path.status, 'no-ip');
				break;
			case 'sandbox-gone':
				assert.equal(path.status, 'netns-not-found');
				break;
			case 'invalid-ip':
				assert.equal(path.status, 'invalid-ip');
				assert.equal(path.ip, null);
				break;
		}
	}
}

test('bridge lab, named and process-held sandboxes, dual-stack, odd pods: dump maps every pod as the kernel does', {skip: needs(prerequisites)}, async () => {
	const state = await labUp(['--pods', '8', '--sandbox', 'mixed', '--ipv6', '--odd-pods']);
	assert.ok(state.pods.some(p => p.kind === 'normal' && p.netnsName === null), 'some sandboxes are process-held');
	assert.ok(state.pods.some(p => p.kind === 'normal' && p.netnsName !== null), 'some are named');
	const document = await dump(state);
	assert.equal(document.cni.kind, 'bridge');
	assert.equal(document.cni.capturePoint, 'bridge');
	assert.equal(document.pods.length, state.pods.length);
	assertLabMapping(state, document, {master: true});

	const table = await k8snet(['dump', '--kubeconfig', state.kubeconfig]);
	assert.equal(table.code, 0);
	assert.match(table.stdout.split('\n')[1]!, /^NAMESPACE\s+NAME\s+IP\s+STATUS\s+ETH0\s+PEER\s+MASTER\/ROUTE/);

	const first = state.pods.find(p => p.kind === 'normal')!;
	const one = await dump(state, [`${first.namespace}/${first.name}`]);
	assert.deepEqual(one.pods.map(p => p.name), [first.name]);
	const missing = await k8snet(['dump', 'default/k8snet-no-such-pod', '--kubeconfig', state.kubeconfig]);
	assert.equal(missing.code, 1);
	assert.equal(missing.stderr.trim().split('\n').length, 1);
	const narrowed = await dump(state, ['-n', 'lab']);
	assert.ok(narrowed.pods.length > 0 && narrowed.pods.every(p => p.namespace === 'lab'));
});

test('without root inside the node netns: heuristic mapping from routes, neighbours and fdb', {skip: needs(prerequisites)}, async () => {
	const state = await labUp(['--pods', '4']);
	const dir = mkdtempSync('/tmp/k8snet-eng-nonroot-');
	scratch.push(dir);
	chmodSync(dir, 0o755);
	copyFileSync(state.kubeconfig, `${dir}/kubeconfig`);
	chmodSync(`${dir}/kubeconfig`, 0o644);
	// The node talks to each pod once (inside the lab only), so it has a neighbour entry for it.
	for (const pod of state.pods) execFileSync('ip', ['netns', 'exec', state.nodeNetns, 'ping', '-c1', '-W1', pod.ip!]);
	const result = await k8snet(['dump', '--json', '--kubeconfig', `${dir}/kubeconfig`], {
		prefix: ['ip', 'netns', 'exec', state.nodeNetns, 'setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', 'env', `HOME=${dir}`],
	});
	assert.equal(result.code, 0, result.stderr);
	const document = JSON.parse(result.stdout) as DumpDocument;
	assert.equal(document.node, state.node);
	assert.equal(document.access.kind, 'local');
	assert.equal(document.canEnterNetns, false);
	for (const pod of state.pods) {
		const path = document.pods.find(p => p.uid === pod.uid)!;
		const truth = kernelTruth(pod.netnsPath!);
		assert.equal(path.status, 'resolved', path.evidence.join(' | '));
		assert.equal(path.heuristic, true);
		assert.equal(path.peer?.ifname, truth.peer);
		assert.equal(path.bridge?.ifname, truth.master);
		assert.ok(path.evidence.some(e => e.includes('as root the tool would')));
	}
});

test('ptp lab: routed pods map to their /32 routes; other nodes only with --all-nodes', {skip: needs(prerequisites)}, async () => {
	const state = await labUp(['--pods', '6', '--cni', 'ptp', '--sandbox', 'mixed', '--fake-nodes', '2', '--fake-pods', '6']);
	const document = await dump(state);
	assert.equal(document.cni.kind, 'ptp');
	assert.equal(document.cni.capturePoint, 'peer');
	assert.ok(document.pods.every(p => p.node === state.node), 'no other node\'s pod without --all-nodes');
	assertLabMapping(state, document, {master: false});
	const all = await dump(state, ['--all-nodes']);
	const others = all.pods.filter(p => p.node !== state.node);
	assert.equal(others.length, 6);
	assert.ok(others.every(p => p.status === 'not-on-this-node' && p.peer === null));
});

test('110 pods: every mapping exact', {skip: needs(prerequisites)}, async () => {
	const state = await labUp(['--pods', '110', '--sandbox', 'mixed']);
	const document = await dump(state);
	assert.equal(document.pods.length, 110);
	assertLabMapping(state, document, {master: true});
});
