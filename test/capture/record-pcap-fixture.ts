// Re-records test/fixtures/capture/: real pcaps from tcpdump on the capture test topology (two pod
// namespaces on a CNI bridge, test/capture/topology.ts), and tcpdump's own reading of each
// (`tcpdump -n -S -r FILE`, absolute sequence numbers), which the decoder's output is compared with. Traffic: ping, ARP, TCP and
// UDP through socat, IPv6 (ping and neighbour discovery) on addresses added for this. This kernel
// has no VLAN devices, so lab-vlan.pcap is the bridge capture's frames with an 802.1Q tag put in.
// UDP through socat, IPv6 (ping and neighbour discovery) on addresses added for this, and a VLAN
// subinterface in each pod. Run as root, holding the machine lock:
//   flock /tmp/k8snet-lab.flock node --import tsx test/capture/record-pcap-fixture.ts
import {execFileSync, spawn} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {createTopology, BRIDGE, NODE_NETNS} from './topology.js';

const out = join(import.meta.dirname, '..', 'fixtures', 'capture');
const sh = (argv: string[]) => execFileSync(argv[0]!, argv.slice(1), {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const topo = createTopology();
try {
	const [a, b] = topo.pods as [typeof topo.pods[0], typeof topo.pods[0]];
	const inPod = (pod: typeof a, argv: string[]) => sh(['ip', 'netns', 'exec', pod.netns, ...argv]);
	for (const [pod, n] of [[a, 'a'], [b, 'b']] as const) {
		inPod(pod, ['ip', '-6', 'addr', 'add', `fd00:200::${n}/64`, 'dev', 'eth0', 'nodad']);
	}
	const captures = [
		{name: 'bridge', iface: BRIDGE},
		{name: 'any', iface: 'any'},
	].map(c => {
		const file = join(out, `lab-${c.name}.pcap`);
		const proc = spawn('ip', ['netns', 'exec', NODE_NETNS, 'tcpdump', '-Z', 'root', '-n', '-U', '-i', c.iface, '-w', file], {stdio: 'ignore'});
		return {...c, file, proc};
	});
	await sleep(1500);
	inPod(a, ['ip', 'neigh', 'flush', 'all']);
	inPod(a, ['ping', '-c', '2', '-i', '0.2', b.ip]);
	inPod(a, ['ping', '-c', '2', '-i', '0.2', '-s', '1000', b.ip]);
	inPod(a, ['ping', '-6', '-c', '2', '-i', '0.2', 'fd00:200::b']);
	const tcpServer = spawn('ip', ['netns', 'exec', b.netns, 'socat', 'TCP-LISTEN:8080,reuseaddr', 'SYSTEM:echo hello'], {stdio: 'ignore'});
	const udpServer = spawn('ip', ['netns', 'exec', b.netns, 'socat', 'UDP-RECV:5353', 'STDOUT'], {stdio: 'ignore'});
	await sleep(500);
	inPod(a, ['sh', '-c', `echo hi | socat - TCP:${b.ip}:8080`]);
	inPod(a, ['sh', '-c', `echo query | socat - UDP-SENDTO:${b.ip}:5353`]);
	inPod(a, ['sh', '-c', `echo query6 | socat - UDP6-SENDTO:[fd00:200::b]:5353`]);
	inPod(a, ['sh', '-c', `echo tcp6 | socat - TCP6:[fd00:200::b]:9 || true`]);
	// An unreachable port: ICMP port unreachable back.
	inPod(a, ['sh', '-c', `echo x | socat - UDP-SENDTO:${b.ip}:9`]);
	await sleep(1000);
	tcpServer.kill();
	udpServer.kill();
	for (const c of captures) c.proc.kill('SIGINT');
	await sleep(1000);
	writeFileSync(join(out, 'lab-vlan.pcap'), withVlanTag(readFileSync(captures[0]!.file), 100));
	for (const name of ['bridge', 'any', 'vlan']) {
		const file = join(out, `lab-${name}.pcap`);
		writeFileSync(file.replace(/\.pcap$/, '.tcpdump.txt'), sh(['tcpdump', '-n', '-S', '-r', file]));
	}
} finally {
	topo.destroy();
}

/** A little-endian Ethernet pcap with an 802.1Q tag (priority 0) after each frame's MAC addresses. */
function withVlanTag(pcap: Buffer, vlan: number): Buffer {
	const parts = [pcap.subarray(0, 24)];
	for (let at = 24; at + 16 <= pcap.length;) {
		const header = Buffer.from(pcap.subarray(at, at + 16));
		const caplen = header.readUInt32LE(8);
		const frame = pcap.subarray(at + 16, at + 16 + caplen);
		header.writeUInt32LE(caplen + 4, 8);
		header.writeUInt32LE(header.readUInt32LE(12) + 4, 12);
		const tag = Buffer.from([0x81, 0x00, vlan >> 8, vlan & 0xff]);
		parts.push(header, frame.subarray(0, 12), tag, frame.subarray(12));
		at += 16 + caplen;
	}
	return Buffer.concat(parts);
}
