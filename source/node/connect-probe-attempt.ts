// `k8snet-tui __connect-probe IP PORT tcp|udp`: run by connect-probe.ts under `nsenter --net`, so
// the attempt leaves from the pod's network namespace. One TCP connect, or one UDP datagram and
// the wait for an answer, within 2 s; prints {"result","ms"} and exits 0.
import {createSocket} from 'node:dgram';
import {Socket} from 'node:net';
import {outcomeOfError, type ProbeOutcome} from '../core/connect-probe-result.js';

export const PROBE_TIMEOUT_MS = 2000;

function tcp(ip: string, port: number): Promise<ProbeOutcome> {
	return new Promise(resolve => {
		const s = new Socket();
		const done = (r: ProbeOutcome) => {
			s.destroy();
			resolve(r);
		};

		s.setTimeout(PROBE_TIMEOUT_MS, () => done('timeout'));
		s.once('connect', () => done('connected'));
		s.once('error', (e: NodeJS.ErrnoException) => done(outcomeOfError(e.code)));
		s.connect(port, ip);
	});
}

/** Connected UDP: an ICMP port unreachable comes back as ECONNREFUSED; silence is a timeout. */
function udp(ip: string, port: number): Promise<ProbeOutcome> {
	return new Promise(resolve => {
		const s = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
		const timer = setTimeout(() => done('timeout'), PROBE_TIMEOUT_MS);
		function done(r: ProbeOutcome) {
			clearTimeout(timer);
			s.close();
			resolve(r);
		}

		s.once('message', () => done('connected'));
		s.once('error', (e: NodeJS.ErrnoException) => done(outcomeOfError(e.code)));
		s.connect(port, ip, () => s.send('k8snet-tui probe\n'));
	});
}

export async function runConnectAttempt(args: string[]): Promise<number> {
	const [ip, portText, proto] = args;
	const port = Number(portText);
	if (ip === undefined || !Number.isInteger(port) || port < 1 || port > 65_535 || (proto !== 'tcp' && proto !== 'udp')) {
		console.error('usage: k8snet-tui __connect-probe IP PORT tcp|udp');
		return 1;
	}

	const t0 = performance.now();
	const result = proto === 'tcp' ? await tcp(ip, port) : await udp(ip, port);
	console.log(JSON.stringify({result, ms: performance.now() - t0}));
	return 0;
}
