// The poll loop's rhythm, with the sleep recorded instead of slept: the first tick counts from the
// session's start, then every 2 s, doubling while polls fail (to 30 s at most), a throw counted as
// a failure; the loop ends when the session aborts.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {backoffMs, MAX_BACKOFF_MS} from '../../source/app/backoff.js';
import {runPollLoop} from '../../source/app/poll-loop.js';

/** Runs the loop over `outcomes` (one a poll), then aborts; returns the sleeps it asked for. */
async function sleepsFor(outcomes: Array<'ok' | 'fail' | 'throw'>, startedAt: number) {
	const abort = new AbortController();
	const sleeps: number[] = [];
	const thrown: string[] = [];
	let failures = 0;
	let next = 0;
	await runPollLoop({
		signal: abort.signal,
		async sleep(ms) {
			sleeps.push(ms);
			if (next === outcomes.length) abort.abort();
		},
		startedAt,
		async pollOnce() {
			const outcome = outcomes[next++];
			if (outcome === 'throw') throw new Error(`poll ${next} threw`);
			failures = outcome === 'ok' ? 0 : failures + 1;
		},
		pollThrew(error) {
			thrown.push(error.message);
			failures++;
		},
		failures: () => failures,
	});
	return {sleeps, thrown, polls: next};
}

test('the first tick comes ~300 ms after the session began, not after the target resolved', async () => {
	const {sleeps} = await sleepsFor(['ok'], Date.now());
	assert.ok(sleeps[0]! > 250 && sleeps[0]! <= 300, `first sleep ${sleeps[0]} ms`);
	const late = await sleepsFor(['ok'], Date.now() - 5000);
	assert.equal(late.sleeps[0], 0);
});

test('every 2 s while polls succeed; doubling while they fail, to 30 s; a success resets it; a throw counts', async () => {
	const {sleeps, thrown, polls} = await sleepsFor(['ok', 'fail', 'fail', 'throw', 'fail', 'fail', 'ok', 'ok'], 0);
	assert.equal(polls, 8);
	assert.deepEqual(sleeps.slice(1), [2000, 4000, 8000, 16_000, 30_000, 30_000, 2000, 2000]);
	assert.deepEqual(thrown, ['poll 4 threw']);
});

test('an aborted session polls no more', async () => {
	const abort = new AbortController();
	abort.abort();
	let polled = 0;
	await runPollLoop({signal: abort.signal, sleep: async () => {}, startedAt: 0, pollOnce: async () => void polled++, pollThrew() {}, failures: () => 0});
	assert.equal(polled, 0);
});

test('backoff: the first wait, doubled per step, capped', () => {
	assert.equal(backoffMs(1000, 0), 1000);
	assert.equal(backoffMs(1000, 3), 8000);
	assert.equal(backoffMs(2000, 0), 2000);
	assert.equal(backoffMs(2000, 4), MAX_BACKOFF_MS);
	assert.equal(backoffMs(1000, 2000), MAX_BACKOFF_MS);
});
