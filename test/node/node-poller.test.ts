// The poller on the real kernel: CNI-built pods in a node namespace of our own, every mapping
// compared with what `ip` says directly, and the cache rules (new, removed, re-created, wired late).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {statSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {after, test} from 'node:test';
import {resolvePods} from '../../source/core/join.js';
import type {NodeView} from '../../source/core/types.js';
import {createLabShell} from '../../source/node/lab-shell.js';
import {PROBE_SCRIPT} from '../../source/node/netns-probe.js';
import {createNodePoller} from '../../source/node/node-poller.js';
import type {NodeShell} from '../../source/node/node-shell.js';
import {needs} from '../support/prerequisites.js';
import {createTestNode, kernelMapping, type TestNode} from './test-node.js';

const prerequisites = {root: true, tools: ['ip', 'nsenter', 'unshare', 'bridge'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/ptp']};
// Each test destroys its node; this catches whatever a failing test left behind.
let current: TestNode | null = null;
after(() => current?.destroy());

function build(options: Parameters<typeof createTestNode>[0]): TestNode {
	current?.destroy();
	current = createTestNode(options);
	return current;
}

async function pollOk(poller: ReturnType<typeof createNodePoller>): Promise<NodeView> {
	const result = await poller.poll();
	assert.ok(result.ok, result.ok ? '' : result.reason);
	return result.value;
}

/**
 * Polls until one sees no new namespace (other work on this host may create some meanwhile: those,
 * only, cost a probe) and asserts that poll spawned the node's 2 processes and nothing else.
 */
async function assertSteady(poller: ReturnType<typeof createNodePoller>, what: string, tries = 4): Promise<void> {
	for (let i = 0; i < tries; i++) {
		await pollOk(poller);
		if (poller.lastPollStats().newNamespaces > 0) continue;
		assert.equal(poller.lastPollStats().processes, 2, what);
		return;
	}

	assert.fail(`${what}: each of ${tries} polls saw new namespaces`);
}

function assertMatchesKernel(node: TestNode, view: NodeView): void {
	const paths = resolvePods(node.pods.map(p => ({namespace: 'default', name: p.name, uid: p.name, nodeName: 'n', hostNetwork: false, ips: p.ips, phase: 'Running'})), view, 'n');
	for (const [i, path] of paths.entries()) {
		const pod = node.pods[i]!;
		const kernel = kernelMapping(node, pod);
		assert.equal(path.status, 'resolved', `${pod.name}: ${path.evidence.join(' | ')}`);
		assert.equal(path.netns?.path, pod.netnsPath);
		assert.equal(path.eth0?.linkIndex, kernel.linkIndex);
		assert.equal(path.peer?.ifname, kernel.peer, pod.name);
		assert.equal(path.bridge?.ifname ?? null, kernel.master);
	}
}

for (const cni of ['bridge', 'ptp'] as const) {
	test(`${cni}: named and process-held sandboxes map as the kernel says; steady polls spawn 2 processes`, {skip: needs(prerequisites)}, async () => {
		// ptp waits for IPv6 DAD on every pod: fewer pods keep it quick.
		const node = build({tag: `pl${cni}`, pods: cni === 'ptp' ? 4 : 8, cni, ipv6: true, processEvery: 2});
		const poller = createNodePoller(createLabShell(node.nodeNetns));
		const first = await pollOk(poller);
		assert.ok(poller.lastPollStats().newNamespaces >= node.pods.length);
		// Two for the node, plus one probe loop per core at most (every namespace on this host is new).
		const cold = poller.lastPollStats().processes;
		assert.ok(cold >= 3 && cold <= 2 + availableParallelism(), `cold poll spawned ${cold}`);
		assertMatchesKernel(node, first);
		let quiet = 0;
		for (let i = 0; i < 4; i++) {
			const steady = await pollOk(poller);
			// Other work on this host may create namespaces meanwhile; those (only) cost a probe.
			if (poller.lastPollStats().newNamespaces === 0) {
				quiet++;
				assert.equal(poller.lastPollStats().processes, 2);
			}

			assertMatchesKernel(node, steady);
		}

		assert.ok(quiet > 0, 'at least one poll saw no new namespace');
	});
}

test('cache: a new pod is probed once, a removed one dropped, a re-created name re-probed', {skip: needs(prerequisites)}, async () => {
	const node = build({tag: 'plc', pods: 3, cni: 'bridge'});
	const poller = createNodePoller(createLabShell(node.nodeNetns));
	await pollOk(poller);
	const added = node.addPod({processHeld: true});
	let view = await pollOk(poller);
	assert.equal(poller.lastPollStats().newNamespaces, 1);
	assertMatchesKernel(node, view);

	node.removePod(added);
	view = await pollOk(poller);
	assert.ok(!view.namespaces.some(ns => ns.holder.path === added.netnsPath), 'the dead holder is dropped');

	// Same /run/netns name, new namespace and new veth: the old probe must not be served.
	const victim = node.pods[0]!;
	const before = view.namespaces.find(ns => ns.holder.path === victim.netnsPath)!;
	node.removePod(victim);
	const again = node.addPod();
	execFileSync('ip', ['netns', 'del', again.netnsName!]);
	execFileSync('ip', ['netns', 'add', victim.netnsName!]);
	again.netnsName = victim.netnsName;
	again.netnsPath = victim.netnsPath;
	view = await pollOk(poller);
	const after = view.namespaces.find(ns => ns.holder.path === victim.netnsPath);
	assert.ok(after, 're-created namespace is seen');
	assert.ok(after.probedAt >= before.probedAt);
	assert.ok(!after.links.some(l => l.ifname === 'eth0'), 'fresh namespace without eth0, not the cached one');
	node.pods = node.pods.filter(p => p !== again);
	execFileSync('ip', ['netns', 'del', victim.netnsName!]);
});

test('cache: a namespace probed before the CNI wired it is re-probed once its veth appears', {skip: needs(prerequisites)}, async () => {
	const node = build({tag: 'pll', pods: 2, cni: 'bridge'});
	const poller = createNodePoller(createLabShell(node.nodeNetns));
	execFileSync('ip', ['netns', 'add', 'k8snet-eng-pll-late']);
	try {
		await pollOk(poller);
		// Wire it now with the real plugin, the way a runtime does after creating the sandbox.
		const config = JSON.stringify({cniVersion: '0.4.0', name: 'k8snet-eng-pll-bridge', type: 'bridge', bridge: 'bridge', isDefaultGateway: true, ipam: {type: 'host-local', ranges: [[{subnet: `${node.pods[0]!.ips[0]!.replace(/\.\d+$/, '.0')}/24`}]], dataDir: '/tmp/k8snet-eng-pll-ipam'}});
		const out = execFileSync('nsenter', [`--net=${node.nodeNetnsPath}`, '/usr/lib/cni/bridge'], {
			input: config,
			env: {...process.env, CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'late', CNI_NETNS: '/run/netns/k8snet-eng-pll-late', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni'},
		}).toString();
		const ip = (JSON.parse(out) as {ips: Array<{address: string}>}).ips[0]!.address.split('/')[0]!;
		const view = await pollOk(poller);
		const [path] = resolvePods([{namespace: 'd', name: 'late', uid: 'late', nodeName: 'n', hostNetwork: false, ips: [ip], phase: 'Running'}], view, 'n');
		assert.equal(path!.status, 'resolved', path!.evidence.join(' | '));
		assert.equal(path!.netns?.path, '/run/netns/k8snet-eng-pll-late');
		await assertSteady(poller, 'and steady again after');
	} finally {
		execFileSync('ip', ['netns', 'del', 'k8snet-eng-pll-late']);
	}
});

test('cache: a namespace probed between veth creation and IPAM (link-local only) resolves within two polls of getting its address', {skip: needs(prerequisites)}, async () => {
	const node = build({tag: 'plh', pods: 1, cni: 'bridge'});
	const poller = createNodePoller(createLabShell(node.nodeNetns));
	const netns = 'k8snet-eng-plh-half';
	const ip = node.pods[0]!.ips[0]!.replace(/\.\d+$/, '.250');
	execFileSync('ip', ['netns', 'add', netns]);
	try {
		// What the bridge plugin has done when IPAM has not answered yet: the pair, up, on the bridge.
		execFileSync('ip', ['-n', node.nodeNetns, 'link', 'add', 'vethplhhalf', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
		execFileSync('ip', ['-n', node.nodeNetns, 'link', 'set', 'vethplhhalf', 'master', 'bridge', 'up']);
		execFileSync('ip', ['-n', netns, 'link', 'set', 'eth0', 'up']);
		const early = await pollOk(poller);
		const probed = early.namespaces.find(ns => ns.holder.path === `/run/netns/${netns}`);
		assert.ok(probed, 'the first poll probed the half-wired namespace');
		assert.ok(probed.links.some(l => l.ifname === 'eth0'));
		assert.ok(probed.links.every(l => l.addresses.every(a => a.scope !== 'global')), 'no global address yet');

		execFileSync('ip', ['-n', netns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
		const pod = {namespace: 'd', name: 'half', uid: 'half', nodeName: 'n', hostNetwork: false, ips: [ip], phase: 'Running'};
		let path = resolvePods([pod], await pollOk(poller), 'n')[0]!;
		if (path.status !== 'resolved') path = resolvePods([pod], await pollOk(poller), 'n')[0]!;
		assert.equal(path.status, 'resolved', path.evidence.join(' | '));
		assert.equal(path.netns?.path, `/run/netns/${netns}`);
		assert.equal(path.peer?.ifname, 'vethplhhalf');

		await assertSteady(poller, 'once it has its address it is settled: no more probes for it');
	} finally {
		execFileSync('ip', ['netns', 'del', netns]);
	}
});

test('probe: a holder path that leads to another inode by the time it is probed is not cached under the asked inode', {skip: needs(prerequisites)}, async () => {
	const node = build({tag: 'pli', pods: 2, cni: 'bridge'});
	const shell = createLabShell(node.nodeNetns);
	const victim = node.pods[0]!;
	const inodeOf = (path: string) => statSync(path).ino;
	const asked = inodeOf(victim.netnsPath);
	// Between discovery and the probe, the name is re-created over another namespace (a CNI DEL and
	// ADD, or, for /proc/PID/ns/net, a reused pid): the probe then reads a namespace nobody asked about.
	let swapped = false;
	const racing: NodeShell = {
		...shell,
		run: async (argv, options) => {
			if (!swapped && argv[2] === PROBE_SCRIPT && argv.includes(victim.netnsPath)) {
				swapped = true;
				execFileSync('ip', ['netns', 'del', victim.netnsName!]);
				execFileSync('ip', ['netns', 'add', victim.netnsName!]);
			}

			return shell.run(argv, options);
		},
	};
	const poller = createNodePoller(racing);
	const view = await pollOk(poller);
	assert.ok(swapped, 'the probe ran over the victim');
	const now = inodeOf(victim.netnsPath);
	assert.notEqual(now, asked);
	const stale = view.namespaces.filter(n => n.holder.path === victim.netnsPath && n.holder.inode !== now);
	assert.deepEqual(stale.map(n => n.holder.inode), [], `links of inode ${now} cached under the inode asked about`);
	assert.ok(!view.namespaces.some(n => n.holder.inode === asked), 'nothing is cached under the inode that went away');
	const other = node.pods[1]!;
	assert.ok(view.namespaces.some(n => n.holder.path === other.netnsPath && n.holder.inode === inodeOf(other.netnsPath)), 'the other namespace is cached as usual');
	// The next poll sees the new namespace as new and probes it for what it really holds.
	const next = await pollOk(poller);
	const fresh = next.namespaces.find(n => n.holder.path === victim.netnsPath);
	assert.ok(fresh, 'the re-created namespace is probed on the next poll');
	assert.equal(fresh.holder.inode, now);
	assert.ok(!fresh.links.some(l => l.ifname === 'eth0'), 'an empty namespace, as the kernel has it');
	node.pods = node.pods.filter(p => p !== victim);
	execFileSync('ip', ['netns', 'del', victim.netnsName!]);
});

test('shell stream: lines, pid, kill', {skip: needs(prerequisites)}, async () => {
	const node = build({tag: 'pls', pods: 0, cni: 'bridge'});
	const shell = createLabShell(node.nodeNetns);
	const lines: string[] = [];
	const handle = shell.stream(['sh', '-c', 'ip -o link show lo; echo second; exec sleep 30'], {onStdoutLine: line => lines.push(line)});
	assert.ok(typeof handle.pid === 'number');
	for (let i = 0; i < 100 && lines.length < 2; i++) await new Promise(resolve => setTimeout(resolve, 20));
	assert.match(lines[0]!, /^1: lo:/);
	assert.equal(lines[1], 'second');
	handle.kill('SIGTERM');
	const exit = await handle.exited;
	// The watchdog's sh relays TERM and reports the command's death as 128 + 15.
	assert.deepEqual(exit, {exitCode: 143, signal: null, failure: null});
	const failed = await shell.run(['k8snet-no-such-command']);
	assert.notEqual(failed.exitCode, 0);
});
