// The two-point correlation on frames built byte by byte: what a request is, how each protocol is
// matched, the window, DNAT between the points, and VXLAN at point 2.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LossCorrelator, requestOf, tupleKey, type FlowTuple} from '../../source/core/capture-correlate.js';
import {decodeFrame} from '../../source/core/pcap-decode.js';
import {LINKTYPE_ETHERNET} from '../../source/core/pcap-stream.js';

const A = '10.244.0.2';
const B = '10.244.1.3';
const SVC = '10.96.0.10';

function ip4(text: string): number[] {
	return text.split('.').map(Number);
}

/** Ethernet + IPv4 (DF, id 0, as Linux sends them) around a transport payload. */
function frame(src: string, dst: string, proto: number, transport: number[]): Buffer {
	const total = 20 + transport.length;
	const ip = [0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, proto, 0, 0, ...ip4(src), ...ip4(dst)];
	return Buffer.from([...Array(12).fill(0xaa), 0x08, 0x00, ...ip, ...transport]);
}

function echo(src: string, dst: string, id: number, seq: number, type = 8): Buffer {
	return frame(src, dst, 1, [type, 0, 0, 0, id >> 8, id & 0xff, seq >> 8, seq & 0xff, ...Array(56).fill(7)]);
}

function u32(n: number): number[] {
	return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function tcp(src: string, dst: string, sport: number, dport: number, seq: number, payload: number, flags = 0x18): Buffer {
	const header = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, ...u32(seq), ...u32(1), 0x50, flags, 0xff, 0xff, 0, 0, 0, 0];
	return frame(src, dst, 6, [...header, ...Array(payload).fill(1)]);
}

function udp(src: string, dst: string, sport: number, dport: number, payload: number[]): Buffer {
	const length = 8 + payload.length;
	return frame(src, dst, 17, [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, length >> 8, length & 0xff, 0, 0, ...payload]);
}

