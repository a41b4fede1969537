// `path --json` on the real lab, one `lab up` per overlay: same-node and cross-node pairs, every
// hop compared with what the kernel says (names and indices, `ip route get`, neigh and fdb, read
// by the test itself), then each lab fault in turn: the path names the broken hop, and after
// `lab fault clear` it is reachable again. Runs the shipped bundle (npm run build first).
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {HopKind, PathDocument, PathHop} from '../../source/core/path/types.js';
import {type LabPod, type LabState, readLabState} from '../../source/lab/lab-state.js';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {lab, run} from '../lab/lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nft', 'nsenter', 'unshare', 'setpriv'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/ptp', '/usr/lib/cni/host-local']});
aroundLabSuite(skip);

const BIN = fileURLToPath(new URL('../../bin/k8snet-tui.js', import.meta.url));
const exec = promisify(execFile);
type Json = Record<string, unknown>;

async function path(from: LabPod, to: LabPod, kubeconfig: string): Promise<{doc: PathDocument; ms: number}> {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const started = Date.now();
	const r = await exec(process.execPath, [BIN, 'path', `${from.namespace}/${from.name}`, `${to.namespace}/${to.name}`, '--json', '--kubeconfig', kubeconfig], {timeout: 60_000});
	return {doc: JSON.parse(r.stdout) as PathDocument, ms: Date.now() - started};
}

const ipJson = async (netns: string, args: string[]) => JSON.parse((await run(['ip', '-n', netns, '-j', ...args])) || '[]') as Json[];
const netnsOf = (s: LabState, node: string) => s.nodes!.find(n => n.name === node)!.netns;

/** Every hop against the kernel of its node: the interface by index and name, its MTU, and the decisions. */
async function assertHopsMatchKernel(s: LabState, doc: PathDocument, from: LabPod, to: LabPod): Promise<void> {
	for (const [hops, src, dst] of [[doc.hops, from, to], [doc.reverse.hops, to, from]] as Array<[PathHop[], LabPod, LabPod]>) {
		for (const hop of hops) {
			const netns = netnsOf(s, hop.node);
			const inPod = hop.kind === 'pod-eth0' ? [src, dst].find(p => p.node === hop.node && (hop === hops[0] ? p === src : p === dst))! : null;
			const links = inPod ? (JSON.parse(await run(['nsenter', `--net=${inPod.netnsPath}`, 'ip', '-j', 'link'])) as Json[]) : await ipJson(netns, ['link']);
			const link = links.find(l => l['ifindex'] === hop.ifindex);
			assert.equal(link?.['ifname'], hop.ifname, `${hop.node} ${hop.kind}: ifindex ${hop.ifindex} is ${String(link?.['ifname'])}`);
			assert.equal(link?.['mtu'], hop.mtu, `${hop.node} ${hop.kind} ${hop.ifname}: mtu`);
		}

		// The decisions, asked by the test: each node's route hop leaves by the device the kernel names.
		const first = hops.find(h => h.kind === 'route' && h.node === src.node);
		if (first) {
			const ingress = hops[2]?.kind === 'bridge' ? hops[2].ifname! : hops[1]!.ifname!;
			const [got] = await ipJson(netnsOf(s, src.node!), ['route', 'get', dst.ip!, 'from', src.ip!, 'iif', ingress]);
			assert.equal(got?.['dev'], first.ifname, `${src.node}: ip route get ${dst.ip} from ${src.ip} iif ${ingress}`);
			if (hops.some(h => h.kind === 'vxlan')) {
				const [neigh] = await ipJson(netnsOf(s, src.node!), ['neigh', 'show', 'to', String(got?.['gateway']), 'dev', 'flannel.1']);
				const fdb = JSON.parse(await run(['bridge', '-n', netnsOf(s, src.node!), '-j', 'fdb', 'show', 'dev', 'flannel.1'])) as Json[];
				const entry = fdb.find(e => e['mac'] === neigh?.['lladdr']);
				const vx = hops.find(h => h.kind === 'vxlan' && h.node === src.node)!;
				assert.ok(vx.evidence.some(e => e.expect.includes(`lladdr ${String(neigh?.['lladdr'])}`)), 'the neighbour the kernel holds');
				assert.ok(vx.evidence.some(e => e.expect.includes(`dst ${String(entry?.['dst'])}`)), 'the fdb entry the kernel holds');
				assert.equal(entry?.['dst'], s.nodes!.find(n => n.name === dst.node)!.ip);
			}
		}
	}
}

function only(doc: PathDocument, kind: HopKind, node: string): PathHop {
	const bad = doc.hops.filter(h => !h.ok);
	assert.equal(doc.verdict, 'broken');
	assert.deepEqual(bad.map(h => [h.kind, h.node]), [[kind, node]], JSON.stringify(bad.map(h => h.problem)));
	return bad[0]!;
}

async function fault(args: string[], add: boolean): Promise<void> {
	const r = await lab(['fault', add ? 'add' : 'clear', ...args], {}, 'bundle');
	assert.equal(r.code, 0, r.stderr);
}

function pick(s: LabState): {a: LabPod; b: LabPod; c: LabPod} {
	const on = (k: number) => s.pods.filter(p => p.kind === 'normal' && p.node === s.nodes![k]!.name);
	return {a: on(0)[0]!, b: on(2)[0]!, c: on(0)[1]!};
}

