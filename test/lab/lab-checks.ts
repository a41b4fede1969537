// Shared by the lab suites: the hooks around a suite that runs the lab, and the assertions that the
// kernel agrees with `lab status` and with the lab's API.
import assert from 'node:assert/strict';
import {existsSync, statSync} from 'node:fs';
import {after, before} from 'node:test';
import {canonicalIp} from '../../source/core/pod-ip.js';
import {type Status, eth0Ips, kubectlPods, lab, netnsOfPid, rootSnapshot, sorted} from './lab-cli.js';

/**
 * Starts the suite from no lab and always ends it with `lab down` (then `cleanup`), even when a test
 * failed. Returns the root netns snapshot taken before the suite, to prove the lab left it unchanged.
 */
export function aroundLabSuite(skip: string | false, cleanup?: () => Promise<unknown>): () => string {
	let rootBefore = '';
	before(async () => {
		if (skip) return;
		await lab(['down']);
		rootBefore = await rootSnapshot();
	});

	after(async () => {
		if (skip) return;
		await lab(['down']);
		await cleanup?.();
	});

	return () => rootBefore;
}

/** Every wired pod: eth0 inside its netns holds exactly its IPs; its containers share that netns. */
export async function assertPodsMatchKernel(st: Status): Promise<void> {
	for (const pod of st.pods) {
		const where = `${pod.namespace}/${pod.name}`;
		if (pod.kind === 'pending') {
			assert.equal(pod.ip, null, where);
			assert.equal(pod.sandboxPid, null, where);
			continue;
		}

		if (pod.kind === 'sandbox-gone') {
			assert.ok(pod.ip, `${where} keeps its IP`);
			assert.ok(pod.netnsPath && !existsSync(pod.netnsPath), `${where}: its netns is gone`);
			assert.equal(pod.sandboxPid, null, `${where}: no sandbox process`);
			assert.deepEqual(pod.containerPids, [], `${where}: no container processes`);
			continue;
		}

		assert.ok(pod.sandboxPid, where);
		const sandboxNet = await netnsOfPid(pod.sandboxPid);
		for (const pid of pod.containerPids) assert.equal(await netnsOfPid(pid), sandboxNet, `${where}: container ${pid} shares the sandbox netns`);
		if (pod.kind === 'host-network') {
			assert.equal(sandboxNet, `net:[${statSync('/run/netns/k8snet-lab-node').ino}]`, `${where} runs in the node netns`);
			assert.deepEqual(pod.ips, ['198.51.100.2']);
			continue;
		}

		assert.ok(pod.netnsPath, where);
		assert.equal(`net:[${statSync(pod.netnsPath).ino}]`, sandboxNet, `${where}: netnsPath is the sandbox's netns`);
		const kernel = sorted(await eth0Ips(pod.netnsPath));
		assert.deepEqual(kernel, sorted(pod.kernelIps), `${where}: eth0 in ${pod.netnsPath}`);
		assert.ok(kernel.length > 0, `${where}: eth0 has an address`);
		switch (pod.kind) {
			case 'normal':
				assert.deepEqual(sorted(pod.ips), kernel, `${where}: API IPs = kernel IPs`);
				break;
			case 'invalid-ip':
				assert.ok(pod.ip, `${where} reports something as its IP`);
				assert.equal(canonicalIp(pod.ip), null, `${where}: the API's "IP" ${pod.ip} is not an IP`);
				break;
			default:
				assert.fail(`${where}: a ${pod.kind} pod is not expected to have a netns of its own`);
		}
	}
}

/** kubectl (Debian's) lists every wired pod Running on k8snet-lab with the kernel's IP. */
export async function assertKubectlMatches(st: Status): Promise<void> {
	assert.ok(st.kubeconfig);
	const rows = await kubectlPods(st.kubeconfig);
	for (const pod of st.pods) {
		const row = rows.get(`${pod.namespace}/${pod.name}`);
		assert.ok(row, `kubectl lists ${pod.namespace}/${pod.name}`);
		assert.equal(row.node, 'k8snet-lab');
		if (pod.kind === 'normal') {
			assert.equal(row.status, 'Running', `${pod.namespace}/${pod.name}`);
			assert.equal(row.ip, pod.kernelIps[0], `${pod.namespace}/${pod.name}: kubectl IP = kernel IP`);
		}
	}

	assert.equal(rows.size, st.pods.length, 'kubectl lists exactly the lab pods');
}
