// --sandbox mixed --ipv6 --odd-pods --traffic: both sandbox styles at once, dual-stack pods, the four
// odd pods later issues test against, and the pingers that give captures something to show.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite, assertPodsMatchKernel} from './lab-checks.js';
import {eventually, kubectlPods, lab, labLeftovers, processRunning, rootSnapshot, run, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'kubectl', 'ping'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
const rootBefore = aroundLabSuite(skip);

test('mixed sandboxes, dual-stack, odd pods and traffic', {skip}, async () => {
	const up = await lab(['up', '--pods', '2', '--sandbox', 'mixed', '--ipv6', '--odd-pods', '--traffic', '--namespaces', 'default,lab,team-a']);
	assert.equal(up.code, 0, up.stderr);
	const st = await status();
	const byName = new Map(st.pods.map((p) => [p.name, p]));
	assert.equal(st.pods.length, 6);

	const [n1, n2] = [byName.get('nginx-1'), byName.get('nginx-2')];
	assert.match(n1?.netnsPath ?? '', /^\/run\/netns\/k8snet-lab-cni-/);
	assert.match(n2?.netnsPath ?? '', /^\/proc\/\d+\/ns\/net$/);
	for (const p of [n1, n2]) {
		assert.equal(p?.ips.length, 2, 'dual-stack');
		assert.match(p?.ips[1] ?? '', /^fd00:10:244::/);
	}

	assert.equal(byName.get('odd-hostnet')?.kind, 'host-network');
	assert.equal(byName.get('odd-pending')?.ip, null);
	assert.equal(byName.get('odd-sandbox-gone')?.kind, 'sandbox-gone');
	assert.equal(byName.get('odd-bad-ip')?.ip, '10.244.0.999;touch /tmp/pwned');
	await assertPodsMatchKernel(st);

	assert.ok(st.kubeconfig);
	const kubeconfig = st.kubeconfig;
	await eventually(async () => {
		const rows = await kubectlPods(kubeconfig);
		assert.equal(rows.get('default/odd-hostnet')?.ip, '198.51.100.2');
		assert.equal(rows.get('lab/odd-pending')?.ip, '<none>');
		assert.equal(rows.get(`${n1?.namespace}/nginx-1`)?.ip, n1?.ips[0]);
	});

	// Traffic: pingers run, titled, and their echo requests show on the pods' veths.
	assert.equal(st.trafficPids?.length, 2);
	for (const pid of st.trafficPids ?? []) assert.ok(processRunning(pid));
	const seen = await run(['timeout', '4', 'ip', 'netns', 'exec', 'k8snet-lab-node', 'tcpdump', '-n', '-i', 'bridge', '-c', '2', 'icmp']).catch((e: {stdout?: string}) => e.stdout ?? '');
	assert.match(seen, /ICMP echo/);
});

test('pod delete kills the pingers that hold its netns', {skip}, async () => {
	assert.equal((await lab(['pod', 'delete', 'default/nginx-1'])).code, 0);
	const st = await status();
	assert.equal(st.trafficPids?.length, 1);
	const names = (await run(['ip', 'netns', 'list'])).split('\n').filter((l) => l.startsWith('k8snet-lab-cni-'));
	assert.deepEqual(names, [], 'the deleted pod was the only named-netns pod');
});

test('lab down after all that leaves nothing and the root netns unchanged', {skip}, async () => {
	assert.equal((await lab(['down'])).code, 0);
	assert.deepEqual(labLeftovers(), []);
	assert.equal(await rootSnapshot(), rootBefore());
});
