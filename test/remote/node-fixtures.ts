// Test support: the lab node as a remote node. An sshd of our own inside the lab node netns (own
// host key, own authorized key, all in a temp dir), a `docker` stand-in on PATH for the container
// exec shell (no node image can be pulled here), the driver run from the lab's world netns, and a
// look at the node's processes.
import {spawn, execFileSync, type ChildProcess} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const NODE_IP = '198.51.100.2';
export const LAB_NODE = 'k8snet-lab';
export const NODE_NETNS = 'k8snet-lab-node';
export const WORLD_NETNS = 'k8snet-lab-world';
const DRIVER = fileURLToPath(new URL('./driver.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface Sshd {
	dir: string;
	key: string;
	knownHosts: string;
	/** --node-ssh for the driver. */
	args: string;
	stop(): void;
}

/**
 * `login`: a user other than root to log in as. sshd then runs in a private mount namespace where
 * /etc/passwd gives that user a shell (nobody has none), so the host's accounts are untouched.
 */
export function startSshd(port = 22, extraConfig: string[] = [], login: string | null = null): Promise<Sshd> {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-sshd-'));
	const key = join(dir, 'user_key');
	const hostKey = join(dir, 'host_key');
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'k8snet-test', '-f', key]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'k8snet-test-host', '-f', hostKey]);
	writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${key}.pub`));
	const [type, body] = readFileSync(`${hostKey}.pub`, 'utf8').split(' ');
	const knownHosts = join(dir, 'known_hosts');
	writeFileSync(knownHosts, `${port === 22 ? NODE_IP : `[${NODE_IP}]:${port}`} ${type} ${body}\n`);
	writeFileSync(join(dir, 'sshd_config'), [
		`ListenAddress ${NODE_IP}:${port}`,
		`HostKey ${hostKey}`,
		`PidFile ${join(dir, 'sshd.pid')}`,
		`AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
		'PermitRootLogin prohibit-password',
		'StrictModes no',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		'UsePAM no',
		'PrintMotd no',
		'MaxSessions 30',
		'LogLevel ERROR',
		...extraConfig,
		'',
	].join('\n'));
	// Debian's sshd refuses to start without its privilege separation directory.
	if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', {mode: 0o755});
	let argv = ['ip', 'netns', 'exec', NODE_NETNS, '/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')];
	if (login !== null) {
		const passwd = join(dir, 'passwd');
		const lines = readFileSync('/etc/passwd', 'utf8').split('\n').map(line => {
			const fields = line.split(':');
			return fields[0] === login ? [...fields.slice(0, 5), '/', '/bin/sh'].join(':') : line;
		});
		writeFileSync(passwd, lines.join('\n'));
		// The user reads its authorized_keys itself.
		chmodSync(dir, 0o755);
		chmodSync(join(dir, 'authorized_keys'), 0o644);
		argv = ['unshare', '-m', '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$1" /etc/passwd && shift && exec "$@"', 'sh', passwd, ...argv];
	}

	const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', ...argv], {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', chunk => (stderr += String(chunk)));
	const stop = () => {
		child.kill('SIGTERM');
		rmSync(dir, {recursive: true, force: true});
	};

	return new Promise((resolve, reject) => {
		const deadline = Date.now() + 5000;
		const check = () => {
			if (child.exitCode !== null) {
				stop();
				return reject(new Error(`sshd exited: ${stderr}`));
			}

			let listening = '';
			try {
				listening = execFileSync('ip', ['netns', 'exec', NODE_NETNS, 'ss', '-Htln', `sport = :${port}`], {encoding: 'utf8'});
			} catch (error) {
				stop();
				return reject(error as Error);
			}

			if (listening.includes(NODE_IP)) {
				return resolve({dir, key, knownHosts, args: `-F /dev/null -i ${key} -o UserKnownHostsFile=${knownHosts} ${port === 22 ? '' : `-p ${port} `}${login ?? 'root'}@{ip}`, stop});
			}

			if (Date.now() > deadline) {
				stop();
				return reject(new Error(`sshd did not listen: ${stderr}`));
			}

			setTimeout(check, 50);
		};

		check();
	});
}

