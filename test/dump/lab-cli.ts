// Runs our CLI (from source, through tsx) and reads what the kernel says about lab pods directly.
import {execFile, execFileSync} from 'node:child_process';
import {statSync} from 'node:fs';
import {promisify} from 'node:util';
import {LAB_NODE_NETNS, readLabState, type LabState} from '../../source/lab/lab-state.js';

const cli = new URL('../../source/cli.ts', import.meta.url).pathname;
const run = promisify(execFile);

export async function k8snet(args: string[], options: {prefix?: string[]} = {}): Promise<{code: number; stdout: string; stderr: string}> {
	const argv = [...(options.prefix ?? []), process.execPath, '--import', 'tsx', cli, ...args];
	try {
		const {stdout, stderr} = await run(argv[0]!, argv.slice(1), {maxBuffer: 64 * 1024 * 1024, timeout: 300_000});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failed = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error)};
	}
}

export async function labUp(args: string[]): Promise<LabState> {
	await k8snet(['lab', 'down']);
	const up = await k8snet(['lab', 'up', ...args]);
	if (up.code !== 0) throw new Error(`lab up failed: ${up.stderr}${up.stdout}`);
	const state = readLabState();
	if (state?.phase !== 'up') throw new Error('lab state missing after lab up');
	return state;
}

export async function labDown(): Promise<void> {
	await k8snet(['lab', 'down']);
}

export interface KernelTruth {
	inode: number;
	eth0Ifindex: number;
	linkIndex: number;
	peer: string;
	master: string | null;
}

/** For a netns path: eth0's index and link_index inside it, and the node interface with that exact ifindex. */
export function kernelTruth(netnsPath: string): KernelTruth {
	const eth0 = (JSON.parse(execFileSync('nsenter', [`--net=${netnsPath}`, 'ip', '-j', 'link', 'show', 'eth0'], {encoding: 'utf8'})) as Array<{ifindex: number; link_index: number}>)[0]!;
	const links = JSON.parse(execFileSync('ip', ['-n', LAB_NODE_NETNS, '-j', 'link', 'show'], {encoding: 'utf8'})) as Array<{ifindex: number; ifname: string; master?: string}>;
	const peer = links.find(link => link.ifindex === eth0.link_index)!;
	return {inode: statSync(netnsPath).ino, eth0Ifindex: eth0.ifindex, linkIndex: eth0.link_index, peer: peer.ifname, master: peer.master ?? null};
}