/** The frame as flannel.1 sends it over the underlay: outer IP/UDP to 8472, VXLAN VNI 1, the inner frame. */
function vxlan(inner: Buffer, vni = 1): Buffer {
	const header = [0x08, 0, 0, 0, (vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff, 0];
	return udp('192.168.50.1', '192.168.50.2', 41_000, 8472, [...header, ...inner]);
}

function correlator(extra: Partial<ConstructorParameters<typeof LossCorrelator>[0]> = {}): LossCorrelator {
	return new LossCorrelator({from: [A], to: [B], ...extra});
}

const E = LINKTYPE_ETHERNET;

test('ICMP: requests matched by id and seq; replies and other seqs are not requests or matches', () => {
	const c = correlator();
	c.seen(1, E, echo(A, B, 7, 1), 1000);
	c.seen(1, E, echo(A, B, 7, 2), 1001);
	c.seen(2, E, echo(A, B, 7, 1), 1002);
	c.seen(2, E, echo(B, A, 7, 2, 0), 1003);
	c.seen(1, E, echo(B, A, 7, 2, 0), 1003);
	c.advance(2500);
	assert.deepEqual(pick(c), {sent: 2, matched: 1, lost: 0, pending: 1});
	c.advance(3002);
	assert.deepEqual(pick(c), {sent: 2, matched: 1, lost: 1, pending: 0});
	assert.equal(c.counts().lostRecent, 1);
	c.advance(3002 + 60_001);
	assert.equal(c.counts().lostRecent, 0, 'a loss over a minute old is not recent');
	assert.equal(c.counts().lost, 1);
});

function pick(c: LossCorrelator): {sent: number; matched: number; lost: number; pending: number} {
	const {sent, matched, lost, pending} = c.counts();
	return {sent, matched, lost, pending};
}

test('the window: lost only once 2 s passed unmatched; a match arriving late in the window still counts', () => {
	const c = correlator();
	c.seen(1, E, echo(A, B, 1, 1), 10_000);
	c.advance(11_999);
	assert.equal(c.counts().lost, 0);
	c.seen(2, E, echo(A, B, 1, 1), 11_900);
	c.advance(20_000);
	assert.deepEqual(pick(c), {sent: 1, matched: 1, lost: 0, pending: 0});
	// Seen at 2 more than the window after 1: that is not the same request getting through.
	c.seen(1, E, echo(A, B, 1, 2), 30_000);
	c.seen(2, E, echo(A, B, 1, 2), 32_500);
	c.advance(32_600);
	assert.deepEqual(pick(c), {sent: 2, matched: 1, lost: 1, pending: 0});
});

test('point 2 read before point 1 (two pipes): still matched', () => {
	const c = correlator();
	c.seen(2, E, echo(A, B, 3, 9), 5000);
	c.seen(1, E, echo(A, B, 3, 9), 4999);
	c.advance(9000);
	assert.deepEqual(pick(c), {sent: 1, matched: 1, lost: 0, pending: 0});
});

test('only A → B: traffic from A elsewhere (DNS) and from others is not counted', () => {
	const c = correlator();
	c.seen(1, E, echo(A, '10.96.0.53', 1, 1), 0);
	c.seen(1, E, echo('10.244.0.9', B, 1, 1), 0);
	c.advance(10_000);
	assert.deepEqual(pick(c), {sent: 0, matched: 0, lost: 0, pending: 0});
});

test('TCP: segments matched by sequence range and 5-tuple; a segment GRO merged at 2 covers both', () => {
	const c = correlator();
	c.seen(1, E, tcp(A, B, 40_000, 80, 100, 0, 0x02), 0);
	c.seen(1, E, tcp(A, B, 40_000, 80, 101, 0, 0x10), 1);
	c.seen(1, E, tcp(A, B, 40_000, 80, 101, 100), 2);
	c.seen(1, E, tcp(A, B, 40_000, 80, 201, 100), 3);
	c.seen(1, E, tcp(A, B, 40_000, 80, 301, 50), 4);
	c.seen(2, E, tcp(A, B, 40_000, 80, 100, 0, 0x02), 5);
	c.seen(2, E, tcp(A, B, 40_000, 80, 101, 200), 6);
	// Same bytes, another connection: not a match.
	c.seen(2, E, tcp(A, B, 40_001, 80, 301, 50), 7);
	c.advance(5000);
	assert.deepEqual(pick(c), {sent: 4, matched: 3, lost: 1, pending: 0}, 'the bare ACK is not a request');
});

test('TCP: sequence ranges across the 2^32 wrap', () => {
	const c = correlator();
	c.seen(1, E, tcp(A, B, 1, 2, 0xffff_ffc0, 100), 0);
	c.seen(2, E, tcp(A, B, 1, 2, 0xffff_ffc0, 100), 1);
	c.advance(5000);
	assert.deepEqual(pick(c), {sent: 1, matched: 1, lost: 0, pending: 0});
});

test('UDP: matched by a hash of the payload, not by IP id (0 with DF)', () => {
	const c = correlator();
	c.seen(1, E, udp(A, B, 5000, 53, [1, 2, 3]), 0);
	c.seen(1, E, udp(A, B, 5000, 53, [1, 2, 4]), 1);
	c.seen(1, E, udp(A, B, 5000, 53, [1, 2, 3]), 2);
	c.seen(2, E, udp(A, B, 5000, 53, [1, 2, 3]), 3);
	c.seen(2, E, udp(A, B, 5000, 53, [9, 9, 9]), 3);
	c.advance(5000);
	assert.deepEqual(pick(c), {sent: 3, matched: 1, lost: 2, pending: 0}, 'two copies at 1, one at 2: one lost');
});

test('DNAT between the points: matched on the translated tuple conntrack gives', () => {
	const orig: FlowTuple = {proto: 'tcp', src: A, dst: SVC, sport: 40_000, dport: 80};
	const translated: FlowTuple = {proto: 'tcp', src: A, dst: B, sport: 40_000, dport: 8080};
	const icmpOrig: FlowTuple = {proto: 'icmp', src: A, dst: SVC, sport: 5, dport: 5};
	const translations = new Map([[tupleKey(orig), translated], [tupleKey(icmpOrig), {...icmpOrig, dst: B}]]);
	const c = correlator({translations});
	c.seen(1, E, tcp(A, SVC, 40_000, 80, 1, 10), 0);
	c.seen(2, E, tcp(A, B, 40_000, 8080, 1, 10), 1);
	c.seen(1, E, echo(A, SVC, 5, 1), 2);
	c.seen(2, E, echo(A, B, 5, 1), 3);
	c.advance(5000);
	assert.deepEqual(pick(c), {sent: 2, matched: 2, lost: 0, pending: 0});
	const without = correlator();
	without.seen(1, E, tcp(A, SVC, 40_000, 80, 1, 10), 0);
	without.seen(2, E, tcp(A, B, 40_000, 8080, 1, 10), 1);
	without.advance(5000);
	assert.equal(without.counts().sent, 0, 'without conntrack, a request to the Service IP is not known to be for B');
});

test('VXLAN at point 2: matched on the inner packet, and decoded with its VNI', () => {
	const c = correlator();
	c.seen(1, E, echo(A, B, 2, 1), 0);
	c.seen(1, E, echo(A, B, 2, 2), 0);
	c.seen(2, E, vxlan(echo(A, B, 2, 1)), 1);
	c.advance(5000);
	assert.deepEqual(pick(c), {sent: 2, matched: 1, lost: 1, pending: 0});
	assert.deepEqual(requestOf(E, vxlan(echo(A, B, 2, 1)))?.tuple, {proto: 'icmp', src: A, dst: B, sport: 2, dport: 2});
	const line = decodeFrame(E, vxlan(echo(A, B, 2, 1), 1), 0).text;
	assert.equal(line, `IP 192.168.50.1.41000 > 192.168.50.2.8472: VXLAN, flags [I] (0x08), VNI 1 | IP ${A} > ${B}: ICMP echo request, id 2, seq 1, length 64`);
	assert.equal(decodeFrame(E, vxlan(echo(A, B, 2, 1)), 0).protocol, 'icmp');
	// Another port is plain UDP.
	assert.match(decodeFrame(E, udp('192.168.50.1', '192.168.50.2', 1, 4789, [8, 0, 0, 0, 0, 0, 1, 0, ...echo(A, B, 1, 1)]), 0).text, /UDP, length \d+$/);
});
