// The container-exec shell against a real Docker engine of our own (socket and data under
// /tmp/k8snet-rmt-docker, no network changes: --bridge=none, --iptables=false). The "node" is a
// container of a busybox image imported from a tarball (no registry here). It proves what the
// watchdog is for: a killed `docker exec` client leaves its command running, and under the
// watchdog the command goes within 3 s. The image lacks iproute2 and tcpdump, so the node check
// must name them in one line with the install command. The node carries kind's label, as kind's
// node containers do; a container named like a node without it is never entered on a guess.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {createExecShell, detectNodeContainer} from '../../source/node/remote/exec-shell.js';
import {reachRemoteNode} from '../../source/node/remote/reach-node.js';
import {needs} from '../support/prerequisites.js';
import {processesWith, waitUntil} from './node-fixtures.js';

const DIR = '/tmp/k8snet-rmt-docker';
const DOCKER_HOST = `unix://${DIR}/docker.sock`;
const NODE = 'k8snet-rmt-node';
const UNLABELLED = 'k8snet-rmt-plain';
const IMAGE = 'k8snet/rmt-node:1';
const APPLETS = ['sh', 'cat', 'sleep', 'stat', 'id', 'sed', 'kill', 'true', 'printf', 'echo'];
const skip = needs({root: true, tools: ['dockerd', 'docker', 'busybox', 'setpriv', 'tar']});

const docker = (...args: string[]) => execFileSync('docker', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();

before(async () => {
	if (skip) return;
	// Everything docker the shell and this file run goes to our own engine.
	process.env['DOCKER_HOST'] = DOCKER_HOST;
	stopDockerd();
	rmSync(DIR, {recursive: true, force: true});
	for (const dir of ['data', 'exec', 'rootfs/bin']) mkdirSync(join(DIR, dir), {recursive: true});
	const engine = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'dockerd', '--iptables=false', '--ip-masq=false', '--bridge=none', '--data-root', `${DIR}/data`, '--exec-root', `${DIR}/exec`, '-H', DOCKER_HOST, '--pidfile', `${DIR}/docker.pid`], {stdio: 'ignore'});
	engine.unref();
	assert.ok(await waitUntil(() => {
		try {
			docker('version', '--format', '{{.Server.Version}}');
			return true;
		} catch {
			return false;
		}
	}, 30_000), 'dockerd did not start');
	const rootfs = join(DIR, 'rootfs');
	copyFileSync('/usr/bin/busybox', join(rootfs, 'bin/busybox'));
	for (const applet of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', applet));
	execFileSync('tar', ['-C', rootfs, '-cf', join(DIR, 'rootfs.tar'), '.']);
	docker('import', join(DIR, 'rootfs.tar'), IMAGE);
	docker('run', '-d', '--network', 'none', '--name', NODE, '--label', 'io.x-k8s.kind.cluster=k8snet-rmt', IMAGE, 'sleep', '3600');
	docker('run', '-d', '--network', 'none', '--name', UNLABELLED, IMAGE, 'sleep', '3600');
});

function stopDockerd(): void {
	try {
		process.kill(Number(readFileSync(`${DIR}/docker.pid`, 'utf8')), 'SIGTERM');
	} catch {
		// Not running.
	}
}

after(async () => {
	if (skip) return;
	for (const name of [NODE, UNLABELLED]) {
		try {
			docker('rm', '-f', name);
		} catch {
			// Never made.
		}
	}

	stopDockerd();
	await waitUntil(() => processesWith(`${DIR}/data`).length === 0, 10_000);
	rmSync(DIR, {recursive: true, force: true});
});

test('a running kind-labelled container named like the node is found, and used with docker exec -i', {skip}, async () => {
	assert.deepEqual(await detectNodeContainer(NODE), {ok: true, value: ['docker', 'exec', '-i', NODE]});
	assert.equal(await detectNodeContainer('k8snet-rmt-no-such-node'), null);
	// A prefix of the name is not the name.
	assert.equal(await detectNodeContainer('k8snet-rmt'), null);
});

test('a container named like the node without a kind or minikube label is not entered: one line says how to pass --node-exec', {skip}, async () => {
	const expected = {
		ok: false,
		reason: `the docker container "${UNLABELLED}" is named like the node but carries no kind or minikube label, so it is not entered on a guess`,
		hint: `if it is the node, pass --node-exec 'docker exec -i ${UNLABELLED}'`,
	};
	assert.deepEqual(await detectNodeContainer(UNLABELLED), expected);
	assert.deepEqual(await reachRemoteNode({node: {name: UNLABELLED, ip: null}}), expected);
	const asked = await reachRemoteNode({nodeExec: 'docker exec -i {node}', node: {name: UNLABELLED, ip: null}});
	assert.ok(asked !== null && !asked.ok && asked.reason.startsWith('missing on the node:'), 'with --node-exec it is entered as asked');
});

test('what the node lacks comes back as one line with the exact install command', {skip}, async () => {
	const reached = await reachRemoteNode({node: {name: NODE, ip: null}});
	assert.ok(reached !== null && !reached.ok, JSON.stringify(reached));
	// busybox sh finds its own ip applet, which has no JSON output: that counts as missing.
	assert.equal(reached.reason, 'missing on the node: bridge, tcpdump, ip');
	assert.equal(reached.hint, `install: docker exec ${NODE} sh -c 'apt-get update && apt-get install -y iproute2 tcpdump'`);
});

test('a killed docker exec client leaves its command running; under the watchdog it goes within 3 s', {skip}, async () => {
	// Without the watchdog: the case the issue describes.
	const bare = spawn('docker', ['exec', '-i', NODE, 'sleep', '31021'], {stdio: ['pipe', 'ignore', 'ignore']});
	assert.ok(await waitUntil(() => sleeping('31021'), 10_000), 'bare sleep never started');
	bare.kill('SIGKILL');
	await new Promise(resolve => setTimeout(resolve, 2000));
	assert.ok(sleeping('31021'), 'expected docker to leave the command running');
	docker('exec', NODE, 'sh', '-c', 'kill $(pidof sleep 2>/dev/null) 2>/dev/null; true');

	const shell = createExecShell(['docker', 'exec', '-i', NODE]);
	assert.deepEqual((await shell.prepare()).ok, true);
	const handle = shell.stream(['sleep', '31022'], {onStdoutLine: () => undefined});
	assert.ok(await waitUntil(() => sleeping('31022'), 10_000), 'sleep never started');
	process.kill(handle.pid!, 'SIGKILL');
	assert.ok(await waitUntil(() => !sleeping('31022'), 3000), 'sleep survived its killed docker exec client');
});

test('runs through real docker exec: exit code, input, arguments as given', {skip}, async () => {
	const shell = createExecShell(['docker', 'exec', '-i', NODE]);
	const r = await shell.run(['sh', '-c', 'cat; printf "|%s" "$@"; exit 3', 'sh', '$(id)', "it's", 'a b'], {input: 'in'});
	assert.equal(r.stdout, "in|$(id)|it's|a b");
	assert.equal(r.exitCode, 3);
	const gone = await createExecShell(['docker', 'exec', '-i', 'k8snet-rmt-no-such-node']).prepare();
	assert.ok(!gone.ok && /could not run a command in the node: .*No such container/.test(gone.reason), JSON.stringify(gone));
});

function sleeping(marker: string): boolean {
	return processesWith(marker).some(pid => {
		try {
			return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep';
		} catch {
			return false;
		}
	});
}