/** A directory holding a `docker` that turns `docker exec -i NAME cmd...` into a command in the lab node netns. */
export function dockerStandIn(): {dir: string; remove(): void} {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-docker-'));
	const script = `#!/bin/bash
# Stand-in for the docker CLI. Like a real exec, the command is not this client's child (own
# session), and its stdin is relayed by a cat that dies with the client, as dockerd closes an
# exec's stdin when its client goes away.
case "$1" in
ps)
	[[ "$*" == *"name=^/?${LAB_NODE}\\$"* || "$*" == *"name=^/${LAB_NODE}\\$"* ]] && echo ${LAB_NODE}
	exit 0 ;;
exec)
	shift
	while [[ "$1" == -* ]]; do shift; done
	[[ "$1" == ${LAB_NODE} ]] || { echo "Error response from daemon: No such container: $1" >&2; exit 1; }
	shift
	setsid nsenter --net=/run/netns/${NODE_NETNS} -- "$@" < <(setpriv --pdeathsig KILL cat 2>/dev/null) &
	wait $!
	exit $? ;;
esac
echo "docker stand-in: unsupported: $*" >&2
exit 1
`;
	writeFileSync(join(dir, 'docker'), script);
	chmodSync(join(dir, 'docker'), 0o755);
	return {dir, remove: () => rmSync(dir, {recursive: true, force: true})};
}

export interface Driver {
	child: ChildProcess;
	lines: string[];
	/** Resolves with the first stdout line that satisfies `test`. */
	waitFor(test: (line: string) => boolean, ms: number): Promise<string>;
	exited: Promise<number | null>;
}

// The drivers' temp files (the ssh shell's private control directory) go here: a SIGKILLed driver
// cannot remove its own, so removeDriverFiles() does, in after().
let driverTmp: string | null = null;

export function removeDriverFiles(): void {
	if (driverTmp) rmSync(driverTmp, {recursive: true, force: true});
	driverTmp = null;
}

/**
 * Runs test/remote/driver.ts in the lab's world netns (the "dev box"), with `request` as JSON.
 * nsenter execs node, so SIGKILL of this child is SIGKILL of the tool itself.
 */
export function startDriver(request: object, env: NodeJS.ProcessEnv = {}): Driver {
	const child = spawn('nsenter', [`--net=/run/netns/${WORLD_NETNS}`, '--', process.execPath, '--import', TSX, DRIVER, JSON.stringify(request)], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {...process.env, TMPDIR: (driverTmp ??= mkdtempSync(join(tmpdir(), 'k8snet-driver-'))), ...env},
	});
	const lines: string[] = [];
	const waiters: Array<() => void> = [];
	let rest = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8');
	child.stdout!.on('data', (chunk: string) => {
		const parts = (rest + chunk).split('\n');
		rest = parts.pop() ?? '';
		lines.push(...parts);
		for (const w of waiters) w();
	});
	child.stderr!.on('data', chunk => (stderr += String(chunk)));
	const exited = new Promise<number | null>(resolve => child.on('close', code => {
		for (const w of waiters) w();
		resolve(code);
	}));
	return {
		child,
		lines,
		exited,
		waitFor(test, ms) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`driver: nothing matched in ${ms} ms; stdout ${lines.slice(-5).join(' | ')}; stderr ${stderr.slice(-2000)}`)), ms);
				const check = () => {
					const hit = lines.find(test);
					if (hit !== undefined) {
						clearTimeout(timer);
						resolve(hit);
					} else if (child.exitCode !== null) {
						clearTimeout(timer);
						reject(new Error(`driver exited ${child.exitCode}: ${stderr.slice(-2000)} ${lines.join('\n').slice(-2000)}`));
					}
				};

				waiters.push(check);
				check();
			});
		},
	};
}

/** Runs the driver to completion and parses its last stdout line. */
export async function runDriver<T>(request: object, env: NodeJS.ProcessEnv = {}, ms = 60_000): Promise<T> {
	const driver = startDriver(request, env);
	const timer = setTimeout(() => driver.child.kill('SIGKILL'), ms);
	const code = await driver.exited;
	clearTimeout(timer);
	const last = driver.lines.filter(line => line.trim() !== '').at(-1);
	if (last === undefined) throw new Error(`driver printed nothing (exit ${code})`);
	return JSON.parse(last) as T;
}

/** Live processes (not zombies) whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (cmdline.includes(marker) && !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) pids.push(Number(entry));
		} catch {
			// Gone meanwhile.
		}
	}

	return pids;
}

export async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (check()) return true;
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	return check();
}
