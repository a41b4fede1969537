// Starting the lab's policy agent (`lab up --policy enforce`): this CLI again as `lab __policy-agent`,
// titled and in the lab's folder like every lab daemon, so `lab down` ends it; `lab up` returns
// only once it has programmed every node, so the lab enforces from its first moment.
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import type {Result} from '../../core/types.js';
import {isAlive, spawnTitled, waitForTitle} from '../lab-process.js';
import {LAB_DIR, LAB_PREFIX} from '../lab-state.js';
import {selfCommand} from '../self-command.js';

export const POLICY_AGENT_TITLE = `${LAB_PREFIX}-policy-agent`;
export const POLICY_AGENT_LOG = join(LAB_DIR, 'policy-agent.log');
export const POLICY_AGENT_STATUS = join(LAB_DIR, 'policy-agent.json');

export interface PolicyAgentStatus {
	pid: number;
	/** `ns/name` of every policy in the last ruleset programmed on every node, sorted. */
	policies: string[];
	pods: number;
	/** Directions of pods isolated, over all nodes. */
	isolated: number;
	syncedAt: string;
	/** The last sync's failure, if it failed (then the previous ruleset stays). */
	error: string | null;
}

export function readPolicyAgentStatus(): PolicyAgentStatus | null {
	try {
		return JSON.parse(readFileSync(POLICY_AGENT_STATUS, 'utf8')) as PolicyAgentStatus;
	} catch {
		return null;
	}
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export async function startPolicyAgent(onPid: (pid: number) => void, timeoutMs = 15_000): Promise<Result<void>> {
	rmSync(POLICY_AGENT_STATUS, {force: true});
	const pid = spawnTitled({title: POLICY_AGENT_TITLE, argv: [...selfCommand(), 'lab', '__policy-agent'], netns: {kind: 'inherit'}, log: POLICY_AGENT_LOG});
	onPid(pid);
	if (!(await waitForTitle(pid, POLICY_AGENT_TITLE, {anyLabTitle: true}))) return {ok: false, reason: 'the policy agent did not start', hint: `its log: ${POLICY_AGENT_LOG}`};
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const s = readPolicyAgentStatus();
		if (s !== null) return s.error === null ? {ok: true, value: undefined} : {ok: false, reason: `the policy agent could not program the nodes: ${s.error}`, hint: `its log: ${POLICY_AGENT_LOG}`};
		if (!isAlive(pid)) break;
		await sleep(50);
	}

	return {ok: false, reason: `the policy agent programmed no node within ${timeoutMs / 1000} s`, hint: `its log: ${POLICY_AGENT_LOG}`};
}
