// `lab up --runtime containerd`: the lab's containerd started in the node netns, the images
// imported, and the planned pods made through its CRI, the first alone (its CNI ADD creates the
// bridge) and the rest a few at a time, as kubelet's pod workers run.
import type {Result} from '../../core/types.js';
import type {LabNode, LabOptions, LabPod, LabState} from '../lab-state.js';
import {mapLimit} from '../run-command.js';
import {buildLabImages, importLabImages} from './containerd-images.js';
import {containerdMissing, startLabContainerd} from './containerd-daemon.js';
import {labContainerdRecord} from './containerd-paths.js';
import {runCriPod} from './containerd-pods.js';

const POD_CONCURRENCY = 4;

/** The flags `--runtime containerd` works with, or the one line saying which does not. */
export function containerdOptionsProblem(o: LabOptions): Result<void> {
	const bad = (flag: string, why: string): Result<void> => ({ok: false, reason: `--runtime containerd does not take ${flag}: ${why}`, hint: 'drop it, or drop --runtime'});
	if ((o.nodes ?? 1) > 1) return bad(`--nodes ${o.nodes}`, 'the lab runs one containerd, on node 1');
	if (o.sandbox !== 'netns') return bad(`--sandbox ${o.sandbox}`, 'containerd always puts a sandbox in a named netns (/run/netns/cni-*)');
	if (o.oddPods) return bad('--odd-pods', 'the odd pods are made by hand, not through a CRI');
	if (o.ipv6) return bad('--ipv6', 'the lab containerd\'s CNI config is IPv4');
	return {ok: true, value: undefined};
}

export async function buildContainerdLab(state: LabState, node: LabNode, pods: LabPod[], options: LabOptions, save: () => void): Promise<Result<void>> {
	const missing = containerdMissing();
	if (!missing.ok) return missing;
	const images = await buildLabImages();
	if (!images.ok) return images;
	const client = await startLabContainerd(node, options, pid => {
		state.containerd = labContainerdRecord(pid);
		save();
	});
	if (!client.ok) return client;
	try {
		const imported = await importLabImages(images.value);
		if (!imported.ok) return imported;
		const [first, ...rest] = pods;
		const results = first === undefined ? [] : [await runCriPod(client.value, first, save), ...(await mapLimit(rest, POD_CONCURRENCY, pod => runCriPod(client.value, pod, save)))];
		return results.find(r => !r.ok) ?? {ok: true, value: undefined};
	} finally {
		client.value.close();
	}
}
