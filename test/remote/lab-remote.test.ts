// The dev-box set-up, for real: the lab node reachable only over ssh (an sshd of our own in the
// lab node netns, on its uplink address) or through a `docker` stand-in (no node image can be
// pulled here), and the tool run from the lab's world netns. Checks the NodeView against the
// kernel, a live capture, that nothing survives a SIGKILL of the tool, quoting, and failures.
import assert from 'node:assert/strict';
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {resolvePods} from '../../source/core/join.js';
import type {NodeAccess, NodeView, PodRef} from '../../source/core/types.js';
import {lab, status, type Status} from '../lab/lab-cli.js';
import {WORKER_MARKER} from '../../source/node/remote/node-worker-script.js';
import {needs} from '../support/prerequisites.js';
import {LAB_NODE, NODE_IP, NODE_NETNS, WORLD_NETNS, dockerStandIn, processesWith, removeDriverFiles, runDriver, startDriver, startSshd, waitUntil, type Sshd} from './node-fixtures.js';

const skip = needs({root: true, tools: ['sshd', 'ssh', 'ssh-keygen', 'nsenter', 'ip', 'ss', 'tcpdump', 'socat', 'setsid', 'setpriv', 'ping']});
const node = {name: LAB_NODE, ip: NODE_IP};
let sshd: Sshd | null = null;
let standIn: {dir: string; remove(): void} | null = null;
let listener: ChildProcess | null = null;
let labStatus: Status;

before(async () => {
	if (skip) return;
	await lab(['down']);
	let up = await lab(['up', '--pods', '3', '--traffic']);
	// Other suites on this machine use the same lab: one more try if one tore it down meanwhile.
	if (up.code !== 0) {
		await lab(['down']);
		up = await lab(['up', '--pods', '3', '--traffic']);
	}

	assert.equal(up.code, 0, up.stderr);
	labStatus = await status();
	sshd = await startSshd();
	standIn = dockerStandIn();
});

after(async () => {
	sshd?.stop();
	standIn?.remove();
	listener?.kill('SIGKILL');
	removeDriverFiles();
	await lab(['down']);
});

interface PollOutput {
	ok: boolean;
	reason?: string;
	access: NodeAccess;
	stats: Array<{roundTrips: number; newNamespaces: number}>;
	view: NodeView;
}

const nsenterJson = (path: string, ...args: string[]) => JSON.parse(execFileSync('nsenter', [`--net=${path}`, '--', 'ip', '-j', ...args], {encoding: 'utf8'})) as Array<Record<string, unknown>>;

/** Every lab pod: eth0 as probed remotely = eth0 in the kernel, and its peer = the node link the kernel pairs it with. */
function assertMatchesKernel(view: NodeView): void {
	const nodeLinks = JSON.parse(execFileSync('ip', ['-n', NODE_NETNS, '-j', 'link'], {encoding: 'utf8'})) as Array<{ifindex: number; ifname: string; link_index?: number}>;
	const pods = labStatus.pods.filter(p => p.netnsPath !== null);
	assert.ok(pods.length >= 3);
	const refs: PodRef[] = pods.map(p => ({namespace: p.namespace, name: p.name, uid: `${p.namespace}/${p.name}`, nodeName: LAB_NODE, hostNetwork: false, ips: p.ips, phase: 'Running'}));
	const paths = resolvePods(refs, view, LAB_NODE);
	for (const pod of pods) {
		const inode = statSync(pod.netnsPath!).ino;
		const probed = view.namespaces.find(n => n.holder.inode === inode);
		assert.ok(probed, `${pod.name}: its netns (inode ${inode}) was not probed`);
		const eth0 = probed.links.find(l => l.ifname === 'eth0');
		const kernelEth0 = nsenterJson(pod.netnsPath!, 'link', 'show', 'eth0')[0]!;
		assert.equal(eth0?.ifindex, kernelEth0['ifindex']);
		assert.equal(eth0?.linkIndex, kernelEth0['link_index']);
		const peer = nodeLinks.find(l => l.ifindex === eth0!.linkIndex);
		assert.ok(peer, `${pod.name}: no node link with ifindex ${eth0!.linkIndex}`);
		assert.equal(peer.link_index, eth0!.ifindex);
		const joined = paths.find(p => p.name === pod.name && p.namespace === pod.namespace)!;
		assert.equal(joined.status, 'resolved', joined.evidence.join('; '));
		assert.equal(joined.peer?.ifname, peer.ifname);
	}
}

