// Whichever way the process that started a capture ends (quit, ctrl-c, SIGTERM, SIGHUP, SIGKILL),
// no tcpdump it started survives it by more than 3 s, not even one whose exec cleared the
// parent-death signal (file capabilities). Checked in /proc, for real.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {after, before, test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {alive, parentOf} from '../support/proc.js';
import {createTopology, type Topology} from './topology.js';

const skip = needs({root: true, tools: ['tcpdump', 'setpriv', 'nsenter', 'ip']});
const driver = fileURLToPath(new URL('./capture-driver.ts', import.meta.url));
const streamDriver = fileURLToPath(new URL('./stream-driver.ts', import.meta.url));

let topo: Topology | null = null;
before(() => {
	if (!skip) topo = createTopology();
});
after(() => topo?.destroy());

/** Live or zombie processes whose argv passes `match`. */
function processes(match: (argv: string[]) => boolean): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (match(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0'))) pids.push(Number(entry));
		} catch {
			// exited while we looked
		}
	}
	return pids;
}

/** tcpdump processes with our pod's filter (other tests on this machine may run tcpdump too). */
function ourTcpdumps(): number[] {
	const filter = `host ${topo!.pods[0]!.ip}`;
	return processes(argv => argv[0]?.endsWith('tcpdump') === true && argv.includes(filter));
}

async function startDriver(point: string) {
	return reportedPid(spawn(process.execPath, ['--import', 'tsx', driver, JSON.stringify(topo!.paths[0]), point], {stdio: ['pipe', 'pipe', 'inherit']}));
}

/** The pid a driver prints on its first line. */
async function reportedPid(child: ReturnType<typeof spawn>) {
	const lines = createInterface({input: child.stdout!});
	const first = await new Promise<string>((resolve, reject) => {
		lines.once('line', resolve);
		child.once('exit', code => reject(new Error(`driver exited (${code}) before reporting`)));
	});
	const report = JSON.parse(first) as {pid?: number; error?: string};
	assert.ok(report.pid !== undefined, report.error);
	return {child, pid: report.pid!};
}

const endings: Array<{how: string; end(child: ReturnType<typeof spawn>): void}> = [
	{how: 'SIGKILL (kill -9)', end: c => c.kill('SIGKILL')},
	{how: 'SIGTERM', end: c => c.kill('SIGTERM')},
	{how: 'SIGHUP (the SSH connection drops)', end: c => c.kill('SIGHUP')},
	{how: 'SIGINT (ctrl-c)', end: c => c.kill('SIGINT')},
	{how: 'q (stop, then exit)', end: c => c.stdin!.write('q\n')},
];

for (const point of ['bridge', 'pod'] as const) {
	for (const {how, end} of endings) {
		test(`${how}: no tcpdump at ${point} survives its parent by 3 s`, {skip}, async () => {
			const {child, pid} = await startDriver(point);
			const [tcpdump] = ourTcpdumps().filter(alive);
			assert.ok(tcpdump !== undefined, 'no tcpdump runs');
			assert.equal(parentOf(tcpdump), pid, 'tcpdump runs under the watchdog whose pid the session reports');
			const exited = new Promise(resolve => child.once('exit', resolve));
			end(child);
			await exited;
			const deadline = Date.now() + 3000;
			while (alive(tcpdump) && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
			assert.equal(alive(tcpdump), false, `tcpdump ${tcpdump} still runs 3 s after its parent ended by ${how}`);
			assert.deepEqual(ourTcpdumps().filter(alive), []);
		});
	}
}

// As root, exec keeps the parent-death signal even for a binary with file capabilities: the kernel
// clears it only when the new capabilities are not a subset of the old. So the driver runs as
// nobody, and its command is a copy of sleep given `setcap cap_net_raw+ep`, as the README suggests
// for tcpdump: only the watchdog can end it.
const skipCaps = needs({root: true, tools: ['setpriv', 'setcap', 'sleep']});

test('SIGKILL: a command whose exec cleared the parent-death signal still dies with its parent', {skip: skipCaps}, async () => {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-caps-'));
	chmodSync(dir, 0o755);
	const capped = join(dir, 'sleep');
	copyFileSync(execFileSync('sh', ['-c', 'command -v sleep'], {encoding: 'utf8'}).trim(), capped);
	chmodSync(capped, 0o755);
	execFileSync('setcap', ['cap_net_raw+ep', capped]);
	// tsx keeps its cache in TMPDIR, and /tmp is not writable for nobody here.
	const home = join(dir, 'tmp');
	mkdirSync(home);
	chownSync(home, 65534, 65534);
	const marker = '100.517';
	const ours = () => processes(argv => argv[0] === capped && argv[1] === marker).filter(alive);
	try {
		const argv = ['setpriv', '--pdeathsig', 'KILL', '--', capped, marker];
		const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups', '--'];
		const {child} = await reportedPid(spawn('setpriv', [...nobody, process.execPath, '--import', 'tsx', streamDriver, JSON.stringify(argv)], {stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, TMPDIR: home}}));
		let deadline = Date.now() + 5000;
		while (ours().length === 0 && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
		const [sleeper] = ours();
		assert.ok(sleeper !== undefined, 'the capped sleep never started');
		assert.match(readFileSync(`/proc/${sleeper}/status`, 'utf8'), /^CapPrm:\s+0*2000$/m, 'it runs with cap_net_raw from its file capabilities');
		const exited = new Promise(resolve => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
		deadline = Date.now() + 3000;
		while (alive(sleeper) && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
		assert.equal(alive(sleeper), false, `the capped sleep ${sleeper} still runs 3 s after its parent was SIGKILLed`);
	} finally {
		for (const pid of ours()) process.kill(pid, 'SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	}
});
