// A lab pod made the way kubelet makes one, over the lab containerd's CRI: RunPodSandbox (metadata,
// labels, log directory, DNS config, a cgroup parent of the lab's own), then CreateContainer and
// StartContainer for each container. containerd calls the CNI plugin itself and bind-mounts the
// pod's netns at /run/netns/cni-<uuid>; the record gets the ids, pids and IPs containerd reports.
import {join} from 'node:path';
import type {Result} from '../../core/types.js';
import type {CriClient, CriMessage} from '../../node/runtime/cri-client.js';
import {POD_UID_LABEL, RESTART_COUNT_ANNOTATION, sandboxProcess} from '../../node/runtime/cri-records.js';
import type {LabPod} from '../lab-state.js';
import {CONTAINERD_POD_LOGS, LAB_CGROUP_PARENT} from './containerd-paths.js';

/** RunPodSandbox waits for the CNI ADD; a loaded 2-core machine gets slack. */
const SANDBOX_TIMEOUT_MS = 60_000;
const CLUSTER_DNS = '10.96.0.10';

/** What kubelet labels every sandbox and container with (pkg/kubelet/types/labels.go). */
function podLabels(pod: LabPod): Record<string, string> {
	return {'io.kubernetes.pod.name': pod.name, 'io.kubernetes.pod.namespace': pod.namespace, [POD_UID_LABEL]: pod.uid};
}

export function sandboxConfig(pod: LabPod): CriMessage {
	return {
		metadata: {name: pod.name, uid: pod.uid, namespace: pod.namespace, attempt: 0},
		hostname: pod.name,
		logDirectory: join(CONTAINERD_POD_LOGS, `${pod.namespace}_${pod.name}_${pod.uid}`),
		dnsConfig: {servers: [CLUSTER_DNS], searches: [`${pod.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'], options: ['ndots:5']},
		labels: podLabels(pod),
		annotations: {'kubernetes.io/config.source': 'api', 'kubernetes.io/config.seen': pod.createdAt},
		linux: {cgroupParent: `${LAB_CGROUP_PARENT}/pod${pod.uid}`},
	};
}

function fail(pod: LabPod, step: string, r: {reason: string; hint: string}): {ok: false; reason: string; hint: string} {
	return {ok: false, reason: `pod ${pod.namespace}/${pod.name}: ${step}: ${r.reason}`, hint: r.hint};
}

/** Builds `pod` through the CRI, saving the record after the sandbox and after the containers. */
export async function runCriPod(client: CriClient, pod: LabPod, save: () => void): Promise<Result<void>> {
	const config = sandboxConfig(pod);
	const run = await client.call('RunPodSandbox', {config}, SANDBOX_TIMEOUT_MS);
	if (!run.ok) return fail(pod, 'RunPodSandbox', run);
	const sandboxId = String(run.value['podSandboxId'] ?? '');
	pod.sandboxId = sandboxId;
	save();
	const status = await client.call('PodSandboxStatus', {podSandboxId: sandboxId, verbose: true});
	if (!status.ok) return fail(pod, 'PodSandboxStatus', status);
	const {pid, netnsPath} = sandboxProcess(status.value);
	const network = (status.value['status'] as {network?: {ip?: string; additionalIps?: Array<{ip?: string}>}} | undefined)?.network;
	const ips = [network?.ip ?? '', ...(network?.additionalIps ?? []).map(a => a.ip ?? '')].filter(ip => ip !== '');
	Object.assign(pod, {sandboxPid: pid, netnsPath, netnsName: null, ips, kernelIps: ips, ip: ips[0] ?? null});
	save();

	for (const container of pod.containers) {
		const created = await client.call('CreateContainer', {
			podSandboxId: sandboxId,
			config: {
				metadata: {name: container.name, attempt: 0},
				image: {image: container.image},
				labels: {...podLabels(pod), 'io.kubernetes.container.name': container.name},
				annotations: {[RESTART_COUNT_ANNOTATION]: '0'},
				logPath: `${container.name}/0.log`,
			},
			sandboxConfig: config,
		});
		if (!created.ok) return fail(pod, `CreateContainer ${container.name}`, created);
		container.id = String(created.value['containerId'] ?? '');
		const started = await client.call('StartContainer', {containerId: container.id});
		if (!started.ok) return fail(pod, `StartContainer ${container.name}`, started);
		const cs = await client.call('ContainerStatus', {containerId: container.id, verbose: true});
		container.pid = cs.ok ? sandboxProcess(cs.value).pid : null;
	}

	save();
	return {ok: true, value: undefined};
}
