// End-to-end: the real CLI in a real pty (100×30) against the lab, read as a user reads it.
// Brings the lab up (4 pods, traffic) and always takes it down.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {readLabState, LAB_NODE_NETNS, type LabState} from '../../source/lab/lab-state.js';
import {needs} from '../support/prerequisites.js';
import {ROOT, startCli, type PtyScreen} from './pty-screen.js';
import {assertNothingLeftIn, assertQuietStderr, processesInSession} from './session-processes.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'bridge']});

function cli(...args: string[]): string {
	return execFileSync(process.execPath, ['--import', 'tsx', 'source/cli.ts', ...args], {cwd: ROOT, encoding: 'utf8', timeout: 180_000});
}

let lab: LabState;
const screens = new Set<PtyScreen>();

function open(columns: number, rows: number, stderrFile?: string): PtyScreen {
	const s = startCli(['--kubeconfig', lab.kubeconfig], {columns, rows, stderrFile});
	screens.add(s);
	void s.exited.then(() => screens.delete(s));
	return s;
}

/** False when `lab up` refused because a lab (someone else's) was already there: not ours to take down. */
let ours = true;

before(() => {
	if (skip) return;
	try {
		cli('lab', 'up', '--pods', '4', '--traffic');
	} catch (error) {
		if (/lab down` first|already up/.test(String((error as {stderr?: string}).stderr ?? error))) ours = false;
		throw error;
	}

	const state = readLabState();
	assert.ok(state, 'lab up wrote its state');
	lab = state;
});

after(() => {
	for (const s of screens) s.kill('SIGKILL');
	// Only the lab we built: a lab another run put up meanwhile is not ours to take down.
	if (!skip && ours && (lab === undefined || readLabState()?.apiServer === lab.apiServer)) cli('lab', 'down');
});

/** What the kernel says: the node-side interface whose ifindex is the pod eth0's iflink. */
function kernelPeer(netnsPath: string): {ifname: string; ifindex: number} {
	const inside = JSON.parse(execFileSync('nsenter', [`--net=${netnsPath}`, 'ip', '-j', 'link', 'show', 'eth0'], {encoding: 'utf8'})) as Array<{link_index: number}>;
	const linkIndex = inside[0]!.link_index;
	const links = JSON.parse(execFileSync('ip', ['-n', LAB_NODE_NETNS, '-j', 'link'], {encoding: 'utf8'})) as Array<{ifindex: number; ifname: string}>;
	const peer = links.find(link => link.ifindex === linkIndex);
	assert.ok(peer, `a node interface with ifindex ${linkIndex}`);
	return peer;
}

/** The screen's text inside the box borders. */
function inner(line: string): string {
	return line.replace(/^[│║]/, '').replace(/[│║]\s*$/, '');
}

/** The explain overlay's commands and expectations, joined across ` \` continuation lines. */
function explainSteps(lines: string[]): Array<{command: string; expect: string}> {
	const steps: Array<{command: string; expect: string}> = [];
	let command: string | null = null;
	for (const raw of lines.map(inner)) {
		const line = raw.trimEnd();
		if (command !== null && !line.startsWith('= ')) {
			command = `${command.replace(/ \\$/, '')} ${line.trim()}`;
			continue;
		}

		if (line.startsWith('$ ')) {
			command = line.slice(2);
			if (!command.endsWith(' \\')) {
				steps.push({command, expect: ''});
				command = null;
			}

			continue;
		}

		if (line.startsWith('= ') && steps.length > 0 && command === null) {
			const last = steps.at(-1)!;
			if (last.expect === '') last.expect = line.slice(2);
		}

		if (command?.endsWith(' \\') === false) command = null;
	}

	return steps;
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

test('the TUI in a pty: pods, filter, the kernel\'s veth, explain commands that print what it shows, help, resize, q', {skip}, async () => {
	const pods = lab.pods.filter(pod => pod.kind === 'normal' && pod.netnsPath !== null);
	assert.ok(pods.length >= 2, 'the lab has normal pods');
	const s = open(100, 30);

	// 1. The lab's pods show up, with their path resolved (a host peer in the row).
	await s.waitFor(text => pods.every(pod => text.includes(`${pod.namespace}/${pod.name}`)) && /veth|ptp|cali/.test(text), 20_000, 'every lab pod');

	// 2. Filter by name and select the pod.
	const target = pods[1]!;
	s.write('/');
	for (const char of target.name) s.write(char);
	s.write('\r');
	await s.waitFor(text => /Pods 1\/\d+/.test(text), 5000, 'the filter to narrow to one pod');
	const selected = s.lines().find(line => line.includes('›') && line.includes(`${target.namespace}/${target.name}`));
	assert.ok(selected, `the cursor is on ${target.namespace}/${target.name}:\n${s.text()}`);

	// 3. The veth the kernel reports for it, in the row and in the Path pane.
	const peer = kernelPeer(target.netnsPath!);
	await s.waitFor(text => text.includes(`${peer.ifname} (ifindex ${peer.ifindex})`), 10_000, `the path to show ${peer.ifname}`);
	assert.match(selected, new RegExp(peer.ifname));

	// 4. Explain: run every shown command from the host shell; each prints what the pane says.
	s.write('e');
	await s.waitFor(text => /Explain /.test(text) && text.includes('$ ip netns exec'), 10_000, 'the explain overlay');
	const seen = new Map<string, string>();
	for (let page = 0; page < 5; page++) {
		for (const step of explainSteps(s.lines())) seen.set(step.command, step.expect);
		if (!/↓ \d+ more lines/.test(s.text())) break;
		s.write('\u001B[6~');
		await new Promise(resolve => setTimeout(resolve, 300));
	}

	const runnable = [...seen].filter(([command]) => !command.includes('tcpdump'));
	assert.ok(runnable.length >= 2, `explain shows commands: ${JSON.stringify([...seen])}`);
	for (const [command, expect] of runnable) {
		assert.ok(command.startsWith(`ip netns exec ${LAB_NODE_NETNS} `), `lab commands start in the node netns: ${command}`);
		const run = spawnSync('sh', ['-c', command], {encoding: 'utf8', timeout: 10_000});
		assert.equal(run.status, 0, `${command} failed: ${run.stderr}`);
		const output = squash(run.stdout);
		// The pane's value with "..." for the parts that vary (flags, qdisc, ...) and a note in parentheses.
		for (const part of expect.replace(/\(.*\)$/, '').split('...').map(squash).filter(Boolean)) {
			assert.ok(output.includes(part), `${command}\n  printed: ${output}\n  the pane says: ${expect}\n  missing: ${part}`);
		}
	}

	s.write('\u001B');
	await s.waitFor(text => !/Explain /.test(text), 5000, 'explain to close');

	// 5. Help, from the key registry.
	s.write('?');
	await s.waitFor(text => text.includes('this help') && text.includes('pods of all nodes on/off'), 5000, 'help');
	s.write('?');
	await s.waitFor(text => text.includes('▶ Pods'), 5000, 'help to close');

	// 6. 80×24 still shows the path; 70×20 says the terminal is too small; back again.
	s.resize(80, 24);
	await s.waitFor(text => text.includes(peer.ifname) && text.split('\n').length === 24 && text.includes('q quit'), 5000, 'the 80×24 layout');
	s.resize(70, 20);
	await s.waitFor(text => text.includes('terminal too small'), 5000, 'the too-small message');
	s.resize(100, 30);
	await s.waitFor(text => text.includes(`${peer.ifname} (ifindex ${peer.ifindex})`), 5000, 'the layout back at 100×30');

	// 7. q quits and restores the terminal: the alternate screen is left, the cursor shown.
	s.write('q');
	const exit = await s.exited;
	assert.equal(exit.exitCode, 0);
	const raw = s.raw();
	assert.ok(raw.lastIndexOf('\u001B[?1049l') > raw.lastIndexOf('\u001B[?1049h'), 'left the alternate screen');
	assert.ok(raw.lastIndexOf('\u001B[?25h') > raw.lastIndexOf('\u001B[?25l'), 'the cursor is shown again');
});

test('SIGTERM and SIGHUP restore the terminal too', {skip}, async () => {
	for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
		const s = open(100, 30);
		await s.waitFor(text => text.includes('▶ Pods'), 20_000, 'the first frame');
		s.kill(signal);
		const exit = await s.exited;
		const raw = s.raw();
		assert.ok(raw.lastIndexOf('\u001B[?1049l') > raw.lastIndexOf('\u001B[?1049h'), `${signal}: left the alternate screen`);
		assert.equal(exit.exitCode, 128 + (signal === 'SIGTERM' ? 15 : 1), `${signal}: exit code`);
		}
});

test('the terminal goes away with a capture running: tcpdump and every other child go with the TUI, quietly', {skip}, async () => {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-tui-e2e-'));
	try {
		const stderr = join(dir, 'stderr');
		const s = open(100, 30, stderr);
		await s.waitFor(text => /veth|ptp|cali/.test(text), 20_000, 'a resolved pod');
		s.write('t');
		await s.waitFor(text => text.includes('● running'), 15_000, 'the capture to run');
		const sid = s.pty.pid;
		const running = processesInSession(sid);
		assert.ok(running.some(p => / tcpdump /.test(` ${p} `)), `a tcpdump runs: ${running.join('; ')}`);
		s.hangUp();
		const exit = await Promise.race([s.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit within 10 s of the hangup')), 10_000))]);
		assertQuietStderr(existsSync(stderr) ? readFileSync(stderr, 'utf8') : '');
		assert.deepEqual(exit, {exitCode: 129, signal: 0}, 'a hangup exit (128 + SIGHUP), not a crash');
		await assertNothingLeftIn(sid, running);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
});
