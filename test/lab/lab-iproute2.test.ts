// Without containernetworking-plugins the lab builds the same wiring with iproute2 steps and says
// so. K8SNET_LAB_CNI_PATH pointed at an empty folder plays the machine without the plugins.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite, assertKubectlMatches, assertPodsMatchKernel} from './lab-checks.js';
import {eventually, lab, labLeftovers, rootSnapshot, run, status} from './lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'nsenter', 'unshare', 'kubectl', 'ping']});
const noPlugins = mkdtempSync(join(tmpdir(), 'k8snet-no-cni-'));
const env = {K8SNET_LAB_CNI_PATH: noPlugins};
const rootBefore = aroundLabSuite(skip);
after(() => rmSync(noPlugins, {recursive: true, force: true}));

for (const [cni, sandbox] of [['bridge', 'netns'], ['ptp', 'process']] as const) {
	test(`no CNI plugins: ${cni} with ${sandbox} sandboxes by iproute2`, {skip}, async () => {
		const up = await lab(['up', '--pods', '3', '--cni', cni, '--sandbox', sandbox, '--ipv6'], env);
		assert.equal(up.code, 0, up.stderr);
		assert.match(up.stdout, new RegExp(`${cni} built with iproute2 \\(no CNI ${cni} plugin`));
		const st = await status();
		assert.equal(st.builtWith, 'iproute2');
		assert.deepEqual(st.pods.map((p) => p.ip), ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
		await assertPodsMatchKernel(st);
		await eventually(() => assertKubectlMatches(st));
		const [a, b] = st.pods;
		assert.ok(a?.netnsPath && b?.ip);
		await run(['nsenter', `--net=${a.netnsPath}`, '--', 'ping', '-c', '1', '-W', '2', b.ip]);

		// A pod added later gets the next free address.
		assert.equal((await lab(['pod', 'delete', `${a.namespace}/${a.name}`], env)).code, 0);
		assert.equal((await lab(['pod', 'add', 'default/late-1'], env)).code, 0);
		const late = (await status()).pods.find((p) => p.name === 'late-1');
		assert.equal(late?.ip, '10.244.0.2');

		assert.equal((await lab(['down'], env)).code, 0);
		assert.deepEqual(labLeftovers(), []);
		assert.equal(await rootSnapshot(), rootBefore());
	});
}
