// Pure: `docker inspect` JSON of cri-dockerd's containers → one sandbox record per pod.
// cri-dockerd (minikube's default runtime, and dockershim before it) labels what it creates:
//   sandbox:   io.kubernetes.docker.type=podsandbox, io.kubernetes.pod.{name,namespace,uid},
//              named k8s_POD_<pod>_<namespace>_<uid>_<attempt>
//   container: io.kubernetes.docker.type=container, io.kubernetes.container.name,
//              io.kubernetes.sandbox.id, io.kubernetes.pod.uid,
//              named k8s_<container>_<pod>_<namespace>_<uid>_<attempt>
// Labels win; the name is the fallback (Kubernetes names never contain '_', so it splits cleanly).
import {isContainerId} from './container-id.js';
import {asArray, asObject, asPid, asString, dig, stringMap} from './json-fields.js';
import {onePerPod, type ContainerRecord, type SandboxRecord} from './sandbox-record.js';

export const DOCKER_TYPE_LABEL = 'io.kubernetes.docker.type';

interface DockerContainer {
	id: string;
	name: string;
	labels: Record<string, string>;
	pid: number | null;
	status: string;
	running: boolean;
	createdAt: number;
	details: Pick<ContainerRecord, 'image' | 'imageID' | 'exitCode' | 'restarts' | 'startedAt' | 'reason'>;
}

export function parseDockerInspect(json: unknown): SandboxRecord[] {
	const all = asArray(json).map(readContainer).filter(c => c !== null);
	const sandboxes = new Map<string, SandboxRecord>();
	for (const c of all) {
		if (!isSandbox(c)) continue;
		const fromName = splitName(c.name, 'sandbox');
		const podUid = c.labels['io.kubernetes.pod.uid'] ?? fromName?.uid;
		if (podUid === undefined) continue;
		sandboxes.set(c.id, {
			podUid,
			namespace: c.labels['io.kubernetes.pod.namespace'] ?? fromName?.namespace ?? '',
			name: c.labels['io.kubernetes.pod.name'] ?? fromName?.pod ?? '',
			sandboxId: c.id,
			pid: c.running ? c.pid : null,
			netnsPath: null,
			createdAt: c.createdAt,
			running: c.running,
			containers: [],
		});
	}

	const newestSandboxOfPod = new Map(onePerPod([...sandboxes.values()]).map(s => [s.podUid, s]));
	for (const c of all) {
		if (isSandbox(c) || (c.labels[DOCKER_TYPE_LABEL] === undefined && !c.name.startsWith('k8s_'))) continue;
		const fromName = splitName(c.name, 'container');
		const sandboxId = c.labels['io.kubernetes.sandbox.id'];
		const podUid = c.labels['io.kubernetes.pod.uid'] ?? fromName?.uid;
		const sandbox = (sandboxId === undefined ? undefined : sandboxes.get(sandboxId)) ?? (podUid === undefined ? undefined : newestSandboxOfPod.get(podUid));
		if (sandbox === undefined) continue;
		const container: ContainerRecord = {
			name: c.labels['io.kubernetes.container.name'] ?? fromName?.container ?? c.name,
			id: c.id,
			pid: c.running ? c.pid : null,
			state: c.status,
			...c.details,
		};
		sandbox.containers.push(container);
	}

	return onePerPod([...sandboxes.values()]);
}

function isSandbox(c: DockerContainer): boolean {
	const type = c.labels[DOCKER_TYPE_LABEL];
	return type === 'podsandbox' || (type === undefined && c.name.startsWith('k8s_POD_'));
}

function readContainer(value: unknown): DockerContainer | null {
	const object = asObject(value);
	const id = asString(object?.['Id']);
	if (object === null || !isContainerId(id)) return null;
	const status = asString(dig(object, 'State', 'Status')) ?? 'unknown';
	const created = Date.parse(asString(object['Created']) ?? '');
	const started = asString(dig(object, 'State', 'StartedAt'));
	const exitCode = dig(object, 'State', 'ExitCode');
	// cri-dockerd keeps kubelet's annotations as labels, prefixed `annotation.`.
	const restarts = Number(stringMap(dig(object, 'Config', 'Labels'))['annotation.io.kubernetes.container.restartCount'] ?? dig(object, 'RestartCount'));
	return {
		id,
		name: (asString(object['Name']) ?? '').replace(/^\//, ''),
		labels: stringMap(dig(object, 'Config', 'Labels')),
		pid: asPid(dig(object, 'State', 'Pid')),
		status: status.toLowerCase(),
		running: dig(object, 'State', 'Running') === true,
		createdAt: Number.isFinite(created) ? created : 0,
		details: {
			image: asString(dig(object, 'Config', 'Image')),
			imageID: asString(object['Image']),
			exitCode: status.toLowerCase() === 'exited' && typeof exitCode === 'number' ? exitCode : null,
			restarts: Number.isSafeInteger(restarts) && restarts >= 0 ? restarts : null,
			// docker says 0001-01-01T00:00:00Z for a container never started.
			startedAt: started !== null && !started.startsWith('0001-') ? started : null,
			reason: asString(dig(object, 'State', 'Error')) || null,
		},
	};
}

function splitName(name: string, kind: 'sandbox' | 'container'): {container: string; pod: string; namespace: string; uid: string} | null {
	const parts = name.split('_');
	if (parts.length !== 6 || parts[0] !== 'k8s') return null;
	const [, container = '', pod = '', namespace = '', uid = ''] = parts;
	if ((kind === 'sandbox') !== (container === 'POD')) return null;
	return {container, pod, namespace, uid};
}
