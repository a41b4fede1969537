// `lab up` on a lab that is up with the same options: the kernel side is there, but an API daemon
// may have died (OOM, kill -9). "Already up" would then leave every client refused, so the dead
// daemon is started again, on the same port (the kubeconfig, the forwarder and the state stay right).
import type {Result} from '../core/types.js';
import {
	API_FORWARD_RUNNING_TITLE,
	API_FORWARD_TITLE,
	API_SERVER_RUNNING_TITLE,
	API_SERVER_TITLE,
	type LabApiInfo,
	readApiJson,
	startApiForwarder,
	startApiServer,
} from './lab-api-daemons.js';
import {isLabProcess, readArgv} from './lab-process.js';
import {LAB_API_JSON, type LabState, writeLabState} from './lab-state.js';

type Role = 'server' | 'forwarder';

function roleOf(pid: number): Role | null {
	if (!isLabProcess(pid)) return null;
	const argv0 = readArgv(pid)?.[0];
	if (argv0 === API_SERVER_TITLE || argv0 === API_SERVER_RUNNING_TITLE) return 'server';
	if (argv0 === API_FORWARD_TITLE || argv0 === API_FORWARD_RUNNING_TITLE) return 'forwarder';
	return null;
}

/** Restarts whichever API daemon of `state` is not running; says what it did (nothing: []). */
export async function reviveApiDaemons(state: LabState): Promise<Result<string[]>> {
	const alive = new Map(state.daemonPids.map((pid) => [pid, roleOf(pid)] as const).filter((e): e is [number, Role] => e[1] !== null));
	const running = (role: Role) => [...alive.values()].includes(role);
	if (running('server') && running('forwarder')) return {ok: true, value: []};

	const dead = state.daemonPids.filter((pid) => !alive.has(pid));
	const done: string[] = [];
	state.daemonPids = [...alive.keys()];
	const record = (pid: number) => {
		state.daemonPids.push(pid);
		writeLabState(state);
	};

	const port = Number(new URL(state.apiServer).port);
	// A live server's api.json names the sockets the forwarder needs.
	let api: LabApiInfo | null = running('server') ? readApiJson() : null;
	if (!running('server')) {
		const started = await startApiServer(record, {port});
		if (!started.ok) return withHint(started);
		api = started.value;
		done.push(`the API server had died: restarted it on port ${port} (pid ${api.pid})`);
	}

	if (!running('forwarder')) {
		if (api === null) return withHint({reason: `the API server runs, but its ${LAB_API_JSON} is unreadable`, hint: 'the forwarder cannot be restarted without it'});
		const started = await startApiForwarder(api, record);
		if (!started.ok) return withHint(started);
		done.push(`the API forwarder had died: restarted it (pid ${state.daemonPids.at(-1)})`);
	}

	writeLabState(state);
	if (dead.length > 0) done.push(`gone: pid ${dead.join(', ')}`);
	return {ok: true, value: done};
}

function withHint(r: {reason: string; hint: string}): Result<never> {
	return {ok: false, reason: `restarting the lab API: ${r.reason}`, hint: `${r.hint}; \`k8snet-tui lab down\` then \`lab up\` builds it afresh`};
}
