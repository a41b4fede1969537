// Which pods answer, the per-node answer daemons `lab up` starts (this CLI again, `lab __answer`,
// titled and in the lab's folder like every lab daemon, so `lab down` ends them), and the wait
// until each node's daemon serves its pods.
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import type {Result} from '../../core/types.js';
import {isAlive, isLabProcess, readArgv, spawnTitled, waitForTitle} from '../lab-process.js';
import {netnsPath} from '../lab-node.js';
import {labNodes, nodeOfPod} from '../lab-nodes.js';
import {LAB_DIR, LAB_PREFIX, type LabPod, type LabState} from '../lab-state.js';
import {selfCommand} from '../self-command.js';

export const ANSWER_TITLE = `${LAB_PREFIX}-answer`;
export const ANSWER_RUNNING_TITLE = `${LAB_PREFIX}-answerd`;
export const ANSWER_LOG = join(LAB_DIR, 'answer.log');

export const answerStatusFile = (node: string) => join(LAB_DIR, `answer-${node}.json`);

/** Pods wired into a netns of their own on `node`: the ones that can answer. */
export function answeringPods(state: LabState, node: string): LabPod[] {
	return state.pods.filter((p) => p.kind === 'normal' && p.netnsPath !== null && nodeOfPod(state, p).name === node);
}

export async function startAnswerDaemons(state: LabState, onPid: (pid: number) => void, only?: ReadonlySet<string>): Promise<Result<void>> {
	for (const node of labNodes(state)) {
		if (only && !only.has(node.name)) continue;
		const pid = spawnTitled({title: ANSWER_TITLE, argv: [...selfCommand(), 'lab', '__answer', '--node', node.name], netns: {kind: 'join', path: netnsPath(node.netns)}, log: ANSWER_LOG});
		onPid(pid);
		if (!(await waitForTitle(pid, ANSWER_TITLE, {anyLabTitle: true}))) return {ok: false, reason: `the answer daemon of ${node.name} did not start`, hint: `its log: ${ANSWER_LOG}`};
	}

	return {ok: true, value: undefined};
}

/** The node's daemon, if the one its status file names still runs (a reused pid is not it). */
function runningDaemon(node: string, state: LabState): number | null {
	const pid = readStatus(node)?.pid;
	if (pid === undefined || !(state.answerPids ?? []).includes(pid) || !isAlive(pid) || !isLabProcess(pid)) return null;
	const title = readArgv(pid)?.[0];
	return title === ANSWER_TITLE || title === ANSWER_RUNNING_TITLE ? pid : null;
}

/**
 * `lab up` on a lab that is up: a node whose answer daemon died (OOM, kill -9) gets a new one, or
 * its pods would stop answering and every Service test against it would time out. Says what it did.
 */
export async function reviveAnswerDaemons(state: LabState, save: () => void): Promise<Result<string[]>> {
	if (state.answerPids === undefined) return {ok: true, value: []};
	const dead = new Set(labNodes(state).map((node) => node.name).filter((node) => runningDaemon(node, state) === null));
	if (dead.size === 0) return {ok: true, value: []};
	const alive = labNodes(state).map((node) => runningDaemon(node.name, state)).filter((pid): pid is number => pid !== null);
	state.answerPids = alive;
	save();
	// The dead daemon's status would read as "died" to the wait below.
	for (const node of dead) rmSync(answerStatusFile(node), {force: true});
	const started = await startAnswerDaemons(state, (pid) => {
		state.answerPids = [...(state.answerPids ?? []), pid];
		save();
	}, dead);
	if (!started.ok) return started;
	const answering = await waitAnswering(state);
	if (!answering.ok) return answering;
	return {ok: true, value: [`the answer daemon of ${[...dead].join(', ')} had died: restarted it`]};
}

interface AnswerStatus {
	pid: number;
	serving: string[];
	failed: Record<string, string>;
}

function readStatus(node: string): AnswerStatus | null {
	try {
		return JSON.parse(readFileSync(answerStatusFile(node), 'utf8')) as AnswerStatus;
	} catch {
		return null;
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every node's daemon serves exactly its answering pods (a pod it could not bind fails the wait). */
export async function waitAnswering(state: LabState, timeoutMs = 30_000): Promise<Result<void>> {
	const deadline = Date.now() + timeoutMs;
	let missing: string[] = [];
	while (Date.now() < deadline) {
		missing = [];
		for (const node of labNodes(state)) {
			const status = readStatus(node.name);
			const want = answeringPods(state, node.name);
			const bad = want.find((p) => status?.failed[p.uid] !== undefined);
			if (bad) return {ok: false, reason: `pod ${bad.namespace}/${bad.name} cannot answer on 80/81: ${status?.failed[bad.uid]}`, hint: `the answer daemon's log: ${ANSWER_LOG}`};
			if (status !== null && !isAlive(status.pid)) return {ok: false, reason: `the answer daemon of ${node.name} died`, hint: `its log: ${ANSWER_LOG}; \`k8snet-tui lab down\` and up again`};
			const serving = new Set(status?.serving ?? []);
			missing.push(...want.filter((p) => !serving.has(p.uid)).map((p) => `${p.namespace}/${p.name}`));
		}

		if (missing.length === 0) return {ok: true, value: undefined};
		await sleep(50);
	}

	return {ok: false, reason: `pods not answering on 80/81 after ${timeoutMs / 1000} s: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`, hint: `the answer daemon's log: ${ANSWER_LOG}`};
}
