// Reading a reply out of chunks of any size: a marker split across chunks, a body that holds
// other tokens' markers, noise before and after the frame.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {test} from 'node:test';
import {ReplyFrame} from '../../source/node/remote/node-worker-frames.js';

const token = 'a'.repeat(31) + 'b';
const other = 'a'.repeat(32);

function feed(frame: ReplyFrame, bytes: Buffer, sizes: () => number): Buffer {
	const outside: Buffer[] = [];
	for (let at = 0; at < bytes.length; ) {
		const size = Math.max(1, Math.min(bytes.length - at, sizes()));
		outside.push(...frame.push(bytes.subarray(at, at + size)));
		at += size;
	}

	return Buffer.concat(outside);
}

test('a stdout frame comes out whole however the bytes are cut', () => {
	// The body ends in a near miss of the end marker, and holds another token's whole frame.
	const body = Buffer.concat([randomBytes(3000), Buffer.from(`${other}:0\n${other}:1 0\n${token.slice(0, 31)}:1 ${token}`), Buffer.from([0, 255, 10])]);
	const bytes = Buffer.concat([Buffer.from('login banner\n'), Buffer.from(`${token}:0\n`), body, Buffer.from(`${token}:1 137\n`), Buffer.from('after')]);
	for (const sizes of [() => 1, () => 7, () => 33, () => 1 + Math.floor(Math.random() * 100), () => bytes.length]) {
		const frame = new ReplyFrame(token, '1 ');
		const outside = feed(frame, bytes, sizes);
		assert.equal(frame.done, true);
		assert.deepEqual(frame.result().body, body);
		assert.equal(frame.result().trailer, '137');
		assert.equal(outside.toString(), 'login banner\nafter');
	}
});

test('a stderr frame has no status, and an empty body is empty', () => {
	const frame = new ReplyFrame(token, '2\n');
	assert.deepEqual(frame.push(Buffer.from(`${token}:0\n${token}:2\n`)), []);
	assert.equal(frame.done, true);
	assert.equal(frame.result().body.length, 0);
	assert.equal(frame.result().trailer, '');
});

test('until the end marker has come, the frame is not done', () => {
	const frame = new ReplyFrame(token, '1 ');
	frame.push(Buffer.from(`${token}:0\nsome output ${token}:1`));
	assert.equal(frame.done, false);
	frame.push(Buffer.from(' 0'));
	assert.equal(frame.done, false, 'the status line is not complete without its newline');
	frame.push(Buffer.from('\n'));
	assert.equal(frame.done, true);
	assert.equal(frame.result().body.toString(), 'some output ');
});
