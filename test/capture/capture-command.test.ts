// `k8snet-tui capture` (the bundle) on the lab with --traffic: through the lab shell, through
// the exec shell (the `docker` stand-in of test/remote, which enters the lab node) and over ssh (an
// sshd of our own in the lab node; ssh reaches its address through the lab's world netns). tshark reads
// the pcapng from the pipe, sees the pings, and shows pod names from the NRB; the text output
// names the pods; and every way out (COUNT, ctrl-c, SIGTERM, a reader that closes the pipe) leaves
// no tcpdump. Each test's filter carries a port no other test uses, so /proc tells its tcpdump apart.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import type {LabState} from '../../source/lab/lab-state.js';
import {labDown, labUp} from '../dump/lab-cli.js';
import {dockerStandIn, processesWith, startSshd, waitUntil, WORLD_NETNS, type Sshd} from '../remote/node-fixtures.js';
import {needs} from '../support/prerequisites.js';
import {ROOT} from '../ui/pty-screen.js';

const skip = needs({root: true, tools: ['tcpdump', 'tshark', 'nsenter', 'setpriv', 'ping', 'setsid', 'sshd', 'ssh', 'ssh-keygen', 'socat'], files: [join(ROOT, 'dist', 'cli.js'), '/usr/lib/cni/bridge']});
const BIN = join(ROOT, 'bin', 'k8snet-tui.js');
let state: LabState;
let standIn: {dir: string; remove(): void} | null = null;
let sshd: Sshd | null = null;
/** --node-ssh: the sshd's own key and host key; the TCP connection goes through the world netns. */
let nodeSsh = '';

before(async () => {
	if (skip) return;
	state = await labUp(['--pods', '3', '--traffic']);
	standIn = dockerStandIn();
	sshd = await startSshd();
	const config = join(sshd.dir, 'ssh_config');
	writeFileSync(config, `ProxyCommand nsenter --net=/run/netns/${WORLD_NETNS} socat STDIO TCP:%h:%p\n`);
	nodeSsh = `-F ${config} -i ${sshd.key} -o UserKnownHostsFile=${sshd.knownHosts} root@{ip}`;
});

after(async () => {
	sshd?.stop();
	standIn?.remove();
	if (!skip) await labDown();
});

/** A pod the lab's traffic pings, and the name the NRB should give it. */
function pingedPod(): {ref: string; ip: string} {
	const pod = state.pods.find(p => p.kind === 'normal' && p.ip !== null)!;
	return {ref: `${pod.namespace}/${pod.name}`, ip: pod.ip!};
}

type Access = 'lab' | 'exec' | 'ssh';

function accessFlags(access: Access | undefined): string[] {
	if (access === 'exec') return ['--node-exec', 'docker exec -i {node}'];
	return access === 'ssh' ? ['--node-ssh', nodeSsh] : [];
}

function start(args: string[], o: {access?: Access} = {}): ChildProcess {
	const exec = accessFlags(o.access);
	return spawn(process.execPath, [BIN, 'capture', ...args, '--kubeconfig', state.kubeconfig, ...exec], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {...process.env, PATH: `${standIn!.dir}:${process.env['PATH'] ?? ''}`},
	});
}

/**
 * `k8snet-tui capture ARGS | READER` as a shell runs it (a real pipe between the two): what the reader
 * printed, what the capture said on stderr, and both exit codes.
 */
