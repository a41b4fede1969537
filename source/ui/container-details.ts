// Pure: the Details pane's rows for a container (or the pod's sandbox), read from the one runtime
// record `dump --json` also prints (core/runtime-record.ts), with the API's status where the runtime
// has nothing. A field nobody reported says "unknown" and why, so a blank never passes for a value.
import type {PodRuntimeRecord} from '../core/runtime-record.js';
import type {ContainerInfo, RuntimeContainer} from '../core/types.js';

export type Facts = Array<[string, string]>;

const unknown = (why: string) => `unknown (${why})`;

/** `containerd://abc` as the API says it → `abc`, and which runtime the API named. */
function apiContainerId(info: ContainerInfo | undefined): {id: string; runtime: string} | null {
	const match = info?.containerID?.match(/^([^:]+):\/\/(.+)$/);
	return match ? {runtime: match[1]!, id: match[2]!} : null;
}

function stateText(state: string, reason: string | null, exitCode: number | null): string {
	const parts = [reason, exitCode === null ? null : `exit code ${exitCode}`].filter(part => part !== null);
	return parts.length === 0 ? state : `${state} (${parts.join(', ')})`;
}

/**
 * One container: `record` is the runtime's, `info` the API's; `noRecord` says why the runtime has no
 * record of it (no runtime on the node, not probed yet, not created yet...).
 */
export function containerFacts(info: ContainerInfo | undefined, record: RuntimeContainer | undefined, noRecord: string): Facts {
	const api = apiContainerId(info);
	const fromRuntime = (value: string | null, missing: string) => (value === null ? unknown(missing) : value);
	const gone = record ? 'the runtime did not report it' : noRecord;
	const notRunning = record && record.state !== 'running' ? `not running: ${record.state}` : gone;
	const apiState = info ? stateText(info.state, info.reason, null) : null;
	return [
		['ID', record?.id ?? (api ? `${api.id} (from the API)` : unknown(info ? 'not created yet' : gone))],
		['image', record?.image ?? info?.image ?? unknown(gone)],
		['imageID', fromRuntime(record?.imageID ?? null, gone)],
		['state', record ? stateText(record.state, record.reason, record.exitCode) : apiState ? `${apiState} (from the API)` : unknown(gone)],
		['restarts', record?.restarts != null ? String(record.restarts) : info ? `${info.restarts} (from the API)` : unknown(gone)],
		['started', fromRuntime(record?.startedAt ?? null, gone)],
		['PID', record?.pid != null ? String(record.pid) : unknown(notRunning)],
		['netns', record?.netnsInode != null ? `net:[${record.netnsInode}]` : unknown(notRunning)],
		['cgroup', fromRuntime(record?.cgroup ?? null, gone)],
		['runtime', record?.runtime ?? (api ? `${api.runtime} (from the API)` : unknown(gone))],
	];
}

/** The pause sandbox that holds the pod's netns. */
export function sandboxFacts(sandbox: PodRuntimeRecord['sandbox'], runtimeKind: string | null, noRecord: string): Facts {
	if (sandbox === null) {
		return [['ID', unknown(noRecord)], ['state', unknown(noRecord)], ['PID', unknown(noRecord)], ['netns', unknown(noRecord)]];
	}
	const stopped = sandbox.pid === null ? `not running: ${sandbox.state}` : 'the runtime did not report it';
	return [
		['ID', sandbox.id],
		['state', sandbox.state],
		['PID', sandbox.pid === null ? unknown(stopped) : String(sandbox.pid)],
		['netns', sandbox.netnsInode === null ? unknown(stopped) : `net:[${sandbox.netnsInode}]`],
		['netns file', sandbox.netnsPath ?? unknown(stopped)],
		['runtime', runtimeKind ?? unknown(noRecord)],
	];
}
