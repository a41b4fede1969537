// Starts the lab's Kubernetes API: the server daemon on the host (127.0.0.1 + a unix socket), and a
// forwarder inside the node netns so 127.0.0.1:PORT works there too, as on a real node. Both are
// this CLI run again (self-command.ts), detached and titled so `lab down` finds them.
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import type {Result} from '../core/types.js';
import {NODE_NETNS_PATH, inNetns} from './lab-node.js';
import {isAlive, spawnTitled, waitForTitle} from './lab-process.js';
import {LAB_API_JSON, LAB_DIR, LAB_PREFIX, LAB_STATE_FILE} from './lab-state.js';
import {selfCommand} from './self-command.js';

export const API_SERVER_TITLE = `${LAB_PREFIX}-api-server`;
export const API_FORWARD_TITLE = `${LAB_PREFIX}-api-forward`;
/** What each daemon retitles itself to once running (process.title, in api/daemon.ts). */
export const API_SERVER_RUNNING_TITLE = `${LAB_PREFIX}-api`;
export const API_FORWARD_RUNNING_TITLE = `${LAB_PREFIX}-api-fwd`;
export const API_LOG = join(LAB_DIR, 'api.log');

export interface LabApiInfo {
	pid: number;
	port: number;
	apiServer: string;
	kubeconfig: string;
	socket: string;
	tlsSocket: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The running server's api.json, or null when missing or incomplete. */
export function readApiJson(): LabApiInfo | null {
	try {
		const j = JSON.parse(readFileSync(LAB_API_JSON, 'utf8')) as Partial<LabApiInfo>;
		if (typeof j.port !== 'number' || typeof j.apiServer !== 'string' || typeof j.kubeconfig !== 'string' || typeof j.socket !== 'string' || typeof j.tlsSocket !== 'string') return null;
		return j as LabApiInfo;
	} catch {
		return null;
	}
}

function logTail(): string {
	try {
		return readFileSync(API_LOG, 'utf8').trim().split('\n').slice(-3).join(' / ');
	} catch {
		return '';
	}
}

/**
 * Starts the server daemon and waits (up to timeoutMs) for its api.json. `port`: listen there
 * (a restart keeps the port, so kubeconfigs and the forwarder stay right); else an ephemeral one.
 */
export async function startApiServer(onPid: (pid: number) => void, o: {port?: number; timeoutMs?: number} = {}): Promise<Result<LabApiInfo>> {
	const timeoutMs = o.timeoutMs ?? 5000;
	rmSync(LAB_API_JSON, {force: true});
	const pid = spawnTitled({
		title: API_SERVER_TITLE,
		argv: [...selfCommand(), 'lab', '__api-server', '--state', LAB_STATE_FILE, ...(o.port === undefined ? [] : ['--api-port', String(o.port)])],
		netns: {kind: 'inherit'},
		log: API_LOG,
	});
	onPid(pid);
	const deadline = Date.now() + timeoutMs;
	const started = await waitForTitle(pid, API_SERVER_TITLE, {anyLabTitle: true, timeoutMs});
	while (started && Date.now() < deadline) {
		const info = existsSync(LAB_API_JSON) ? readApiJson() : null;
		if (info) return {ok: true, value: info};
		if (!isAlive(pid)) {
			return {ok: false, reason: `the lab API server exited before it listened${logTail() ? `: ${logTail()}` : ''}`, hint: `its log: ${API_LOG}`};
		}

		await sleep(25);
	}

	return {ok: false, reason: `the lab API server wrote no ${LAB_API_JSON} within ${timeoutMs / 1000} s`, hint: `its log: ${API_LOG}`};
}

async function listening(port: number): Promise<boolean> {
	const r = await inNetns(NODE_NETNS_PATH, ['ss', '-Hltn', `sport = :${port}`]);
	return r.ok && r.value.trim().length > 0;
}

/** Starts the forwarder in the node netns and waits until 127.0.0.1:port listens there. */
export async function startApiForwarder(api: LabApiInfo, onPid: (pid: number) => void, timeoutMs = 5000): Promise<Result<void>> {
	const pid = spawnTitled({
		title: API_FORWARD_TITLE,
		argv: [...selfCommand(), 'lab', '__api-forward', '--api-port', String(api.port), '--socket', api.tlsSocket],
		netns: {kind: 'join', path: NODE_NETNS_PATH},
		log: API_LOG,
	});
	onPid(pid);
	if (!(await waitForTitle(pid, API_FORWARD_TITLE, {anyLabTitle: true}))) return {ok: false, reason: 'the lab API forwarder did not start', hint: `its log: ${API_LOG}`};
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await listening(api.port)) return {ok: true, value: undefined};
		if (!isAlive(pid)) break;
		await sleep(50);
	}

	return {ok: false, reason: `the lab API forwarder is not listening on 127.0.0.1:${api.port} in the node netns${logTail() ? `: ${logTail()}` : ''}`, hint: `its log: ${API_LOG}`};
}