/** Streams tcpdump on the node bridge through the driver, waits for the lab's pings, SIGKILLs the driver. */
async function captureThenKill(request: object, env: NodeJS.ProcessEnv, marker: string): Promise<void> {
	const filter = `icmp or udp port ${marker}`;
	const driver = startDriver({...request, node, action: 'capture', iface: 'bridge', filter}, env);
	try {
		const line = await driver.waitFor(l => /ICMP echo (request|reply)/.test(l), 20_000);
		assert.match(line, /10\.244\.\d+\.\d+ > 10\.244\.\d+\.\d+: ICMP echo/);
		const tcpdumps = processesWith(`udp port ${marker}`).filter(pid => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'tcpdump');
		assert.equal(tcpdumps.length, 1, 'one tcpdump runs on the node');
		const netns = execFileSync('readlink', [`/proc/${tcpdumps[0]}/ns/net`], {encoding: 'utf8'}).trim();
		assert.equal(netns, `net:[${statSync(`/run/netns/${NODE_NETNS}`).ino}]`, 'tcpdump runs in the node netns');
	} finally {
		driver.child.kill('SIGKILL');
	}

	const killedAt = Date.now();
	const gone = await waitUntil(() => processesWith(`udp port ${marker}`).length === 0, 3000);
	assert.ok(gone, `left on the node after SIGKILL: ${processesWith(`udp port ${marker}`).join(', ')}`);
	assert.ok(Date.now() - killedAt <= 3000);
}

test('over ssh from the world netns: one trip per poll, and the NodeView is what the kernel says', {skip}, async () => {
	const started = Date.now();
	const r = await runDriver<PollOutput>({nodeSsh: sshd!.args, node, action: 'poll', polls: 3});
	// The driver never closes the shell, like `dump`: the ssh master must not keep it alive.
	assert.ok(Date.now() - started < 15_000, `the driver took ${Date.now() - started} ms to exit`);
	assert.ok(r.ok, r.reason);
	assert.deepEqual(r.access, {kind: 'ssh', target: `root@${NODE_IP}`});
	assert.deepEqual(r.stats.map(s => s.roundTrips), [1, 1, 1]);
	assert.ok(r.stats[0]!.newNamespaces >= 3);
	assert.equal(r.stats[2]!.newNamespaces, 0);
	assert.ok(r.view.canEnterNetns);
	assertMatchesKernel(r.view);
});

test('a lost ssh master is reopened by the next poll', {skip}, async () => {
	const masters = () => processesWith(sshd!.key).filter(pid => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('-M'));
	const driver = startDriver({nodeSsh: sshd!.args, node, action: 'poll', polls: 3, pauseMs: 1500});
	try {
		await driver.waitFor(line => line === '{"paused":1}', 20_000);
		const first = masters();
		assert.equal(first.length, 1);
		process.kill(first[0]!, 'SIGKILL');
		await driver.waitFor(line => line === '{"paused":2}', 20_000);
		const second = masters();
		assert.equal(second.length, 1);
		assert.notEqual(second[0], first[0]);
		await driver.exited;
		const out = JSON.parse(driver.lines.filter(Boolean).at(-1)!) as PollOutput;
		assert.ok(out.ok, out.reason);
		assert.deepEqual(out.stats.map(s => s.roundTrips), [1, 1, 1]);
	} finally {
		driver.child.kill('SIGKILL');
	}
});

