import assert from 'node:assert/strict';
import {test} from 'node:test';
import {compileCheckArgv, explainExit, parseKernelCounters, tcpdumpArgv} from '../../source/capture/tcpdump.js';
import {quoteCommand} from '../../source/core/shell-quote.js';

test('argv: pcap on stdout, written per packet, no --immediate-mode, a 64 MiB kernel buffer, parent-death signal, stays root, never -p, the filter as one argument', () => {
	assert.deepEqual(tcpdumpArgv({iface: 'cni0', netnsPath: null}, 'host 10.0.0.1 or host fd00::1'), [
		'setpriv', '--pdeathsig', 'KILL', '--', 'tcpdump', '-Z', 'root', '-n', '-B', '65536', '-U', '-w', '-', '-i', 'cni0', 'host 10.0.0.1 or host fd00::1',
	]);
	assert.deepEqual(tcpdumpArgv({iface: 'eth0', netnsPath: '/proc/42/ns/net'}, 'host 10.0.0.1', 2048), [
		'setpriv', '--pdeathsig', 'KILL', '--', 'nsenter', '--net=/proc/42/ns/net', '--',
		'tcpdump', '-Z', 'root', '-n', '-B', '2048', '-U', '-w', '-', '-i', 'eth0', 'host 10.0.0.1',
	]);
	assert.deepEqual(compileCheckArgv({iface: 'any', netnsPath: null}, 'icmp'), ['tcpdump', '-d', '-i', 'any', 'icmp']);
	assert.equal(quoteCommand(['tcpdump', '-i', 'cni0', "host 1.2.3.4 and (port 80)"]), "tcpdump -i cni0 'host 1.2.3.4 and (port 80)'");
});

// stderr as tcpdump 4.99.3 / libpcap 1.10.3 wrote it on this machine.
test('kernel counters from the SIGUSR1 line and from the three exit lines', () => {
	assert.deepEqual(parseKernelCounters('tcpdump: 8 packets captured, 8 packets received by filter, 0 packets dropped by kernel'), {captured: 8, received: 8, dropped: 0});
	assert.deepEqual(parseKernelCounters('7 packets captured'), {captured: 7});
	assert.deepEqual(parseKernelCounters('1 packet received by filter'), {received: 1});
	assert.deepEqual(parseKernelCounters('12 packets dropped by kernel'), {dropped: 12});
	assert.equal(parseKernelCounters('listening on cni0, link-type EN10MB (Ethernet), snapshot length 262144 bytes'), null);
});

test('exit reasons: missing tcpdump, no permission, vanished interface, killed', () => {
	const exit = (exitCode: number | null, signal: string | null = null) => ({exitCode, signal, failure: null});
	assert.match(explainExit(exit(127), ['setpriv: failed to execute tcpdump: No such file or directory'], 'cni0').hint, /apt-get install tcpdump/);
	assert.match(explainExit(exit(127), ['nsenter: failed to execute tcpdump: No such file or directory'], 'eth0').hint, /apt-get install tcpdump/);
	const perm = explainExit(exit(1), ["tcpdump: lo: You don't have permission to perform this capture on that device", '(socket: Operation not permitted)'], 'lo');
	assert.equal(perm.reason, 'no permission to capture on lo');
	assert.match(perm.hint, /CAP_NET_RAW/);
	assert.equal(explainExit(exit(1), ['tcpdump: pcap_loop: The interface disappeared', '7 packets captured'], 'veth1').reason, 'the interface veth1 vanished');
	assert.equal(explainExit(exit(1), ['tcpdump: nonexist: No such device exists', '(No such device exists)'], 'nonexist').reason, 'the interface nonexist vanished');
	assert.equal(explainExit(exit(null, 'SIGKILL'), ['listening on cni0, link-type EN10MB (Ethernet), snapshot length 262144 bytes'], 'cni0').reason, 'tcpdump was killed (SIGKILL)');
	assert.equal(explainExit(exit(0), [], 'cni0').reason, 'tcpdump exited with code 0');
	// Under the watchdog, a tcpdump killed from outside is its sh's exit status 128 + 9.
	assert.equal(explainExit(exit(137), [], 'cni0').reason, 'tcpdump was killed (SIGKILL)');
});
