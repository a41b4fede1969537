// The lab's containerd: its own config, root, state and socket (containerd-paths.ts), run in the lab
// node's netns by `nsenter --net=` (no new mount namespace, so the /run/netns/cni-* bind mounts its
// CRI makes are the host's to see), and waited for until its CRI answers Version.
import {accessSync, constants, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import type {Result} from '../../core/types.js';
import {connectCri, type CriClient} from '../../node/runtime/cri-client.js';
import {cniPath} from '../cni-plugin.js';
import {netnsPath} from '../lab-node.js';
import {isAlive, spawnTitled} from '../lab-process.js';
import {LAB_PREFIX, type LabOptions, type LabNode} from '../lab-state.js';
import {containerdConfig, containerdConflist} from './containerd-config.js';
import {
	CONTAINERD_CNI_CONF_DIR,
	CONTAINERD_CONFIG,
	CONTAINERD_DIR,
	CONTAINERD_IMAGES,
	CONTAINERD_LOG,
	CONTAINERD_POD_LOGS,
	CONTAINERD_SOCKET,
} from './containerd-paths.js';

export const CONTAINERD_TITLE = `${LAB_PREFIX}-containerd`;
/** A cold containerd with its CRI plugin is up in about a second here; 2-core CI machines get slack. */
const READY_TIMEOUT_MS = 30_000;
const NEEDED = ['containerd', 'containerd-shim-runc-v2', 'ctr', 'runc'];

function onPath(command: string): boolean {
	return (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter).some(dir => {
		try {
			accessSync(join(dir, command), constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/** What `--runtime containerd` needs on this host, or why not. */
export function containerdMissing(): Result<void> {
	const missing = NEEDED.filter(command => !onPath(command));
	if (missing.length === 0) return {ok: true, value: undefined};
	return {ok: false, reason: `--runtime containerd needs ${missing.join(', ')} on PATH`, hint: 'apt-get install containerd runc (scripts/install-deps.sh does)'};
}

export async function startLabContainerd(node: LabNode, options: LabOptions, onPid: (pid: number) => void): Promise<Result<CriClient>> {
	for (const dir of [CONTAINERD_DIR, CONTAINERD_CNI_CONF_DIR, CONTAINERD_POD_LOGS, CONTAINERD_IMAGES]) mkdirSync(dir, {recursive: true, mode: 0o700});
	writeFileSync(CONTAINERD_CONFIG, containerdConfig(cniPath()), {mode: 0o600});
	writeFileSync(join(CONTAINERD_CNI_CONF_DIR, '10-k8snet-lab.conflist'), containerdConflist(options.cni, options.ipv6, node), {mode: 0o600});
	const pid = spawnTitled({
		title: CONTAINERD_TITLE,
		argv: ['containerd', '--config', CONTAINERD_CONFIG],
		netns: {kind: 'join', path: netnsPath(node.netns)},
		log: CONTAINERD_LOG,
	});
	onPid(pid);
	const deadline = Date.now() + READY_TIMEOUT_MS;
	let last = 'not started';
	while (Date.now() < deadline) {
		if (!isAlive(pid)) return {ok: false, reason: `the lab's containerd (pid ${pid}) exited: ${lastLogLine()}`, hint: `its log: ${CONTAINERD_LOG}`};
		const client = await connectCri(CONTAINERD_SOCKET);
		if (client.ok) return client;
		last = client.reason;
		await new Promise(resolve => setTimeout(resolve, 100));
	}

	return {ok: false, reason: `the lab's containerd did not answer on ${CONTAINERD_SOCKET} in ${READY_TIMEOUT_MS / 1000} s (${last})`, hint: `its log: ${CONTAINERD_LOG}`};
}

function lastLogLine(): string {
	try {
		const lines = readFileSync(CONTAINERD_LOG, 'utf8').trim().split('\n');
		return lines.findLast(line => /level=(error|fatal)/.test(line)) ?? lines.at(-1) ?? '(empty log)';
	} catch {
		return '(no log)';
	}
}
