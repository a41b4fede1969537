// Services in a real 2-node lab, for both overlays and both proxy modes: `lab svc add` programs
// every node as kube-proxy would, the rules read back from each node's netns (iptables-save /
// nft -j) parse and join with what kubectl gets from the lab API with no mismatch, and the kernel's
// DNAT takes a pod's TCP connect (and a UDP datagram, and a NodePort) to endpoints on both nodes,
// which answer with their names. Then the Service faults, pod add/delete following the rules, and
// nothing left after `lab down`. Root, bundle built (`npm run build`), under the machine lock:
//   flock /tmp/k8snet-lab.flock npm test -- test/lab/services-lab
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {describe, test} from 'node:test';
import {toEndpointSlice, toService} from '../../source/cluster/services.js';
import {type ServicesJoin, joinServiceRules} from '../../source/core/service-rules/join-endpoints.js';
import {type LabState, readLabState} from '../../source/lab/lab-state.js';
import {iptablesRulesModel} from '../../source/node/rules/iptables-model.js';
import {parseIptablesSave} from '../../source/node/rules/iptables-save.js';
import {parseNftJson} from '../../source/node/rules/nft-json.js';
import {nftRulesModel} from '../../source/node/rules/nft-model.js';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite} from './lab-checks.js';
import {lab, labLeftovers, run} from './lab-cli.js';

