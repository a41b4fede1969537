// Test support for the lab: run the CLI as a child (as a user would), read the kernel with `ip -j`,
// and snapshot the host's root netns so a test can prove the lab never changed it.
import {execFile} from 'node:child_process';
import {existsSync, readFileSync, readdirSync, readlinkSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';

const exec = promisify(execFile);
const CLI = fileURLToPath(new URL('../../source/cli.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface CliRun {
	code: number;
	stdout: string;
	stderr: string;
	ms: number;
}

const BIN = fileURLToPath(new URL('../../bin/k8snet-tui.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * `k8snet-tui lab ARGS` as a child. entry 'bundle': the shipped bin (esbuild bundle, built by
 * `npm run build`), which starts faster: for tests that run many CLIs at once.
 */
export async function lab(args: string[], env: NodeJS.ProcessEnv = {}, entry: 'source' | 'bundle' = 'source'): Promise<CliRun> {
	if (entry === 'bundle' && !existsSync(BUNDLE)) throw new Error(`no ${BUNDLE}: run \`npm run build\` first`);
	const argv = entry === 'bundle' ? [BIN, 'lab', ...args] : ['--import', TSX, CLI, 'lab', ...args];
	const started = Date.now();
	try {
		const r = await exec(process.execPath, argv, {env: {...process.env, ...env}, timeout: 120_000, maxBuffer: 64 << 20});
		return {code: 0, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started};
	} catch (error) {
		const e = error as {code?: number; stdout?: string; stderr?: string};
		return {code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ms: Date.now() - started};
	}
}

export interface StatusPod {
	namespace: string;
	name: string;
	ip: string | null;
	ips: string[];
	kernelIps: string[];
	kind: string;
	netnsPath: string | null;
	netnsName: string | null;
	sandboxPid: number | null;
	containerPids: number[];
}

export interface Status {
	up: boolean;
	kubeconfig?: string;
	apiServer?: string;
	node?: string;
	nodeNetns?: string;
	builtWith?: string;
	daemonPids?: number[];
	trafficPids?: number[];
	pods: StatusPod[];
}

export async function status(): Promise<Status> {
	const r = await lab(['status', '--json']);
	if (r.code !== 0) throw new Error(`lab status failed: ${r.stderr}`);
	return JSON.parse(r.stdout) as Status;
}

export async function run(argv: string[]): Promise<string> {
	const [file, ...args] = argv;
	return (await exec(file as string, args, {maxBuffer: 64 << 20})).stdout;
}

/** The global IPs on eth0 inside a netns (by path), read with `ip -j` through nsenter. */
export async function eth0Ips(netnsPath: string): Promise<string[]> {
	const out = await run(['nsenter', `--net=${netnsPath}`, '--', 'ip', '-j', 'addr', 'show', 'dev', 'eth0']);
	const links = JSON.parse(out) as Array<{addr_info: Array<{local: string; scope: string}>}>;
	return links.flatMap((l) => l.addr_info.filter((a) => a.scope === 'global').map((a) => a.local));
}

/** /proc/<pid>/ns/net's identity, to check container processes share their sandbox's netns. */
export async function netnsOfPid(pid: number): Promise<string> {
	return (await run(['readlink', `/proc/${pid}/ns/net`])).trim();
}

// Other suites running at the same time create their own `k8snet-*` links and namespaces; only
// those are left out, so anything else the lab did to the root netns shows up.
const OTHERS = /^k8snet-/;

export async function rootSnapshot(): Promise<string> {
	const parse = async (args: string[]) => JSON.parse(await run(['ip', '-j', ...args])) as Array<Record<string, unknown>>;
	const links = (await parse(['link'])).filter((l) => !OTHERS.test(String(l['ifname'])));
	const addrs = (await parse(['addr'])).filter((l) => !OTHERS.test(String(l['ifname'])));
	const routes = [...(await parse(['route'])), ...(await parse(['-6', 'route']))].filter((r) => !OTHERS.test(String(r['dev'] ?? '')));
	const netns = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => !OTHERS.test(n)).sort() : [];
	return JSON.stringify({links, addrs, routes, netns}, null, 1);
}

export function labLeftovers(): string[] {
	const netns = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith('k8snet-lab')) : [];
	const procs: string[] = [];
	for (const e of readdirSync('/proc')) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const argv0 = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0')[0] ?? '';
			const cwd = readlinkSync(`/proc/${e}/cwd`);
			if (argv0.startsWith('k8snet-lab') && cwd.startsWith('/run/k8snet-lab')) procs.push(`${e} ${argv0}`);
		} catch {
			// Gone meanwhile.
		}
	}

	return [...netns.map((n) => `netns ${n}`), ...procs.map((p) => `process ${p}`), ...(existsSync('/run/k8snet-lab') ? ['/run/k8snet-lab'] : [])];
}

/** `kubectl get pods -A -o wide`, as rows keyed NS/NAME. */
export async function kubectlPods(kubeconfig: string): Promise<Map<string, {status: string; ip: string; node: string}>> {
	const out = await run(['kubectl', '--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'wide', '--no-headers']);
	const rows = new Map<string, {status: string; ip: string; node: string}>();
	for (const line of out.trim().split('\n').filter(Boolean)) {
		const [ns, name, , st, , , ip, node] = line.trim().split(/\s+/);
		rows.set(`${ns}/${name}`, {status: st as string, ip: ip as string, node: node as string});
	}

	return rows;
}

export const sorted = (a: string[]) => [...a].sort();

export function readArgv0(pid: number): string | null {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? null;
	} catch {
		return null;
	}
}

/** Alive and not a zombie (killed lab processes may linger as zombies until reaped). */
export function processRunning(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return false;
	}
}

/** Retries an assertion for a while: the API daemon picks up state changes asynchronously. */
export async function eventually(check: () => Promise<void>, ms = 3000): Promise<void> {
	const deadline = Date.now() + ms;
	for (;;) {
		try {
			await check();
			return;
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((r) => setTimeout(r, 100));
		}
	}
}

/** Live processes whose netns is `id` (as readlink /proc/PID/ns/net prints it). */
export function netnsHolders(id: string): number[] {
	const pids: number[] = [];
	for (const e of readdirSync('/proc')) {
		if (!/^\d+$/.test(e)) continue;
		try {
			if (readlinkSync(`/proc/${e}/ns/net`) === id && processRunning(Number(e))) pids.push(Number(e));
		} catch {
			// Gone meanwhile, or a kernel thread.
		}
	}

	return pids;
}