test('a login without root: the node check says so, and the view falls back to routes and fdb', {skip}, async () => {
	const plain = await startSshd(2022, [], 'nobody');
	try {
		// Without root the view has only the node's neighbours and the bridge fdb: make the node
		// talk to each pod so both have an entry (traffic between the lab's own namespaces only).
		for (const pod of labStatus.pods.filter(p => p.netnsPath !== null)) execFileSync('ip', ['netns', 'exec', NODE_NETNS, 'ping', '-c', '1', '-W', '2', pod.ips[0]!], {stdio: 'ignore'});
		const r = await runDriver<PollOutput & {needs: {uid: number; sudo: boolean; missing: string[]}; warning: {reason: string; hint: string}}>({nodeSsh: plain.args, node, action: 'poll'});
		assert.ok(r.ok, r.reason);
		assert.equal(r.needs.uid, 65534);
		assert.deepEqual(r.needs.missing, []);
		assert.match(r.warning.reason, /uid 65534 without password-less sudo/);
		assert.equal(r.view.canEnterNetns, false);
		assert.match(r.view.enterDeniedReason ?? '', /uid 65534/);
		assert.equal(r.view.namespaces.length, 0);
		const refs: PodRef[] = labStatus.pods.filter(p => p.netnsPath !== null).map(p => ({namespace: p.namespace, name: p.name, uid: p.name, nodeName: LAB_NODE, hostNetwork: false, ips: p.ips, phase: 'Running'}));
		const nodeLinks = JSON.parse(execFileSync('ip', ['-n', NODE_NETNS, '-j', 'link'], {encoding: 'utf8'})) as Array<{ifindex: number; ifname: string; link_index?: number}>;
		for (const path of resolvePods(refs, r.view, LAB_NODE)) {
			assert.equal(path.heuristic, true);
			const kernelEth0 = nsenterJson(labStatus.pods.find(p => p.name === path.name)!.netnsPath!, 'link', 'show', 'eth0')[0]!;
			// The node pinged every pod before this poll, so neighbour + fdb name each peer.
			assert.equal(path.status, 'resolved', `${path.name}: ${path.evidence.join(' | ')}`);
			assert.equal(path.peer?.ifname, nodeLinks.find(l => l.ifindex === kernelEth0['link_index'])?.ifname, path.name);
		}
	} finally {
		plain.stop();
	}
});

test('a capture over ssh sees the lab pings; SIGKILL of the tool leaves no tcpdump on the node', {skip}, async () => {
	await captureThenKill({nodeSsh: sshd!.args}, {}, '31011');
});

/** The node worker's shells in the lab node netns (its script is in their command line). */
function nodeWorkers(): number[] {
	const netns = `net:[${statSync(`/run/netns/${NODE_NETNS}`).ino}]`;
	return processesWith(WORKER_MARKER).filter(pid => {
		try {
			return execFileSync('readlink', [`/proc/${pid}/ns/net`], {encoding: 'utf8'}).trim() === netns;
		} catch {
			return false;
		}
	});
}

for (const [way, request, env] of [
	['ssh', () => ({nodeSsh: sshd!.args}), () => ({})],
	['docker exec', () => ({nodeExec: 'docker exec -i {node}'}), () => ({PATH: `${standIn!.dir}:${process.env['PATH']}`})],
] as const) {
	test(`${way}: polls go through one node worker, and SIGKILL of the tool leaves nothing of it on the node`, {skip}, async () => {
		const driver = startDriver({...request(), node, action: 'poll', polls: 3, pauseMs: 1500}, env());
		try {
			await driver.waitFor(line => line === '{"paused":1}', 20_000);
			const first = nodeWorkers();
			assert.equal(first.length, 1, `node workers: ${first.join(', ')}`);
			await driver.waitFor(line => line === '{"paused":2}', 20_000);
			assert.deepEqual(nodeWorkers(), first, 'the same worker serves the next poll');
		} finally {
			driver.child.kill('SIGKILL');
		}

		assert.ok(await waitUntil(() => nodeWorkers().length === 0, 3000), `left on the node: ${nodeWorkers().join(', ')}`);
	});
}

test('docker exec (stand-in on PATH) is found by the node name, and works the same', {skip}, async () => {
	const env = {PATH: `${standIn!.dir}:${process.env['PATH']}`};
	const r = await runDriver<PollOutput>({node, action: 'poll'}, env);
	assert.ok(r.ok, r.reason);
	assert.deepEqual(r.access, {kind: 'exec', target: `docker exec ${LAB_NODE}`});
	assert.deepEqual(r.stats.map(s => s.roundTrips), [1, 1]);
	assertMatchesKernel(r.view);
	await captureThenKill({nodeExec: 'docker exec -i {node}'}, env, '31012');
});

