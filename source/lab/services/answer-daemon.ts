// `lab __answer --node NODE`: the one process per lab node that makes every pod of that node answer
// on TCP and UDP 80 and 81 with "NS/NAME\n", so a test (or a user with nc) sees which endpoint
// served a connection. It follows the state file: a pod added gets its ports bound (answer-binder.ts),
// a pod deleted has them closed, so its netns is not held. It writes what it serves to
// answer-NODE.json, and exits by itself when the lab is gone (no state file, or no node netns).
import type {Socket as UdpSocket} from 'node:dgram';
import {existsSync} from 'node:fs';
import {rename, writeFile} from 'node:fs/promises';
import type {Server, Socket} from 'node:net';
import {watchStateFile} from '../api/state-file-watch.js';
import {netnsIdentity, netnsPath} from '../lab-node.js';
import {labNodes} from '../lab-nodes.js';
import {LAB_STATE_FILE, type LabPod, type LabState, readLabState} from '../lab-state.js';
import {serialRuns} from '../serial-runs.js';
import {type PodSockets, bindInNetns, close} from './answer-binder.js';
import {ANSWER_RUNNING_TITLE, answerStatusFile, answeringPods} from './answer-pods.js';

const WATCHDOG_MS = 1000;
const BIND_CONCURRENCY = 4;

interface Served {
	pod: LabPod;
	sockets: PodSockets;
}

function serve(pod: LabPod, s: PodSockets): void {
	const name = `${pod.namespace}/${pod.name}\n`;
	for (const tcp of s.tcp as Server[]) {
		tcp.on('connection', (c: Socket) => {
			c.on('error', () => undefined);
			c.end(name);
		});
		tcp.on('error', () => undefined);
	}

	for (const udp of s.udp as UdpSocket[]) {
		udp.on('message', (_msg, from) => udp.send(name, from.port, from.address));
		udp.on('error', () => undefined);
	}
}

/** A pod's identity here: its uid and its netns's inode, so a pod re-made under one name is bound anew. */
const keyOf = (pod: LabPod) => `${pod.uid}|${netnsIdentity(pod.netnsPath as string) ?? 'gone'}`;

export async function runAnswerDaemon(node: string | undefined): Promise<number> {
	process.title = ANSWER_RUNNING_TITLE;
	if (node === undefined) {
		console.error('lab __answer needs --node NODE');
		return 1;
	}

	const served = new Map<string, Served>();
	const failed = new Map<string, string>();

	const writeStatus = async () => {
		const file = answerStatusFile(node);
		const status = {pid: process.pid, serving: [...served.values()].map((s) => s.pod.uid), failed: Object.fromEntries(failed)};
		await writeFile(`${file}.tmp`, JSON.stringify(status) + '\n', {mode: 0o644}).catch(() => undefined);
		await rename(`${file}.tmp`, file).catch(() => undefined);
	};

	const reconcile = async (state: LabState) => {
		const wanted = new Map(answeringPods(state, node).filter((p) => existsSync(p.netnsPath as string)).map((p) => [keyOf(p), p]));
		for (const [key, s] of served) {
			if (wanted.has(key)) continue;
			close(s.sockets);
			served.delete(key);
		}

		const todo = [...wanted].filter(([key]) => !served.has(key));
		failed.clear();
		for (let i = 0; i < todo.length; i += BIND_CONCURRENCY) {
			await Promise.all(
				todo.slice(i, i + BIND_CONCURRENCY).map(async ([key, pod]) => {
					const r = await bindInNetns(pod.netnsPath as string);
					if (!r.ok) {
						failed.set(pod.uid, r.reason);
						return;
					}

					serve(pod, r.value);
					served.set(key, {pod, sockets: r.value});
				}),
			);
		}

		await writeStatus();
	};

	const kick = serialRuns(async () => {
		const state = readLabState();
		if (state) await reconcile(state);
	});

	const nodeNetns = () => {
		const state = readLabState();
		const n = state ? labNodes(state).find((x) => x.name === node) : undefined;
		return n ? netnsPath(n.netns) : null;
	};

	return new Promise((resolve) => {
		const watch = watchStateFile(LAB_STATE_FILE, kick);
		const stop = (code: number) => {
			watch.close();
			clearInterval(watchdog);
			for (const s of served.values()) close(s.sockets);
			resolve(code);
		};

		// The lab is gone when its state file or this node's netns is: nothing may outlive it.
		const watchdog = setInterval(() => {
			const ns = nodeNetns();
			if (ns === null || !existsSync(ns)) stop(0);
		}, WATCHDOG_MS);
		for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(s, () => stop(0));
		kick();
	});
}
