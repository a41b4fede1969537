// Whichever way the process that started a capture ends (quit, ctrl-c, SIGTERM, SIGHUP, SIGKILL),
// no tcpdump it started survives it by more than 3 s. Checked in /proc, for real.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {after, before, test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {createTopology, type Topology} from './topology.js';

const skip = needs({root: true, tools: ['tcpdump', 'setpriv', 'nsenter', 'ip']});
const driver = fileURLToPath(new URL('./capture-driver.ts', import.meta.url));

let topo: Topology | null = null;
before(() => {
	if (!skip) topo = createTopology();
});
after(() => topo?.destroy());

/** tcpdump processes with our pod's filter (other tests on this machine may run tcpdump too). */
function ourTcpdumps(): number[] {
	const filter = `host ${topo!.pods[0]!.ip}`;
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (argv[0]?.endsWith('tcpdump') && argv.includes(filter)) pids.push(Number(entry));
		} catch {
			// exited while we looked
		}
	}
	return pids;
}

function alive(pid: number): boolean {
	try {
		// A zombie still has /proc/<pid>; it is dead for our purposes.
		return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
	} catch {
		return false;
	}
}

async function startDriver(point: string) {
	const child = spawn(process.execPath, ['--import', 'tsx', driver, JSON.stringify(topo!.paths[0]), point], {stdio: ['pipe', 'pipe', 'inherit']});
	const lines = createInterface({input: child.stdout!});
	const first = await new Promise<string>((resolve, reject) => {
		lines.once('line', resolve);
		child.once('exit', code => reject(new Error(`driver exited (${code}) before reporting`)));
	});
	const report = JSON.parse(first) as {pid?: number; error?: string};
	assert.ok(report.pid !== undefined, report.error);
	return {child, tcpdump: report.pid};
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
			const {child, tcpdump} = await startDriver(point);
			assert.equal(readFileSync(`/proc/${tcpdump}/comm`, 'utf8').trim(), 'tcpdump', 'the pid the session reports is tcpdump itself');
			assert.ok(ourTcpdumps().includes(tcpdump!));
			const exited = new Promise(resolve => child.once('exit', resolve));
			end(child);
			await exited;
			const deadline = Date.now() + 3000;
			while (alive(tcpdump!) && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
			assert.equal(alive(tcpdump!), false, `tcpdump ${tcpdump} still runs 3 s after its parent ended by ${how}`);
			assert.deepEqual(ourTcpdumps().filter(alive), []);
		});
	}
}
