// The answer binder under load: many binders at once, each in a netns of this test's own, and every
// one delivers all its ports. The child sends "done" and exits at once; a parent that took the exit
// for the end lost that last message now and then (1 pod in 110 in a CI `lab up`, 9 in 120 here before the fix).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, test} from 'node:test';
import {ANSWER_PORTS, bindInNetns, close} from '../../source/lab/services/answer-binder.js';
import {needs} from '../support/prerequisites.js';

const COUNT = 120;
const names = Array.from({length: COUNT}, (_, i) => `k8snet-btest-${i}`);
const sh = (...argv: string[]) => execFileSync(argv[0]!, argv.slice(1), {stdio: 'pipe'});
const skip = needs({root: true, tools: ['ip', 'nsenter']});

before(() => {
	if (skip) return;
	for (const name of names) sh('ip', 'netns', 'add', name);
});
after(() => {
	if (skip) return;
	for (const name of names) {
		try {
			sh('ip', 'netns', 'delete', name);
		} catch {
			// Never made.
		}
	}
});

test(`${COUNT} binders at once: each hands over TCP and UDP on every answer port`, {skip}, async () => {
	const results = await Promise.all(names.map(async (name) => bindInNetns(`/run/netns/${name}`)));
	for (const r of results) if (r.ok) close(r.value);
	const failures = results.flatMap((r, i) => (r.ok ? [] : [`${names[i]}: ${r.reason}`]));
	assert.deepEqual(failures, []);
	for (const r of results) if (r.ok) assert.deepEqual([r.value.tcp.length, r.value.udp.length], [ANSWER_PORTS.length, ANSWER_PORTS.length]);
});
