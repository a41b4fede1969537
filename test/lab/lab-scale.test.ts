// Timing: `lab up` for 4 and for 110 pods (a full node's worth), and `lab down` after each. The
// figures are printed for the report; the bounds only catch a lab that got badly slower.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {eventually, kubectlPods, lab, labLeftovers, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'kubectl'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});

before(async () => {
	if (!skip) await lab(['down']);
});

after(async () => {
	if (!skip) await lab(['down']);
});

for (const pods of [4, 110]) {
	test(`lab up / down with ${pods} pods`, {skip}, async () => {
		const up = await lab(['up', '--pods', String(pods)]);
		assert.equal(up.code, 0, up.stderr);
		const st = await status();
		assert.equal(st.pods.length, pods);
		assert.ok(st.kubeconfig);
		const kubeconfig = st.kubeconfig;
		await eventually(async () => {
			const rows = await kubectlPods(kubeconfig);
			assert.equal([...rows.values()].filter((r) => r.status === 'Running').length, pods);
		});
		const down = await lab(['down']);
		assert.equal(down.code, 0);
		assert.deepEqual(labLeftovers(), []);
		console.log(`lab up --pods ${pods}: ${up.ms} ms, lab down: ${down.ms} ms (CLI wall times, node start-up included)`);
		assert.ok(up.ms < pods * 200 + 15_000, `lab up took ${up.ms} ms`);
	});
}
