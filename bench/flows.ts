// The Flows benchmark (issue 13): what an open Flows section adds to a TUI poll when the pod's node
// tracks 1,000 of its connections. On `lab up --proxy iptables` with a UDP Service, nginx-1 sends one
// datagram from each of 1,000 sockets to the ClusterIP: the kernel DNATs each and keeps an entry
// (~30 s for UDP), all holding nginx-1's address. Then polls as the session makes them, alternating:
// the node poll alone (Flows closed) and the node poll plus the conntrack read (Flows open). Goal:
// +≤ 10 ms per poll. Needs root and the lab lock; the lab is brought up and down here.
import {execFileSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {resolveTarget} from '../source/app/target.js';
import {readLabState} from '../source/lab/lab-state.js';
import {readPodConntrack} from '../source/node/conntrack/conntrack-read.js';

const BIN = fileURLToPath(new URL('../bin/k8snet-tui.js', import.meta.url));
const RUNS = 15;
const FLOWS = 1000;
const GOAL_MS = 10;

const lab = (args: string[]) => execFileSync(process.execPath, [BIN, 'lab', ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

// One process in the pod's netns: FLOWS sockets, one datagram each, closed once all are sent.
const SENDER = `const dgram = require('node:dgram');
const [ip, port, count] = process.argv.slice(1);
const sockets = [];
let sent = 0;
for (let i = 0; i < Number(count); i++) {
	const s = dgram.createSocket('udp4');
	sockets.push(s);
	s.send('flow', Number(port), ip, () => { if (++sent === Number(count)) setTimeout(() => { for (const x of sockets) x.close(); }, 300); });
}`;

export async function bench(): Promise<Record<string, number | string>> {
	lab(['down']);
	lab(['up', '--proxy', 'iptables', '--pods', '3', '--namespaces', 'default']);
	try {
		lab(['svc', 'add', 'default/flows', '--port', '81', '--selector', 'app=nginx', '--proto', 'udp']);
		const state = readLabState()!;
		const pod = state.pods.find(p => p.name === 'nginx-1')!;
		const service = state.services!.find(s => s.name === 'flows')!;
		const target = await resolveTarget({kubeconfig: state.kubeconfig, context: undefined, namespace: undefined, allNamespaces: false, selector: undefined, node: state.node, allNodes: false, nodeSsh: undefined, nodeExec: undefined, debug: false});
		if (!target.ok) throw new Error(target.reason);
		const {shell} = target.value;
		try {
			execFileSync('nsenter', [`--net=${pod.netnsPath}`, '--', process.execPath, '-e', SENDER, service.clusterIP, '81', String(FLOWS)], {stdio: 'ignore', timeout: 20_000});
			// Warm both: the poller's caches (first poll probes every namespace), the page cache of conntrack.
			const polled = await shell.poller.poll();
			if (!polled.ok) throw new Error(polled.reason);
			const first = await readPodConntrack(shell, state.node, [pod.ip!]);
			if (!first.ok) throw new Error(`${first.reason}; netns now: ${execFileSync('ls', ['/run/netns'], {encoding: 'utf8'}).split('\n').join(' ')}`);

			const closed: number[] = [];
			const open: number[] = [];
			const readOnly: number[] = [];
			let entries = 0;
			for (let i = 0; i < RUNS; i++) {
				let t0 = performance.now();
				await shell.poller.poll();
				closed.push(performance.now() - t0);
				t0 = performance.now();
				await shell.poller.poll();
				const t1 = performance.now();
				const read = await readPodConntrack(shell, state.node, [pod.ip!]);
				const t2 = performance.now();
				open.push(t2 - t0);
				readOnly.push(t2 - t1);
				if (!read.ok) throw new Error(read.reason);
				entries = Math.min(entries || Infinity, read.value.entries.length);
			}

			const added = median(open) - median(closed);
			return {
				'lab': `1 node, --proxy iptables, ${FLOWS} UDP flows nginx-1 → svc/default/flows:81`,
				'pod\'s entries per read (fewest seen)': entries,
				'read source': first.value.source,
				'poll, Flows closed p50 (ms)': median(closed).toFixed(1),
				'poll, Flows open p50 (ms)': median(open).toFixed(1),
				'conntrack read + parse alone p50 (ms)': median(readOnly).toFixed(1),
				'added per poll (ms)': added.toFixed(1),
				'open / closed': (median(open) / median(closed)).toFixed(2),
				'added / 10 ms goal': (added / GOAL_MS).toFixed(2),
			};
		} finally {
			await target.value.registry.close();
		}
	} finally {
		lab(['down']);
	}
}
