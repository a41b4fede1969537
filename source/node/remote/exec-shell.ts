// A node that is a container on this machine (minikube's docker driver, kind): commands go through
// an argv prefix, `docker exec -i NAME` by default. -i keeps stdin attached, which is how the
// node-side watchdog learns that our client is gone (a killed `docker exec` stops nothing itself).
import type {Result} from '../../core/types.js';
import {runProcess} from '../child-process.js';
import {clientChannels} from './remote-process.js';
import {createRemoteShell, type RemoteShell, type RemoteTransport} from './remote-shell.js';

const DAEMON_ERRORS = /Error response from daemon|No such container|is not running|Cannot connect to the Docker daemon|permission denied while trying to connect|Error: no container with name or ID|OCI runtime exec failed/i;

/** The prefix as a person would type it to run one command: without -i/-t. */
function shown(prefix: readonly string[]): string {
	return prefix.filter(word => !/^-[it]+$/.test(word)).join(' ');
}

export function createExecShell(prefix: readonly string[]): RemoteShell {
	const client = clientChannels(remote => [...prefix, ...remote]);
	const transport: RemoteTransport = {
		access: {kind: 'exec', target: shown(prefix)},
		via: shown(prefix),
		connect: () => Promise.resolve({ok: true, value: undefined}),
		open: client.open,
		stream: client.stream,
		transportFailure(result) {
			const missing = client.missing(result);
			if (missing) return missing;
			if (result.failure !== null) return {reason: result.failure, hint: `the node container does not answer; try: ${shown(prefix)} true`};
			if (result.exitCode !== 0 && DAEMON_ERRORS.test(result.stderr)) {
				const line = result.stderr.split('\n').find(l => DAEMON_ERRORS.test(l))?.trim() ?? '';
				return {reason: `${prefix[0]} could not run a command in the node: ${line}`, hint: `check that the node container runs: ${prefix[0]} ps`};
			}

			return null;
		},
		close: () => undefined,
	};
	return createRemoteShell(transport);
}

const ENGINES = ['docker', 'podman'] as const;
// kind and minikube label their node containers; any other container named like a node may be
// anything, and is never entered as root on a guess.
const NODE_LABELS = ['io.x-k8s.kind.cluster', 'name.minikube.sigs.k8s.io'] as const;

async function runningNamed(engine: string, node: string, filters: readonly string[]): Promise<boolean> {
	const exact = node.replaceAll('.', '\\.');
	const listed = await runProcess([engine, 'ps', '--filter', `name=^/?${exact}$`, ...filters, '--format', '{{.Names}}'], {timeoutMs: 5000});
	if (listed.failure !== null || listed.exitCode !== 0) return false;
	return listed.stdout.split('\n').some(line => line.trim().replace(/^\//, '') === node);
}

/**
 * A running kind or minikube node container named exactly like the node, under docker or podman:
 * its exec prefix. A container with that name but neither label is a failure that says how to
 * enter it anyway; null when no container has the name.
 */
export async function detectNodeContainer(node: string): Promise<Result<string[]> | null> {
	if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(node)) return null;
	for (const engine of ENGINES) {
		if (!(await runningNamed(engine, node, []))) continue;
		for (const label of NODE_LABELS) {
			if (await runningNamed(engine, node, ['--filter', `label=${label}`])) return {ok: true, value: [engine, 'exec', '-i', node]};
		}

		return {
			ok: false,
			reason: `the ${engine} container "${node}" is named like the node but carries no kind or minikube label, so it is not entered on a guess`,
			hint: `if it is the node, pass --node-exec '${engine} exec -i ${node}'`,
		};
	}

	return null;
}