test('vxlan, 3 nodes: same-node and cross-node paths match the kernel; each fault is named at its hop and clears', {skip}, async () => {
	const up = await lab(['up', '--nodes', '3', '--overlay', 'vxlan', '--pods', '2'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const s = readLabState()!;
	const {a, b, c} = pick(s);
	const [n1, , n3] = s.nodes!;
	const cross = await path(a, b, s.kubeconfig);
	console.log(`path --json cold, cross-node: ${cross.ms} ms`);
	assert.equal(cross.doc.verdict, 'reachable', JSON.stringify(cross.doc.hops.filter(h => !h.ok)));
	assert.deepEqual(cross.doc.hops.map(h => h.kind), ['pod-eth0', 'host-veth', 'bridge', 'route', 'vxlan', 'underlay', 'underlay', 'vxlan', 'route', 'bridge', 'host-veth', 'pod-eth0']);
	await assertHopsMatchKernel(s, cross.doc, a, b);
	const same = await path(a, c, s.kubeconfig);
	assert.equal(same.doc.verdict, 'reachable');
	assert.deepEqual(same.doc.hops.map(h => h.kind), ['pod-eth0', 'host-veth', 'bridge', 'host-veth', 'pod-eth0']);
	await assertHopsMatchKernel(s, same.doc, a, c);

	const ref = (p: LabPod) => `${p.namespace}/${p.name}`;
	const cases: Array<{args: string[]; kind: HopKind; node: string; problem: RegExp}> = [
		{args: ['veth-down', ref(a)], kind: 'host-veth', node: n1!.name, problem: /is down/},
		{args: ['fdb-missing', n1!.name, n3!.name], kind: 'vxlan', node: n1!.name, problem: /no fdb entry for VTEP MAC/},
		{args: ['neigh-missing', n1!.name, n3!.name], kind: 'vxlan', node: n1!.name, problem: /no neighbour entry/},
		{args: ['route-missing', n1!.name, n3!.podCIDR], kind: 'route', node: n1!.name, problem: /route for its pods' subnet is missing/},
		{args: ['blackhole', n1!.name, n3!.podCIDR], kind: 'route', node: n1!.name, problem: new RegExp(`blackhole route for ${n3!.podCIDR}`)},
		{args: ['mtu', ref(a), '1500'], kind: 'pod-eth0', node: n1!.name, problem: /MTU 1500 is above the path's 1450/},
		{args: ['drop', n1!.name, ref(a)], kind: 'route', node: n1!.name, problem: /nft table inet k8snet-lab-faults, chain \S+ \(rule handle \d+\) drops/},
	];
	for (const f of cases) {
		await fault(f.args, true);
		try {
			const hop = only((await path(a, b, s.kubeconfig)).doc, f.kind, f.node);
			assert.match(hop.problem!, f.problem, f.args.join(' '));
		} finally {
			await fault(f.args, false);
		}

		assert.equal((await path(a, b, s.kubeconfig)).doc.verdict, 'reachable', `after clearing ${f.args.join(' ')}`);
	}

	assert.equal((await lab(['down'], {}, 'bundle')).code, 0);
});

test('routed --cni ptp, 3 nodes: no bridge, /32 routes; paths match the kernel; route-missing is named and clears', {skip}, async () => {
	const up = await lab(['up', '--nodes', '3', '--overlay', 'routed', '--cni', 'ptp', '--pods', '2'], {}, 'bundle');
	assert.equal(up.code, 0, up.stderr);
	const s = readLabState()!;
	const {a, b, c} = pick(s);
	const [n1, , n3] = s.nodes!;
	const cross = await path(a, b, s.kubeconfig);
	assert.equal(cross.doc.verdict, 'reachable', JSON.stringify(cross.doc.hops.filter(h => !h.ok)));
	assert.deepEqual(cross.doc.hops.map(h => h.kind), ['pod-eth0', 'host-veth', 'route', 'underlay', 'underlay', 'route', 'host-veth', 'pod-eth0']);
	await assertHopsMatchKernel(s, cross.doc, a, b);
	const same = await path(a, c, s.kubeconfig);
	assert.equal(same.doc.verdict, 'reachable');
	assert.deepEqual(same.doc.hops.map(h => h.kind), ['pod-eth0', 'host-veth', 'route', 'host-veth', 'pod-eth0']);
	await assertHopsMatchKernel(s, same.doc, a, c);
	const args = ['route-missing', n1!.name, n3!.podCIDR];
	await fault(args, true);
	try {
		assert.match(only((await path(a, b, s.kubeconfig)).doc, 'route', n1!.name).problem!, /does not lead to node/);
	} finally {
		await fault(args, false);
	}

	assert.equal((await path(a, b, s.kubeconfig)).doc.verdict, 'reachable');

	// --proto/--port go into every decision; a pod that does not exist is one line and exit 1.
	const flow = JSON.parse((await exec(process.execPath, [BIN, 'path', `${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`, '--proto', 'udp', '--port', '53', '--json', '--kubeconfig', s.kubeconfig])).stdout) as PathDocument;
	assert.equal(flow.verdict, 'reachable');
	assert.match(flow.hops.find(h => h.kind === 'route')!.evidence[0]!.command, / iif \S+ ipproto udp dport 53$/);
	const missing = await exec(process.execPath, [BIN, 'path', `${a.namespace}/${a.name}`, `${a.namespace}/no-such-pod`, '--kubeconfig', s.kubeconfig]).then(() => null, (e: {code: number; stderr: string}) => e);
	assert.equal(missing?.code, 1);
	assert.match(missing!.stderr, /^k8snet-tui path: pod \S+\/no-such-pod not found \(.*\)\n$/);
	assert.equal((await lab(['down'], {}, 'bundle')).code, 0);
});
