// A real Docker engine of our own, with pods made the way cri-dockerd (minikube's default runtime)
// makes them: a pause-like sandbox container with --network none, its netns wired by the real CNI
// bridge plugin run inside a throwaway node namespace, and app containers joining it with
// --network container:<sandbox>. Used by docker.test.ts and by record-docker-fixture.ts.
// Everything lives under /tmp/k8snet-docker and in netns k8snet-rt-node; teardown() removes it all
// and is safe to call after a half-finished setup.
import {execFileSync, spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';

export const DOCKER_DIR = '/tmp/k8snet-docker';
export const DOCKER_SOCKET = `${DOCKER_DIR}/docker.sock`;
export const DOCKER_HOST = `unix://${DOCKER_SOCKET}`;
const PID_FILE = `${DOCKER_DIR}/docker.pid`;
const NODE_NETNS = 'k8snet-rt-node';
const BRIDGE = 'k8snet-rtbr';
const PAUSE_IMAGE = 'registry.k8s.io/pause:3.9';
const APP_IMAGE = 'k8snet/app:1';
export const CNI_BRIDGE = '/usr/lib/cni/bridge';

export interface TestPod {
	name: string;
	namespace: string;
	uid: string;
	sandboxId: string;
	sandboxPid: number;
	ip: string;
	/** name → container id */
	containers: Map<string, string>;
}

const dockerEnv = (): NodeJS.ProcessEnv => ({...process.env, DOCKER_HOST});

export function docker(...args: string[]): string {
	return execFileSync('docker', args, {env: dockerEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();
}

/** The netns inode of a process, read the plain way: readlink /proc/PID/ns/net → net:[N]. */
export function netnsInodeOf(pid: number): number {
	const link = execFileSync('readlink', [`/proc/${pid}/ns/net`], {encoding: 'utf8'}).trim();
	const match = /^net:\[(\d+)\]$/.exec(link);
	if (!match?.[1]) throw new Error(`unexpected netns link ${link}`);
	return Number(match[1]);
}

export async function startDockerd(): Promise<void> {
	for (const dir of ['data', 'exec', 'ipam', 'rootfs/bin']) mkdirSync(join(DOCKER_DIR, dir), {recursive: true});
	const child = spawn(
		'setpriv',
		[
			'--pdeathsig', 'KILL', '--',
			'dockerd', '--iptables=false', '--ip-masq=false', '--bridge=none',
			'--data-root', `${DOCKER_DIR}/data`, '--exec-root', `${DOCKER_DIR}/exec`,
			'-H', DOCKER_HOST, '--pidfile', PID_FILE,
		],
		{stdio: 'ignore'},
	);
	child.unref();
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			docker('version', '--format', '{{.Server.Version}}');
			return;
		} catch (error) {
			if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}`);
			if (Date.now() > deadline) throw error;
			await sleep(200);
		}
	}
}

/** busybox-static and its applet links, imported as the pause image and the app image. */
export function importImages(): void {
	const rootfs = join(DOCKER_DIR, 'rootfs');
	copyFileSync('/usr/bin/busybox', join(rootfs, 'bin/busybox'));
	const applets = execFileSync(join(rootfs, 'bin/busybox'), ['--list'], {encoding: 'utf8'}).split('\n').filter(Boolean);
	for (const applet of applets) if (!existsSync(join(rootfs, 'bin', applet))) symlinkSync('busybox', join(rootfs, 'bin', applet));
	const tarball = join(DOCKER_DIR, 'rootfs.tar');
	execFileSync('tar', ['-C', rootfs, '-cf', tarball, '.']);
	docker('import', tarball, PAUSE_IMAGE);
	docker('tag', PAUSE_IMAGE, APP_IMAGE);
}

export function createNodeNetns(): void {
	execFileSync('ip', ['netns', 'add', NODE_NETNS]);
	execFileSync('ip', ['-n', NODE_NETNS, 'link', 'set', 'lo', 'up']);
}

function cniConfig(): string {
	return JSON.stringify({
		cniVersion: '0.4.0',
		name: 'k8snet-rt',
		type: 'bridge',
		bridge: BRIDGE,
		isDefaultGateway: true,
		hairpinMode: true,
		ipam: {type: 'host-local', subnet: '10.244.0.0/16', dataDir: `${DOCKER_DIR}/ipam`},
	});
}

function runCni(command: 'ADD' | 'DEL', sandboxId: string, netnsPath: string): string {
	return execFileSync('ip', ['netns', 'exec', NODE_NETNS, CNI_BRIDGE], {
		input: cniConfig(),
		encoding: 'utf8',
		env: {
			...process.env,
			CNI_COMMAND: command,
			CNI_CONTAINERID: sandboxId,
			CNI_NETNS: netnsPath,
			CNI_IFNAME: 'eth0',
			CNI_PATH: '/usr/lib/cni',
		},
	});
}

function k8sLabels(pod: {name: string; namespace: string; uid: string}): string[] {
	return [
		'--label', `io.kubernetes.pod.name=${pod.name}`,
		'--label', `io.kubernetes.pod.namespace=${pod.namespace}`,
		'--label', `io.kubernetes.pod.uid=${pod.uid}`,
	];
}

/** A cri-dockerd-style sandbox, wired by the CNI bridge plugin. */
export function createPod(name: string, namespace: string): TestPod {
	const uid = randomUUID();
	const sandboxId = docker(
		'run', '-d', '--network', 'none', '--name', `k8s_POD_${name}_${namespace}_${uid}_0`,
		'--label', 'io.kubernetes.docker.type=podsandbox', ...k8sLabels({name, namespace, uid}),
		PAUSE_IMAGE, 'sleep', '3600',
	);
	const sandboxPid = Number(docker('inspect', '--format', '{{.State.Pid}}', sandboxId));
	const result = JSON.parse(runCni('ADD', sandboxId, `/proc/${sandboxPid}/ns/net`)) as {ips?: Array<{address: string}>};
	const ip = result.ips?.[0]?.address.split('/')[0] ?? '';
	return {name, namespace, uid, sandboxId, sandboxPid, ip, containers: new Map()};
}

/**
 * A container of the pod. `network` 'pod' joins the sandbox's netns as the kubelet does; 'own'
 * gives it a netns of its own (what the tool must flag). `command` ['true'] makes an exited one.
 */
export function addContainer(pod: TestPod, container: string, network: 'pod' | 'own', command = ['sleep', '3600']): string {
	const detach = command[0] === 'sleep' ? ['-d'] : [];
	const args = [
		'run', ...detach, '--network', network === 'pod' ? `container:${pod.sandboxId}` : 'none',
		'--name', `k8s_${container}_${pod.name}_${pod.namespace}_${pod.uid}_0`,
		'--label', 'io.kubernetes.docker.type=container',
		'--label', `io.kubernetes.container.name=${container}`,
		'--label', `io.kubernetes.sandbox.id=${pod.sandboxId}`,
		...k8sLabels(pod),
		APP_IMAGE, ...command,
	];
	docker(...args);
	const id = docker('inspect', '--format', '{{.Id}}', `k8s_${container}_${pod.name}_${pod.namespace}_${pod.uid}_0`);
	pod.containers.set(container, id);
	return id;
}

/** Best effort, every step on its own: it must also clean a setup that failed half-way. */
export async function teardown(pods: readonly TestPod[]): Promise<void> {
	const attempt = (what: () => void): void => {
		try {
			what();
		} catch {
			// Keep going: the next step may still free something.
		}
	};

	for (const pod of pods) attempt(() => runCni('DEL', pod.sandboxId, `/proc/${pod.sandboxPid}/ns/net`));
	if (existsSync(DOCKER_SOCKET)) {
		attempt(() => {
			const ids = docker('ps', '-aq').split('\n').filter(Boolean);
			if (ids.length > 0) docker('rm', '-f', ...ids);
		});
	}

	attempt(() => execFileSync('ip', ['netns', 'del', NODE_NETNS], {stdio: 'ignore'}));
	await stopDockerd();
	attempt(() => unmountUnder(DOCKER_DIR));
	attempt(() => rmSync(DOCKER_DIR, {recursive: true, force: true}));
}

async function stopDockerd(): Promise<void> {
	let pid: number;
	try {
		pid = Number(readFileSync(PID_FILE, 'utf8').trim());
	} catch {
		return;
	}

	if (!Number.isInteger(pid) || pid <= 1) return;
	const alive = (): boolean => {
		try {
			process.kill(pid, 0);
			return true;
		} catch {
			return false;
		}
	};

	if (!alive()) return;
	process.kill(pid, 'SIGTERM');
	for (let i = 0; i < 100 && alive(); i++) await sleep(100);
	if (alive()) process.kill(pid, 'SIGKILL');
}

/** dockerd unmounts its overlays on a clean stop; after a SIGKILL some may linger. */
function unmountUnder(dir: string): void {
	const mounts = readFileSync('/proc/self/mounts', 'utf8')
		.split('\n')
		.map(line => line.split(' ')[1] ?? '')
		.filter(target => target.startsWith(`${dir}/`))
		.sort((a, b) => b.length - a.length);
	for (const target of mounts) execFileSync('umount', ['-l', target], {stdio: 'ignore'});
}