const exec = promisify(execFile);
const skip = needs({root: true, tools: ['ip', 'nsenter', 'iptables-restore', 'iptables-save', 'nft', 'kubectl', 'socat', 'bash'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
aroundLabSuite(skip);

const cli = async (args: string[]) => {
	const r = await lab(args, {}, 'bundle');
	assert.equal(r.code, 0, `lab ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
};

/** What answers a TCP connect from `netnsPath` to ip:port: the endpoint's "NS/NAME", or how it failed. */
async function tcpAnswer(netnsPath: string, ip: string, port: number): Promise<string> {
	try {
		const r = await exec('nsenter', [`--net=${netnsPath}`, '--', 'timeout', '3', 'bash', '-c', 'exec 3<>"/dev/tcp/$0/$1" && cat <&3', ip, String(port)]);
		return r.stdout.trim();
	} catch (error) {
		const e = error as {code?: number; stderr?: string};
		return e.code === 124 ? 'timeout' : /refused/i.test(e.stderr ?? '') ? 'refused' : `failed: ${e.stderr?.trim() ?? ''}`;
	}
}

async function udpAnswer(netnsPath: string, ip: string, port: number): Promise<string> {
	const r = await exec('nsenter', [`--net=${netnsPath}`, '--', 'bash', '-c', 'echo ping | socat -T2 - "UDP4:$0:$1"', ip, String(port)], {timeout: 5000}).catch(() => ({stdout: 'failed'}));
	return r.stdout.trim();
}

/** The rules of each node's netns, parsed, joined with the API's Services and EndpointSlices as kubectl gets them. */
async function joins(state: LabState): Promise<Map<string, ServicesJoin>> {
	const got = JSON.parse(await run(['kubectl', '--kubeconfig', state.kubeconfig, 'get', 'svc,endpointslices', '-A', '-o', 'json'])) as {items: Array<{kind: string}>};
	const services = got.items.filter((i) => i.kind === 'Service').map(toService).filter((s) => s !== null);
	const slices = got.items.filter((i) => i.kind === 'EndpointSlice').map(toEndpointSlice).filter((s) => s !== null);
	const out = new Map<string, ServicesJoin>();
	for (const node of state.nodes ?? []) {
		const ns = ['nsenter', `--net=/run/netns/${node.netns}`, '--'];
		const model =
			state.options.proxy === 'iptables'
				? iptablesRulesModel(parseIptablesSave((await run([...ns, 'iptables-save', '-t', 'nat'])) + (await run([...ns, 'iptables-save', '-t', 'filter']))))
				: nftRulesModel(parseNftJson(await run([...ns, 'nft', '-j', 'list', 'table', 'ip', 'kube-proxy']))!);
		assert.ok(model, `${node.name}: kube-proxy rules read back`);
		assert.equal(model.backend, state.options.proxy);
		out.set(node.name, joinServiceRules(model, services, slices, {nodeName: node.name}));
	}

	return out;
}

function podPath(state: LabState, name: string): string {
	const pod = state.pods.find((p) => p.name === name);
	assert.ok(pod?.netnsPath, `pod ${name}`);
	return pod.netnsPath;
}

/** 20 connects from `from`: every answer names an endpoint, and endpoints on both nodes answered. */
async function spreadsOverNodes(state: LabState, from: string, ip: string, port: number): Promise<void> {
	const answers = new Set<string>();
	for (let i = 0; i < 20; i++) answers.add(await tcpAnswer(podPath(state, from), ip, port));
	const nodeOf = new Map(state.pods.map((p) => [`${p.namespace}/${p.name}`, p.node]));
	for (const a of answers) assert.ok(nodeOf.has(a), `answer '${a}' names a lab pod`);
	assert.deepEqual(new Set([...answers].map((a) => nodeOf.get(a))), new Set(['k8snet-lab', 'k8snet-lab-m02']), `answers: ${[...answers].join(', ')}`);
}

const combos = [
	{overlay: 'vxlan', proxy: 'iptables'},
	{overlay: 'routed', proxy: 'nftables'},
	{overlay: 'routed', proxy: 'iptables'},
	{overlay: 'vxlan', proxy: 'nftables'},
] as const;

for (const {overlay, proxy} of combos) {
	describe(`--nodes 2 --overlay ${overlay} --proxy ${proxy}`, {skip}, () => {
		let state: LabState;
		test('lab up, two Services: the rules on both nodes join the API with no mismatch', async () => {
			await cli(['down']);
			await cli(['up', '--nodes', '2', '--overlay', overlay, '--proxy', proxy, '--pods', '2', '--namespaces', 'default']);
			await cli(['svc', 'add', 'default/web', '--port', '8080', '--target-port', '80', '--selector', 'app=nginx', '--nodeport', '30080']);
			await cli(['svc', 'add', 'default/dns', '--port', '53', '--target-port', '81', '--selector', 'app=nginx', '--proto', 'udp']);
			state = readLabState()!;
			assert.deepEqual(state.services?.map((s) => s.clusterIP), ['10.96.0.10', '10.96.0.11']);
			for (const [node, join] of await joins(state)) {
				assert.deepEqual(join.problems, [], node);
				const web = join.ports.find((p) => p.name === 'web');
				assert.equal(web?.endpoints.length, 4, node);
				assert.ok(web?.endpoints.every((e) => e.inRules && e.ready), node);
			}
		});

		test('a TCP connect to ClusterIP:port is DNATed to endpoints on both nodes, which answer with their names', async () => {
			await spreadsOverNodes(state, 'nginx-1', '10.96.0.10', 8080);
		});

		test('UDP to the ClusterIP and TCP to the other node\'s NodePort reach an endpoint', async () => {
			const names = new Set(state.pods.map((p) => `${p.namespace}/${p.name}`));
			assert.ok(names.has(await udpAnswer(podPath(state, 'nginx-1'), '10.96.0.11', 53)));
			const m02 = state.nodes?.[1];
			assert.ok(names.has(await tcpAnswer(podPath(state, 'nginx-1'), m02!.ip, 30080)));
		});

		if (overlay === 'vxlan' && proxy === 'iptables') {
			test('hairpin-off: a pod reaching itself through its own Service fails, and works again after clear', async () => {
				await cli(['svc', 'add', 'default/self', '--port', '80', '--selector', 'run=nginx-1']);
				const self = readLabState()!.services!.find((s) => s.name === 'self')!;
				assert.equal(await tcpAnswer(podPath(state, 'nginx-1'), self.clusterIP, 80), 'default/nginx-1');
				await cli(['fault', 'add', 'hairpin-off', 'default/nginx-1']);
				assert.equal(await tcpAnswer(podPath(state, 'nginx-1'), self.clusterIP, 80), 'timeout');
				assert.equal(await tcpAnswer(podPath(state, 'nginx-3'), self.clusterIP, 80), 'default/nginx-1', 'other pods still reach it');
				await cli(['fault', 'clear', 'hairpin-off', 'default/nginx-1']);
				assert.equal(await tcpAnswer(podPath(state, 'nginx-1'), self.clusterIP, 80), 'default/nginx-1');
			});
		}

		if (overlay === 'routed' && proxy === 'nftables') {
			test('no-endpoints: the slice says not ready, the rules reject, clear restores both', async () => {
				await cli(['fault', 'add', 'no-endpoints', 'default/web']);
				assert.equal(await tcpAnswer(podPath(state, 'nginx-1'), '10.96.0.10', 8080), 'refused');
				for (const [node, join] of await joins(readLabState()!)) {
					const web = join.ports.find((p) => p.name === 'web');
					assert.ok(web?.endpoints.every((e) => e.ready === false && !e.inRules), node);
					assert.ok((web?.rules[0]?.rejects.length ?? 0) > 0, `${node}: a reject rule`);
					assert.deepEqual(join.problems, [], node);
				}

				await cli(['fault', 'clear', 'no-endpoints', 'default/web']);
				await spreadsOverNodes(state, 'nginx-1', '10.96.0.10', 8080);
			});

			test('stale-rules: a pod deleted while set stays in the rules (gone from the API), clear re-syncs', async () => {
				await cli(['fault', 'add', 'stale-rules', 'default/web']);
				await cli(['pod', 'delete', 'default/nginx-4']);
				const gone = state.pods.find((p) => p.name === 'nginx-4')!.ip;
				for (const [node, join] of await joins(readLabState()!)) {
					const problems = join.problems.filter((p) => p.service.startsWith('default/web:'));
					assert.deepEqual(problems.map((p) => [p.kind, p.endpoint]), [['gone-in-rules', `${gone}:80`]], node);
				}

				await cli(['fault', 'clear', 'stale-rules', 'default/web']);
				for (const [node, join] of await joins(readLabState()!)) assert.deepEqual(join.problems, [], node);
			});
		}

		if (overlay === 'routed' && proxy === 'iptables') {
			test('an answer daemon killed with SIGKILL: its pods stop answering, and `lab up` again restarts it', async () => {
				const m02 = state.nodes![1]!.name;
				const onM02 = state.pods.find((p) => p.kind === 'normal' && p.node === m02 && p.ip !== null)!;
				const status = JSON.parse(await run(['cat', `/run/k8snet-lab/answer-${m02}.json`])) as {pid: number};
				process.kill(status.pid, 'SIGKILL');
				await new Promise((r) => setTimeout(r, 300));
				assert.notEqual(await tcpAnswer(podPath(state, 'nginx-1'), onM02.ip!, 81), `${onM02.namespace}/${onM02.name}`);
				const said = await cli(['up', '--nodes', '2', '--overlay', overlay, '--proxy', proxy, '--pods', '2', '--namespaces', 'default']);
				assert.match(said, new RegExp(`answer daemon of ${m02} had died: restarted it`));
				assert.equal(await tcpAnswer(podPath(state, 'nginx-1'), onM02.ip!, 81), `${onM02.namespace}/${onM02.name}`);
				assert.match(await cli(['up', '--nodes', '2', '--overlay', overlay, '--proxy', proxy, '--pods', '2', '--namespaces', 'default']), /nothing changed/);
			});
		}

		test('lab pod add: the new pod answers and joins the rules; lab down leaves nothing', async () => {
			await cli(['pod', 'add', 'default/nginx-9']);
			state = readLabState()!;
			const added = state.pods.find((p) => p.name === 'nginx-9')!;
			assert.equal(await tcpAnswer(podPath(state, 'nginx-1'), added.ip!, 81), 'default/nginx-9');
			for (const [node, join] of await joins(state)) {
				assert.deepEqual(join.problems, [], node);
				assert.ok(join.ports.find((p) => p.name === 'web')?.endpoints.some((e) => e.pod === 'default/nginx-9' && e.inRules), node);
			}

			await cli(['down']);
			assert.deepEqual(labLeftovers(), []);
		});
	});
}
