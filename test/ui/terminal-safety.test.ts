// Nothing from the cluster writes to the operator's terminal: a lab pod whose name and image carry
// terminal control sequences (window title, clipboard, clear screen, a C1 CSI, a bidi override) is
// shown by the shipped bundle in a real pty, and the raw bytes it writes hold none of them, while
// the pod still shows with the sequences replaced. `dump`'s table is made safe the same way;
// `dump --json` keeps the data as it is.
// Brings the lab up (3 pods, traffic, so a capture shows lines naming the pod) and takes it down.
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {writeLabState, type LabPod, type LabState} from '../../source/lab/lab-state.js';
import {displayText} from '../../source/core/display-text.js';
import {k8snet, labDown, labUp} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {ROOT, startCli, type PtyScreen} from './pty-screen.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'bridge', 'tcpdump'], files: [`${ROOT}dist/cli.js`]});

const PAYLOADS = {
	title: '\u001B]0;pwned\u0007',
	clipboard: '\u001B]52;c;cHduZWQ=\u0007',
	clear: '\u001B[2J',
	c1: '\u009B31m',
	bidi: '\u202E',
};
const EVIL_NAME = `evil${PAYLOADS.title}-a${PAYLOADS.clipboard}-b${PAYLOADS.clear}-c${PAYLOADS.c1}-d${PAYLOADS.bidi}-pod`;
const EVIL_IMAGE = `busybox${PAYLOADS.title}${PAYLOADS.clear}:1.36${PAYLOADS.bidi}`;
/** Never in what reaches the terminal, whichever pane shows the pod: each payload, and their parts. */
const FORBIDDEN: Array<[string, RegExp]> = [
	...Object.entries(PAYLOADS).map(([what, text]) => [what, new RegExp(text.replace(/[[\]\\^$.|?*+()]/g, '\\$&'))] as [string, RegExp]),
	['BEL', /\u0007/],
	['OSC', /\u001B\]/],
	['a C1 control', /[\u0080-\u009F]/],
	['a bidi control', /[\u202A-\u202E\u2066-\u2069]/],
];

let lab: LabState;
let evil: LabPod;
const screens = new Set<PtyScreen>();

before(async () => {
	if (skip) return;
	const state = await labUp(['--pods', '3', '--traffic']);
	// The first wired pod gets the hostile name and image: the API daemon reloads the state file.
	const target = state.pods.find(pod => pod.kind === 'normal' && pod.netnsPath !== null);
	assert.ok(target, 'the lab has a normal pod');
	target.name = EVIL_NAME;
	for (const container of target.containers) container.image = EVIL_IMAGE;
	writeLabState(state);
	lab = state;
	evil = target;
});

after(async () => {
	for (const s of screens) s.kill('SIGKILL');
	if (!skip) await labDown();
});

function assertClean(bytes: string, where: string): void {
	for (const [what, pattern] of FORBIDDEN) {
		const found = pattern.exec(bytes)?.index ?? -1;
		assert.equal(found, -1, `${where}: ${what} reached the terminal at ${found}: ${JSON.stringify(bytes.slice(Math.max(0, found - 40), found + 40))}`);
	}
}

test('a pod with control sequences in its name and image: the pty byte stream holds none of them, the pod still shows', {skip}, async () => {
	const s = startCli(['--kubeconfig', lab.kubeconfig], {columns: 200, rows: 50, entry: 'bundle'});
	screens.add(s);
	const shownName = displayText(EVIL_NAME);
	const shownImage = displayText(EVIL_IMAGE);
	// The API serves the state it reloaded: the row appears under the sanitized name.
	await s.waitFor(text => text.includes('-pod') && /veth/.test(text), 30_000, 'the lab pods');
	await s.waitFor(text => text.includes(`${evil.namespace}/${shownName}`), 10_000, `the row ${evil.namespace}/${shownName}`);

	// Select it: the Path pane, the Containers pane (image), the Details pane name it too.
	s.write('/');
	for (const char of 'evil') s.write(char);
	s.write('\r');
	await s.waitFor(text => /Pods 1\/\d+/.test(text), 5000, 'the filter to narrow to the pod');
	await s.waitFor(text => text.includes(`[${evil.namespace}/${shownName}]`) && text.includes(shownImage), 10_000, 'the path and the containers of the pod');

	// Explain names it in its title; a capture names it in every line that has its IP.
	s.write('e');
	await s.waitFor(text => text.includes(`Explain ${evil.namespace}/${shownName}`), 10_000, 'the explain overlay');
	s.write('\u001B');
	await s.waitFor(text => !text.includes('Explain '), 5000, 'explain to close');
	s.write('t');
	await s.waitFor(text => text.includes(`[${evil.namespace}/${shownName}]`) && /ICMP echo/.test(text), 20_000, 'capture lines naming the pod');

	s.write('q');
	const exit = await s.exited;
	assert.equal(exit.exitCode, 0);
	assertClean(s.raw(), 'the TUI');
});

test('dump: the table is made safe; --json keeps the data as the API gave it', {skip}, async () => {
	const table = await k8snet(['dump', '--kubeconfig', lab.kubeconfig]);
	assert.equal(table.code, 0, table.stderr);
	assertClean(table.stdout, 'dump');
	assert.ok(table.stdout.includes(displayText(EVIL_NAME)), `dump names the pod:\n${table.stdout}`);
	const json = await k8snet(['dump', '--json', '--kubeconfig', lab.kubeconfig]);
	const document = JSON.parse(json.stdout) as {pods: Array<{name: string}>};
	assert.ok(document.pods.some(pod => pod.name === EVIL_NAME), 'dump --json has the name exactly as the API serves it');
});
