// The session's wakeable sleep: `r` (wake) and the session's end (abort) both cut it short, and it
// leaves no timer behind to hold the process open.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as delay} from 'node:timers/promises';
import {createWakeableSleep} from '../../source/app/wakeable-sleep.js';

const LONG_MS = 60_000;

/** 'ended' if the sleep ends within `ms`, else 'still asleep'. */
async function endsWithin(sleeping: Promise<void>, ms: number): Promise<'ended' | 'still asleep'> {
	const timeout = new AbortController();
	const result = await Promise.race([
		sleeping.then(() => 'ended' as const),
		delay(ms, 'still asleep' as const, {signal: timeout.signal}).catch(() => 'still asleep' as const),
	]);
	timeout.abort();
	return result;
}

const timers = () => process.getActiveResourcesInfo().filter(kind => kind === 'Timeout').length;

test('a sleep ends when its time is up', async () => {
	const {sleep} = createWakeableSleep(new AbortController().signal);
	const started = Date.now();
	await sleep(30);
	assert.ok(Date.now() - started >= 25, `ended after ${Date.now() - started} ms`);
});

test('wake() ends a long sleep at once and clears its timer', async () => {
	const {sleep, wake} = createWakeableSleep(new AbortController().signal);
	const before = timers();
	const sleeping = sleep(LONG_MS);
	assert.equal(timers(), before + 1);
	wake();
	assert.equal(await endsWithin(sleeping, 1000), 'ended');
	assert.equal(timers(), before);
});

test('a sleep is not ended by time that has not passed', async () => {
	const {sleep, wake} = createWakeableSleep(new AbortController().signal);
	const sleeping = sleep(LONG_MS);
	assert.equal(await endsWithin(sleeping, 100), 'still asleep');
	wake();
	await sleeping;
});

test('wake() with no sleep under way does nothing, and does not end the next sleep', async () => {
	const {sleep, wake} = createWakeableSleep(new AbortController().signal);
	wake();
	await sleep(1);
	wake();
	const sleeping = sleep(LONG_MS);
	assert.equal(await endsWithin(sleeping, 100), 'still asleep');
	wake();
	assert.equal(await endsWithin(sleeping, 1000), 'ended');
});

test('abort ends a long sleep at once and clears its timer', async () => {
	const abort = new AbortController();
	const {sleep} = createWakeableSleep(abort.signal);
	const before = timers();
	const sleeping = sleep(LONG_MS);
	abort.abort();
	assert.equal(await endsWithin(sleeping, 1000), 'ended');
	assert.equal(timers(), before);
});

test('a sleep after abort returns at once, without a timer', async () => {
	const abort = new AbortController();
	const {sleep} = createWakeableSleep(abort.signal);
	abort.abort();
	const before = timers();
	const sleeping = sleep(LONG_MS);
	assert.equal(timers(), before);
	assert.equal(await endsWithin(sleeping, 1000), 'ended');
});