async function pipeline(args: string[], reader: string, o: {access?: Access} = {}): Promise<{out: string; bytes: number; err: string; codes: number[]}> {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-capture-pipe-'));
	try {
		const exec = accessFlags(o.access);
		const script = `"$@" 2>"$DIR/err" | ${reader}; echo "\${PIPESTATUS[*]}" > "$DIR/codes"`;
		const child = spawn('bash', ['-c', script, 'bash', process.execPath, BIN, 'capture', ...args, '--kubeconfig', state.kubeconfig, ...exec], {
			stdio: ['ignore', 'pipe', 'ignore'],
			env: {...process.env, DIR: dir, PATH: `${standIn!.dir}:${process.env['PATH'] ?? ''}`},
		});
		const ran = collect(child);
		await ran.exit;
		return {out: ran.stdout(), bytes: ran.bytes(), err: readFileSync(join(dir, 'err'), 'utf8'), codes: readFileSync(join(dir, 'codes'), 'utf8').trim().split(' ').map(Number)};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

function collect(child: ChildProcess): {stdout: () => string; bytes: () => number; stderr: () => string; exit: Promise<number | null>} {
	const out: Buffer[] = [];
	let err = '';
	child.stdout?.on('data', (d: Buffer) => out.push(d));
	child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
	const exit = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
	return {stdout: () => Buffer.concat(out).toString('utf8'), bytes: () => Buffer.concat(out).length, stderr: () => err, exit};
}

async function noTcpdumpLeft(marker: string): Promise<void> {
	const gone = await waitUntil(() => processesWith(marker).length === 0, 3000);
	assert.ok(gone, `left running: ${processesWith(marker).join(', ')}`);
}

for (const [access, marker] of [['lab', '31101'], ['exec', '31102'], ['ssh', '31107']] as const) {
	test(`capture -w - through the ${access} shell: tshark reads the pipe, sees the pings, and names the pods`, {skip}, async () => {
		const pod = pingedPod();
		const read = await pipeline([pod.ref, '-f', `icmp or udp port ${marker}`, '-c', '8', '-w', '-'], 'tshark -N n -r - 2>/dev/null', {access});
		assert.deepEqual(read.codes, [0, 0], read.err);
		assert.match(read.err, /capture: 8 packets, \d+ dropped by the kernel/);
		const lines = read.out.trim().split('\n');
		assert.equal(lines.length, 8, read.out);
		const named = (l: string) => l.includes(`${pod.ref} → `) || l.includes(` → ${pod.ref} `);
		assert.ok(lines.some(l => named(l) && /ICMP .*Echo \(ping\)/.test(l)), read.out);
		await noTcpdumpLeft(`udp port ${marker}`);
	});
}

test('without -w: tcpdump-shaped lines with pod names; -c ends it with exit 0', {skip}, async () => {
	const pod = pingedPod();
	const ran = collect(start([pod.ref, '-f', 'icmp or udp port 31103', '-c', '4']));
	assert.equal(await ran.exit, 0, ran.stderr());
	const lines = ran.stdout().trim().split('\n');
	assert.equal(lines.length, 4);
	for (const line of lines) assert.match(line, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} IP \\S+ > \\S+: ICMP echo (request|reply), id \\d+, seq \\d+, length \\d+$`));
	assert.ok(lines.every(l => l.includes(`${pod.ip}[${pod.ref}]`)), ran.stdout());
	await noTcpdumpLeft('udp port 31103');
});

for (const [signal, code, marker] of [['SIGINT', 130, '31104'], ['SIGTERM', 143, '31105']] as const) {
	test(`${signal} ends it with ${code} and no tcpdump left on the node`, {skip}, async () => {
		const child = start([pingedPod().ref, '-f', `icmp or udp port ${marker}`]);
		const ran = collect(child);
		assert.ok(await waitUntil(() => ran.stdout().includes('ICMP echo'), 20_000), ran.stderr());
		assert.equal(processesWith(`udp port ${marker}`).filter(pid => pid !== child.pid).length > 0, true, 'tcpdump runs');
		child.kill(signal);
		assert.equal(await ran.exit, code, ran.stderr());
		await noTcpdumpLeft(`udp port ${marker}`);
	});
}

test('a reader that closes the pipe (| head -c 100) ends it, exit 0, no tcpdump left', {skip}, async () => {
	const read = await pipeline([pingedPod().ref, '--at', 'any', '-f', 'icmp or udp port 31106', '-w', '-'], 'head -c 100');
	assert.deepEqual(read.codes, [0, 0], read.err);
	assert.equal(read.bytes, 100);
	await noTcpdumpLeft('udp port 31106');
});

test('bad input is one line with a hint, and starts nothing', {skip}, async () => {
	for (const [args, message] of [
		[['nosuch/pod'], /capture: pod nosuch\/pod is not on node \S+ \(a capture runs on the pod's node/],
		[[pingedPod().ref, '--at', 'nowhere'], /--at nowhere is not a capture point \(one of pod, peer, bridge, uplink, any\)/],
		[[pingedPod().ref, '-c', '0'], /-c 0 is not a packet count/],
		[[pingedPod().ref, '-f', 'port 99999'], /capture: tcpdump rejects the filter: .*port/],
		[[pingedPod().ref, '-f', 'port (80'], /capture: the filter expression has unbalanced parentheses/],
	] as const) {
		const ran = collect(start([...args]));
		assert.equal(await ran.exit, 1, ran.stderr());
		const lines = ran.stderr().trim().split('\n');
		assert.equal(lines.length, 1, ran.stderr());
		assert.match(lines[0]!, message);
	}
});