test('pod names and IPs with shell metacharacters reach the node over ssh as themselves', {skip}, async () => {
	const canary = join(sshd!.dir, 'canary');
	const nasty = [
		`$(touch ${canary})`,
		`\`touch ${canary}\``,
		`nginx'; touch ${canary}; echo '`,
		`"; touch ${canary} #`,
		`10.244.0.5\ntouch ${canary}`,
		`a;b|c&d>${canary}`,
		'fe80::1%eth0 $HOME * ~',
		"'",
		'',
	];
	const r = await runDriver<{ok: boolean; result: {stdout: string; exitCode: number}}>({nodeSsh: sshd!.args, node, action: 'run', argv: ['printf', '%s\\0', ...nasty]});
	assert.ok(r.ok);
	assert.equal(r.result.exitCode, 0);
	assert.deepEqual(r.result.stdout.split('\0').slice(0, -1), nasty);
	assert.equal(existsSync(canary), false, 'an argument was run as a command on the node');
});

test('host key, auth and refused connections are one line with a hint', {skip}, async () => {
	const emptyKnownHosts = join(sshd!.dir, 'empty_known_hosts');
	writeFileSync(emptyKnownHosts, '');
	const otherKey = join(sshd!.dir, 'other_key');
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
	const cases: Array<[string, RegExp]> = [
		[`-F /dev/null -i ${sshd!.key} -o UserKnownHostsFile=${emptyKnownHosts} root@{ip}`, /host key is not known/],
		[`-F /dev/null -i ${otherKey} -o IdentitiesOnly=yes -o UserKnownHostsFile=${sshd!.knownHosts} root@{ip}`, /could not log in/],
		[`-F /dev/null -p 2200 root@{ip}`, /connection refused/],
	];
	for (const [args, reason] of cases) {
		const r = await runDriver<{ok: boolean; reason: string; hint: string}>({nodeSsh: args, node, action: 'poll'});
		assert.equal(r.ok, false);
		assert.match(r.reason, reason);
		assert.doesNotMatch(r.reason, /\n/);
		assert.ok(r.hint.length > 0);
	}
});

test('a node whose ssh server never answers times out in one line', {skip}, async () => {
	// Accepts connections in the world netns and says nothing, like a hung sshd.
	listener = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'ip', 'netns', 'exec', WORLD_NETNS, 'socat', 'TCP-LISTEN:2222,bind=198.51.100.1,reuseaddr,fork', 'EXEC:sleep 60'], {stdio: 'ignore'});
	assert.ok(await waitUntil(() => execFileSync('ip', ['netns', 'exec', WORLD_NETNS, 'ss', '-Htln', 'sport = :2222'], {encoding: 'utf8'}).includes('198.51.100.1'), 5000));
	const started = Date.now();
	const r = await runDriver<{ok: boolean; reason: string; hint: string; reachMs: number}>({nodeSsh: '-F /dev/null -p 2222 root@{ip}', node: {name: LAB_NODE, ip: '198.51.100.1'}, action: 'poll', connectTimeoutMs: 2000});
	assert.equal(r.ok, false);
	assert.match(r.reason, /never answered|did not log in/);
	assert.doesNotMatch(r.reason, /\n/);
	assert.ok(r.reachMs < 5000, `took ${r.reachMs} ms`);
	assert.ok(Date.now() - started < 10_000);
});

test('a unix socket on the node opens over ssh and docker exec (socat on the node), and a missing one is one line', {skip}, async () => {
	const path = join(sshd!.dir, 'echo.sock');
	const echo = spawn('socat', [`UNIX-LISTEN:${path},fork`, 'EXEC:cat'], {stdio: 'ignore'});
	try {
		assert.ok(await waitUntil(() => existsSync(path), 3000), 'the echo socket is up');
		const overSsh = await runDriver<{ok: boolean; answer?: string; reason?: string}>({nodeSsh: sshd!.args, node, action: 'socket', socket: path, send: 'hello through ssh\n'});
		assert.deepEqual(overSsh, {ok: true, answer: 'hello through ssh\n'});
		const env = {PATH: `${standIn!.dir}:${process.env['PATH']}`};
		const overExec = await runDriver<{ok: boolean; answer?: string}>({node, action: 'socket', socket: path, send: 'hello through exec\n'}, env);
		assert.deepEqual(overExec, {ok: true, answer: 'hello through exec\n'});
		const missing = await runDriver<{ok: boolean; reason?: string; hint?: string}>({nodeSsh: sshd!.args, node, action: 'socket', socket: `${path}.none`, send: ''});
		assert.equal(missing.ok, false);
		assert.match(missing.reason ?? '', /cannot open .*echo\.sock\.none through ssh .*: no socket/);
	} finally {
		echo.kill('SIGKILL');
	}
});
