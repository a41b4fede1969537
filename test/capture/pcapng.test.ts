// The pcapng writer, read back by the Debian tshark and capinfos: an IDB per capture point naming the
// pod and the point, and NRBs that give each pod address its `ns/name`, so `tshark -N n` shows the
// names. The packets are the recorded lab capture (test/fixtures/capture/lab-bridge.pcap).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {frameAddresses} from '../../source/core/pcap-decode.js';
import {PcapStreamReader, type PcapRecord} from '../../source/core/pcap-stream.js';
import {PcapngStream} from '../../source/core/pcapng-writer.js';
import {needs} from '../support/prerequisites.js';

const skip = needs({tools: ['tshark', 'capinfos']});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-pcapng-'));
after(() => rmSync(dir, {recursive: true, force: true}));

const names = new Map([
	['10.244.200.2', 'capture-test/pod-a'],
	['10.244.200.3', 'capture-test/pod-b'],
	['fd00:200::a', 'capture-test/pod-a'],
	['10.244.200.1', 'k8snet-cap-node'],
]);

function fixtureRecords(): {linkType: number; snaplen: number; records: PcapRecord[]} {
	const reader = new PcapStreamReader();
	const records: PcapRecord[] = [];
	reader.push(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'capture', 'lab-bridge.pcap')), r => records.push({...r, data: Buffer.from(r.data)}));
	return {linkType: reader.header!.linkType, snaplen: reader.header!.snaplen, records};
}

/** The fixture's packets, the first half at the bridge and the rest at the pod's peer. */
function writeFile(): {file: string; blocks: Buffer[]} {
	const {linkType, snaplen, records} = fixtureRecords();
	const stream = new PcapngStream(names);
	const blocks = [stream.start('k8snet-tui')];
	const bridge = {key: 'bridge', linkType, snaplen, name: 'capture-test/pod-a bridge k8snet-cap-br', description: 'capture-test/pod-a at bridge k8snet-cap-br, filter: host 10.244.200.2'};
	const peer = {...bridge, key: 'peer', name: 'capture-test/pod-a peer veth1', description: 'capture-test/pod-a at host peer veth1, filter: host 10.244.200.2'};
	records.forEach((r, i) => blocks.push(...stream.packet(i < records.length / 2 ? bridge : peer, r, frameAddresses(linkType, r.data))));
	const file = join(dir, 'out.pcapng');
	writeFileSync(file, Buffer.concat(blocks));
	return {file, blocks};
}

const run = (argv: string[]) => execFileSync(argv[0]!, argv.slice(1), {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});

test('blocks: SHB first, one IDB per point, an NRB only for addresses not named before, an EPB per packet', () => {
	const {blocks} = writeFile();
	const types = blocks.map(b => b.readUInt32LE(0));
	assert.equal(types[0], 0x0a0d0d0a);
	assert.equal(types.filter(t => t === 1).length, 2);
	assert.equal(types.filter(t => t === 6).length, fixtureRecords().records.length);
	// pod-a and pod-b together (the first ping), then the bridge's own address, then pod-a's IPv6.
	assert.equal(types.filter(t => t === 4).length, 3);
	for (const b of blocks) {
		assert.equal(b.length % 4, 0);
		assert.equal(b.readUInt32LE(4), b.length);
		assert.equal(b.readUInt32LE(b.length - 4), b.length);
	}
});

test('tshark -N n shows the pod names from the NRB; capinfos and tshark see both interfaces, named', {skip}, () => {
	const {file} = writeFile();
	const lines = run(['tshark', '-N', 'n', '-r', file]);
	assert.match(lines, /capture-test\/pod-a → capture-test\/pod-b\s+ICMP .*Echo \(ping\) request/);
	assert.match(lines, /capture-test\/pod-b → capture-test\/pod-a\s+ICMP .*Echo \(ping\) reply/);
	const hosts = run(['tshark', '-r', file, '-q', '-z', 'hosts']);
	for (const [ip, name] of names) assert.match(hosts, new RegExp(`^${ip.replaceAll('.', '\\.')}\\s+${name}$`, 'm'));
	const info = run(['capinfos', file]);
	assert.match(info, /Number of interfaces in file: 2/);
	assert.match(info, /Name = capture-test\/pod-a bridge k8snet-cap-br/);
	assert.match(info, /Description = capture-test\/pod-a at host peer veth1, filter: host 10\.244\.200\.2/);
	assert.match(info, new RegExp(`Number of packets:\\s+${fixtureRecords().records.length}\\b`));
	const perInterface = run(['tshark', '-r', file, '-T', 'fields', '-e', 'frame.interface_name']).trim().split('\n');
	assert.deepEqual([...new Set(perInterface)], ['capture-test/pod-a bridge k8snet-cap-br', 'capture-test/pod-a peer veth1']);
});
