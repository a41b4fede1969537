// `--runtime containerd`: which flags it takes, each refusal one line; and the config it writes
// keeps every path under the lab's folder (never the host's /run/containerd or /var/lib/containerd).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {containerdConfig, containerdConflist} from '../../source/lab/containerd/containerd-config.js';
import {containerdOptionsProblem} from '../../source/lab/containerd/containerd-lab.js';
import {resolveLabOptions, sameLabOptions} from '../../source/lab/lab-options.js';
import {LAB_DIR, type LabNode} from '../../source/lab/lab-state.js';

const flags = {ipv6: false, oddPods: false, traffic: false};

test('--runtime takes containerd only, and it is part of the lab\'s identity', () => {
	const r = resolveLabOptions({...flags, runtime: 'crio'});
	assert.ok(!r.ok);
	assert.equal(r.reason, '--runtime must be containerd');
	const containerd = resolveLabOptions({...flags, runtime: 'containerd'});
	const plain = resolveLabOptions(flags);
	assert.ok(containerd.ok && plain.ok);
	assert.equal(containerd.value.runtime, 'containerd');
	assert.equal(sameLabOptions(containerd.value, plain.value), false);
	assert.equal('runtime' in plain.value, false, 'a lab without --runtime keeps the options it had');
});

test('the combinations a containerd lab cannot make are refused, one line each', () => {
	const cases: Array<[Parameters<typeof resolveLabOptions>[0], RegExp]> = [
		[{...flags, nodes: 2}, /^--runtime containerd does not take --nodes 2: /],
		[{...flags, sandbox: 'process'}, /^--runtime containerd does not take --sandbox process: /],
		[{...flags, oddPods: true}, /^--runtime containerd does not take --odd-pods: /],
		[{...flags, ipv6: true}, /^--runtime containerd does not take --ipv6: /],
	];
	for (const [raw, reason] of cases) {
		const options = resolveLabOptions({...raw, runtime: 'containerd'});
		assert.ok(options.ok);
		const problem = containerdOptionsProblem(options.value);
		assert.ok(!problem.ok);
		assert.match(problem.reason, reason);
		assert.doesNotMatch(problem.reason, /\n/);
	}

	const fine = resolveLabOptions({...flags, runtime: 'containerd', cni: 'ptp', pods: 6});
	assert.ok(fine.ok);
	assert.deepEqual(containerdOptionsProblem(fine.value), {ok: true, value: undefined});
});

test('the config names only paths of the lab\'s own, and the CNI conflist is the lab\'s network', () => {
	const text = containerdConfig('/usr/lib/cni');
	const paths = [...text.matchAll(/"(\/[^"]*)"/g)].map(m => m[1]!);
	assert.deepEqual(paths.filter(p => p !== '/usr/lib/cni' && !p.startsWith(`${LAB_DIR}/`)), []);
	assert.match(text, /io\.containerd\.internal\.v1\.opt/, 'the opt plugin (/opt/containerd) is off');
	const node = {name: 'n', netns: 'k8snet-lab-node', ip: '10.0.0.1', podCIDR: '10.244.0.0/16', gateway: '10.244.0.1', bridge: 'bridge', ipamDir: `${LAB_DIR}/ipam`} satisfies LabNode;
	const conflist = JSON.parse(containerdConflist('bridge', false, node)) as {name: string; plugins: Array<{type: string; bridge: string; ipam: {dataDir: string}}>};
	assert.equal(conflist.name, 'k8snet-lab');
	assert.deepEqual(conflist.plugins.map(p => [p.type, p.bridge, p.ipam.dataDir]), [['bridge', 'bridge', `${LAB_DIR}/ipam`]]);
});
