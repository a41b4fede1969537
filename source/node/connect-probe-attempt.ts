// `k8snet-tui __connect-probe IP PORT tcp|udp [read]`: run by connect-probe.ts under `nsenter --net`,
// so the attempt leaves from the pod's network namespace. One TCP connect, or one UDP datagram and
// the wait for an answer, within 2 s; prints {"result","ms","sport"} and exits 0. With `read` it
// also waits briefly for what the far end says first (lab pods say their name) and prints it as
// "answer": `path --probe` matches it with the kernel's conntrack entry, found by "sport".
import {createSocket} from 'node:dgram';
import {Socket} from 'node:net';
import {outcomeOfError, type ProbeOutcome} from '../core/connect-probe-result.js';

export const PROBE_TIMEOUT_MS = 2000;
/** How long a connected TCP probe waits for a greeting: servers that wait for a request say nothing. */
const GREETING_MS = 500;
const ANSWER_BYTES = 200;

interface Attempt {
	result: ProbeOutcome;
	sport: number | null;
	answer: string | null;
}

const firstLine = (data: string) => data.slice(0, ANSWER_BYTES).split('\n')[0]!.trim();

function tcp(ip: string, port: number, read: boolean): Promise<Attempt> {
	return new Promise(resolve => {
		const s = new Socket();
		let sport: number | null = null;
		let answer = '';
		const done = (result: ProbeOutcome) => {
			s.destroy();
			resolve({result, sport, answer: read && result === 'connected' ? firstLine(answer) || null : null});
		};

		s.setTimeout(PROBE_TIMEOUT_MS, () => done('timeout'));
		s.once('connect', () => {
			sport = s.localPort ?? null;
			if (!read) return done('connected');
			s.setTimeout(GREETING_MS, () => done('connected'));
			s.on('data', (chunk: Buffer) => {
				answer += chunk.toString('utf8');
				if (answer.includes('\n') || answer.length >= ANSWER_BYTES) done('connected');
			});
			s.once('end', () => done('connected'));
		});
		s.once('error', (e: NodeJS.ErrnoException) => done(sport === null ? outcomeOfError(e.code) : 'connected'));
		s.connect(port, ip);
	});
}

/** Connected UDP: an ICMP port unreachable comes back as ECONNREFUSED; silence is a timeout. */
function udp(ip: string, port: number): Promise<Attempt> {
	return new Promise(resolve => {
		const s = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
		let sport: number | null = null;
		const timer = setTimeout(() => done('timeout'), PROBE_TIMEOUT_MS);
		function done(result: ProbeOutcome, answer: string | null = null) {
			clearTimeout(timer);
			s.close();
			resolve({result, sport, answer});
		}

		s.once('message', (msg: Buffer) => done('connected', firstLine(msg.toString('utf8')) || null));
		s.once('error', (e: NodeJS.ErrnoException) => done(outcomeOfError(e.code)));
		s.connect(port, ip, () => {
			sport = s.address().port;
			s.send('k8snet-tui probe\n');
		});
	});
}

export async function runConnectAttempt(args: string[]): Promise<number> {
	const [ip, portText, proto, mode] = args;
	const port = Number(portText);
	if (ip === undefined || !Number.isInteger(port) || port < 1 || port > 65_535 || (proto !== 'tcp' && proto !== 'udp') || (mode !== undefined && mode !== 'read')) {
		console.error('usage: k8snet-tui __connect-probe IP PORT tcp|udp [read]');
		return 1;
	}

	const t0 = performance.now();
	const a = proto === 'tcp' ? await tcp(ip, port, mode === 'read') : await udp(ip, port);
	console.log(JSON.stringify({result: a.result, ms: performance.now() - t0, sport: a.sport, ...(mode === 'read' ? {answer: a.answer} : {})}));
	return 0;
}
