// The decoder against tcpdump itself: pcaps recorded on the capture topology, and `tcpdump -n -S -r`
// of each (test/fixtures/capture/, re-recorded by test/capture/record-pcap-fixture.ts). Every line
// must match tcpdump's, but for what the decoder leaves out on purpose: TCP options, the payload
// protocol after a TCP length, the decoding of UDP payloads and IGMP (the decoder says "UDP, length N"
// and "igmp" there; the part before that must still match), and the interface name of an `any`
// capture, which tcpdump -r looks up on the machine that reads the file (the decoder is given them).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {decodeFrame, frameAddresses, packetTime} from '../../source/core/pcap-decode.js';
import {PcapStreamReader, type PcapRecord} from '../../source/core/pcap-stream.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'capture');

function records(file: string, chunkSize: number): {linkType: number; records: PcapRecord[]} {
	const bytes = readFileSync(join(fixtures, file));
	const reader = new PcapStreamReader();
	const out: PcapRecord[] = [];
	for (let at = 0; at < bytes.length; at += chunkSize) reader.push(bytes.subarray(at, at + chunkSize), r => out.push({...r, data: Buffer.from(r.data)}));
	assert.equal(reader.error, null);
	return {linkType: reader.header!.linkType, records: out};
}

/** tcpdump's line reduced to what the decoder shows. */
function shownPart(line: string): string {
	const text = line.replace(/, options \[[^\]]*\]/, '').replace(/(, length \d+): .*$/, '$1');
	// UDP to a port tcpdump decodes (domain, mdns), and IGMP: only the addresses are compared.
	return text.replace(/^(.* IP6? \S+ > \S+:) (?!Flags|ICMP|UDP, length).*$/, '$1');
}

function decoded(linkType: number, r: PcapRecord, names: (i: number) => string | null = () => null): string {
	return `${packetTime(r.seconds, r.micros)} ${decodeFrame(linkType, r.data, r.origLen, names).text}`;
}

function compare(file: string, textFile: string, chunkSize: number, strip: (line: string) => string = l => l): void {
	const {linkType, records: got} = records(file, chunkSize);
	const want = readFileSync(join(fixtures, textFile), 'utf8').trim().split('\n');
	assert.equal(got.length, want.length, 'one line per record');
	for (let i = 0; i < want.length; i++) {
		const expected = shownPart(strip(want[i]!));
		const line = strip(decoded(linkType, got[i]!));
		assert.equal(expected.endsWith(':') ? line.slice(0, expected.length) : line, expected, `record ${i + 1}`);
	}
}

for (const chunk of [65_536, 7, 1]) {
	test(`an Ethernet capture on the bridge reads as tcpdump prints it (chunks of ${chunk} bytes)`, () => {
		compare('lab-bridge.pcap', 'lab-bridge.tcpdump.txt', chunk);
	});
}

test('frames with an 802.1Q tag read as the same packets', () => {
	compare('lab-vlan.pcap', 'lab-vlan.tcpdump.txt', 4096);
});

test('an `any` capture (Linux cooked v2) reads as tcpdump prints it, direction included', () => {
	const withoutIface = (line: string) => line.replace(/^(\S+) \S+\s+(In |Out|M  |B  |P  )\s+/, '$1 IFACE $2 ');
	compare('lab-any.pcap', 'lab-any.tcpdump.txt', 4096, withoutIface);
	const {linkType, records: got} = records('lab-any.pcap', 4096);
	assert.match(decoded(linkType, got[0]!, i => (i > 0 ? 'veth1234' : null)), /^\S+ veth1234 (In |Out|M  |B  |P  ) /);
	assert.match(decoded(linkType, got[0]!), /^\S+ \?     (In |Out|M  |B  |P  ) /, 'an unknown index is "?", as tcpdump shows it');
});

test('every kind of line the fixtures hold is decoded, not a fallback', () => {
	const {linkType, records: got} = records('lab-bridge.pcap', 65_536);
	const lines = got.map(r => decodeFrame(linkType, r.data, r.origLen));
	for (const kind of ['ARP, Request who-has', 'ARP, Reply', 'ICMP echo request', 'ICMP6, echo reply', 'neighbor solicitation', 'Flags [S.]', 'udp port 5353 unreachable', 'UDP, length 2']) {
		assert.ok(lines.some(l => l.text.includes(kind)), kind);
	}
	assert.deepEqual(new Set(lines.map(l => l.protocol)), new Set(['icmp', 'arp', 'tcp', 'udp', 'other']));
});

test('frameAddresses gives the source and destination of IPv4 and IPv6 packets, none for ARP', () => {
	const {linkType, records: got} = records('lab-bridge.pcap', 65_536);
	const text = got.map(r => decodeFrame(linkType, r.data, r.origLen).text);
	const v4 = got[text.findIndex(t => t.includes('ICMP echo request'))]!;
	assert.deepEqual(frameAddresses(linkType, v4.data), ['10.244.200.2', '10.244.200.3']);
	const v6 = got[text.findIndex(t => t.includes('ICMP6, echo request'))]!;
	assert.deepEqual(frameAddresses(linkType, v6.data), ['fd00:200::a', 'fd00:200::b']);
	assert.deepEqual(frameAddresses(linkType, got[text.findIndex(t => t.startsWith('ARP'))]!.data), []);
});

test('a stream that is not a pcap says so, once, and reads nothing more', () => {
	const reader = new PcapStreamReader();
	const seen: PcapRecord[] = [];
	reader.push(Buffer.from('tcpdump: listening on eth0, link-type EN10MB\n'), r => seen.push(r));
	assert.match(reader.error?.reason ?? '', /not a pcap \(starts with "tcpdump: listening on et"\)/);
	reader.push(readFileSync(join(fixtures, 'lab-bridge.pcap')), r => seen.push(r));
	assert.equal(seen.length, 0);
});
