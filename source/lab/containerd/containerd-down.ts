// `lab down` for the lab's containerd: every sandbox stopped and removed through its CRI (so
// containerd runs CNI DEL and unmounts /run/netns/cni-*), then containerd and its shims ended, then
// whatever a crash left: mounts under its root, the pods' netns files, shim sockets, cgroups.
// Only what is provably the lab's is touched: paths under the lab's folder, the netns files its
// pods recorded, shims started with the lab's socket, and the /k8snet-lab cgroup tree.
import {createHash} from 'node:crypto';
import {existsSync, readdirSync, readFileSync, rmdirSync, rmSync} from 'node:fs';
import {basename, join} from 'node:path';
import {connectCri} from '../../node/runtime/cri-client.js';
import {ip} from '../lab-node.js';
import {isLabProcess, killProcesses, readArgv} from '../lab-process.js';
import type {LabState} from '../lab-state.js';
import {runCommand} from '../run-command.js';
import {CONTAINERD_DIR, CONTAINERD_SOCKET, K8S_NAMESPACE, LAB_CGROUP_PARENT} from './containerd-paths.js';

/** containerd 1.6 puts every shim's socket here, named by a hash of (address, namespace, id). */
const SHIM_SOCKET_DIR = '/run/containerd/s';

export interface ContainerdDownReport {
	sandboxes: number;
	processes: number;
	mounts: number;
}

export async function downLabContainerd(state: LabState | null): Promise<ContainerdDownReport> {
	const report: ContainerdDownReport = {sandboxes: 0, processes: 0, mounts: 0};
	const sandboxIds = new Set(state?.pods.map(pod => pod.sandboxId).filter(id => id !== '') ?? []);
	const client = existsSync(CONTAINERD_SOCKET) ? await connectCri(CONTAINERD_SOCKET) : null;
	if (client?.ok) {
		const listed = await client.value.call('ListPodSandbox', {});
		const items = listed.ok ? ((listed.value['items'] as Array<{id?: string}> | undefined) ?? []) : [];
		for (const item of items) if (item.id) sandboxIds.add(item.id);
		await Promise.all(
			items.map(async item => {
				// Stop runs CNI DEL and unmounts the netns; remove takes the containers with it.
				await client.value.call('StopPodSandbox', {podSandboxId: item.id}, 60_000);
				await client.value.call('RemovePodSandbox', {podSandboxId: item.id}, 60_000);
			}),
		);
		report.sandboxes = items.length;
		client.value.close();
	}

	const daemon = state?.containerd?.pid;
	const pids = [...(daemon != null && isLabProcess(daemon) ? [daemon] : []), ...labShims()];
	await killProcesses(pids);
	// A container whose shim died first (a crash, or a sweep that ended containerd alone) is
	// orphaned: it is still in the lab's cgroup tree, and only there.
	const orphans = cgroupProcesses();
	await killProcesses(orphans);
	report.processes = pids.length + orphans.length;

	report.mounts = await unmountUnder(CONTAINERD_DIR);
	for (const pod of state?.pods ?? []) {
		const name = pod.netnsPath?.startsWith('/run/netns/cni-') || pod.netnsPath?.startsWith('/var/run/netns/cni-') ? basename(pod.netnsPath) : null;
		if (name !== null && existsSync(join('/run/netns', name))) await ip(['netns', 'delete', name]);
	}

	for (const id of sandboxIds) rmSync(join(SHIM_SOCKET_DIR, shimSocketName(id)), {force: true});
	removeCgroups();
	return report;
}

/** pkg/shim's SocketAddress: sha256 of <containerd address>/<namespace>/<id>, in hex. */
export function shimSocketName(id: string, address = CONTAINERD_SOCKET, namespace = K8S_NAMESPACE): string {
	return createHash('sha256').update(join(address, namespace, id)).digest('hex');
}

/** Shims are not titled ours; they name our socket in their argv (`-address <socket>`). */
function labShims(): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const argv = readArgv(Number(entry));
		if (argv === null || !/containerd-shim/.test(argv[0] ?? '')) continue;
		const at = argv.indexOf('-address');
		if (at >= 0 && argv[at + 1] === CONTAINERD_SOCKET) pids.push(Number(entry));
	}

	return pids;
}

/** Every mount point at or under `dir`, deepest first (overlay rootfs, shm, netns files). */
function mountsUnder(dir: string): string[] {
	let text = '';
	try {
		text = readFileSync('/proc/self/mountinfo', 'utf8');
	} catch {
		return [];
	}

	const points = text
		.split('\n')
		.map(line => line.split(' ')[4] ?? '')
		// mountinfo escapes space, tab, newline and backslash as octal.
		.map(point => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8))))
		.filter(point => point === dir || point.startsWith(`${dir}/`));
	return [...new Set(points)].sort((a, b) => b.length - a.length);
}

async function unmountUnder(dir: string): Promise<number> {
	const points = mountsUnder(dir);
	for (const point of points) {
		const r = await runCommand(['umount', point]);
		// Busy (a process we could not end): detach it, so the folder can still go.
		if (!r.ok) await runCommand(['umount', '-l', point]);
	}

	return points.length;
}

/** Every process in the lab's cgroup tree (the pids controller, or the v2 root, lists them all). */
function cgroupProcesses(): number[] {
	const pids = new Set<number>();
	for (const root of ['/sys/fs/cgroup/pids', '/sys/fs/cgroup']) {
		const top = join(root, LAB_CGROUP_PARENT);
		for (const dir of existsSync(top) ? cgroupDirs(top) : []) {
			try {
				for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (/^\d+$/.test(line)) pids.add(Number(line));
			} catch {
				// Removed meanwhile.
			}
		}
	}

	return [...pids];
}

/** rmdir of the lab's cgroup tree under each v1 controller (or the v2 root), deepest first. */
function removeCgroups(): void {
	const roots = ['/sys/fs/cgroup', ...safeList('/sys/fs/cgroup').map(name => join('/sys/fs/cgroup', name))];
	for (const root of roots) {
		const top = join(root, LAB_CGROUP_PARENT);
		if (!existsSync(top)) continue;
		for (const dir of cgroupDirs(top).sort((a, b) => b.length - a.length)) {
			try {
				rmdirSync(dir);
			} catch {
				// Still has a process: it goes with the process.
			}
		}
	}
}

function cgroupDirs(dir: string): string[] {
	return [dir, ...safeList(dir).flatMap(name => cgroupDirs(join(dir, name)))];
}

function safeList(dir: string): string[] {
	try {
		return readdirSync(dir, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => entry.name);
	} catch {
		return [];
	}
}
