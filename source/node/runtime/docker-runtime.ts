// cri-dockerd nodes (minikube's default): two docker commands for the whole node, whatever the pod
// count. The docker CLI reads DOCKER_HOST / DOCKER_CONTEXT from the environment it inherits.
import type {NodeShell} from '../node-shell.js';
import {isContainerId} from './container-id.js';
import {DOCKER_TYPE_LABEL, parseDockerInspect} from './docker-inspect.js';
import {firstErrorLine, notInstalled, type RuntimeOutcome} from './runtime-outcome.js';

export async function dockerRuntime(shell: NodeShell): Promise<RuntimeOutcome> {
	const listed = await shell.run(['docker', 'ps', '--all', '--quiet', '--no-trunc', '--filter', `label=${DOCKER_TYPE_LABEL}`]);
	if (notInstalled(listed)) return {status: 'absent', processes: 1};
	if (listed.exitCode !== 0) return {status: 'failed', reason: `docker: ${firstErrorLine(listed)}`, processes: 1};
	const ids = [...new Set(listed.stdout.split('\n').map(line => line.trim()).filter(isContainerId))];
	if (ids.length === 0) return {status: 'found', kind: 'docker', records: [], processes: 1};

	const inspected = await shell.run(['docker', 'inspect', '--type', 'container', ...ids]);
	// A container removed between the two commands makes inspect exit 1 but still print the others.
	let json: unknown;
	try {
		json = JSON.parse(inspected.stdout);
	} catch {
		return {status: 'failed', reason: `docker inspect: ${firstErrorLine(inspected)}`, processes: 2};
	}

	return {status: 'found', kind: 'docker', records: parseDockerInspect(json), processes: 2};
}
