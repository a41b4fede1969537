// `path FROM svc/NS/NAME` on the real 3-node lab, in both proxy modes: the Service hop on FROM's
// node lists the endpoints kubectl lists and the rule chain exactly as the node's own iptables-save /
// nft print it; `--probe` connects, the pod that answered is the endpoint of the conntrack entry
// shown, and that entry is the kernel's. Then each Service fault is named (no-endpoints,
// stale-rules, hairpin-off), the probe's one-line refusals, and the remote probe script's tool
// choice. Runs the shipped bundle (npm run build first), root, under the machine lock:
//   flock /tmp/k8snet-lab.flock npm test -- test/path/path-service-lab
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import type {PathDocument, PathProbe} from '../../source/core/path/types.js';
import {type LabState, readLabState} from '../../source/lab/lab-state.js';
import {remoteProbeArgv} from '../../source/node/path-probe.js';
import {needs} from '../support/prerequisites.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {lab, labLeftovers, run} from '../lab/lab-cli.js';

const skip = needs({root: true, tools: ['ip', 'bridge', 'nsenter', 'iptables-save', 'nft', 'conntrack', 'kubectl', 'bash', 'timeout'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
aroundLabSuite(skip);

const BIN = fileURLToPath(new URL('../../bin/k8snet-tui.js', import.meta.url));
const exec = promisify(execFile);

async function cli(args: string[]): Promise<void> {
	const r = await lab(args, {}, 'bundle');
	assert.equal(r.code, 0, `lab ${args.join(' ')}: ${r.stderr}`);
}

async function path(s: LabState, args: string[]): Promise<PathDocument> {
	assert.ok(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))), 'run `npm run build` first');
	const r = await exec(process.execPath, [BIN, 'path', ...args, '--json', '--kubeconfig', s.kubeconfig], {timeout: 60_000});
	return JSON.parse(r.stdout) as PathDocument;
}

/** The one line and exit code of a path that cannot run. */
async function refused(s: LabState, args: string[]): Promise<string> {
	const r = await exec(process.execPath, [BIN, 'path', ...args, '--kubeconfig', s.kubeconfig], {timeout: 60_000}).then(
		() => assert.fail(`path ${args.join(' ')} exited 0`),
		(e: {code?: number; stderr?: string; stdout?: string}) => e,
	);
	assert.equal(r.code, 1);
	assert.equal(r.stdout, '');
	const lines = (r.stderr ?? '').trim().split('\n');
	assert.equal(lines.length, 1, r.stderr);
	return lines[0]!;
}

const netnsOf = (s: LabState, node: string) => `/run/netns/${s.nodes!.find(n => n.name === node)!.netns}`;
const onNode = (s: LabState, node: string, argv: string[]) => run(['nsenter', `--net=${netnsOf(s, node)}`, '--', ...argv]);

/** The endpoints kubectl lists for a Service, as "ip:port". */
async function kubectlEndpoints(s: LabState, name: string): Promise<string[]> {
	const got = JSON.parse(await run(['kubectl', '--kubeconfig', s.kubeconfig, 'get', 'endpointslices', '-n', 'default', '-l', `kubernetes.io/service-name=${name}`, '-o', 'json'])) as {items: Array<{ports: Array<{port: number}>; endpoints: Array<{addresses: string[]}>}>};
	return got.items.flatMap(i => i.endpoints.flatMap(e => e.addresses.map(a => `${a}:${i.ports[0]!.port}`))).sort();
}

/** Every rule of the Service hop is a line the node's own command prints. */
async function assertRulesAsPrinted(s: LabState, doc: PathDocument, proxy: string): Promise<void> {
	const node = doc.from.node;
	const rules = doc.service!.rules;
	assert.ok(rules.length >= 1 + doc.service!.endpoints.length, `the frontend and one DNAT per endpoint: ${JSON.stringify(rules)}`);
	if (proxy === 'iptables') {
		const printed = new Map<string, string[]>();
		for (const table of new Set(rules.map(r => r.table))) printed.set(table, (await onNode(s, node, ['iptables-save', '-t', table])).split('\n'));
		for (const r of rules) assert.ok(printed.get(r.table)!.includes(r.rule), `iptables-save -t ${r.table} prints: ${r.rule}`);
		for (const e of doc.service!.endpoints) assert.ok(rules.some(r => r.rule.includes(`--to-destination ${e.ip}:${e.port}`)), `the DNAT to ${e.ip}`);
	} else {
		// -a: nft prints each rule's handle, as the rule is shown.
		const printed = (await onNode(s, node, ['nft', '-a', 'list', 'table', 'ip', 'kube-proxy'])).split('\n').map(l => l.trim());
		for (const r of rules) {
			assert.equal(r.table, 'ip kube-proxy');
			if (r.chain.startsWith('map ')) assert.ok(printed.some(l => l.includes(r.rule)), `nft -a list table ip kube-proxy prints the ${r.chain} element: ${r.rule}`);
			else assert.ok(printed.includes(r.rule), `nft -a list table ip kube-proxy prints: ${r.rule}`);
		}

		for (const e of doc.service!.endpoints) assert.ok(rules.some(r => r.rule.includes(`dnat to ${e.ip}:${e.port}`)), `the DNAT to ${e.ip}`);
	}
}

/** The probe's endpoint is the pod that answered, and its conntrack entry is one the kernel holds. */
async function assertProbeMatchesKernel(s: LabState, doc: PathDocument, proto: 'tcp' | 'udp'): Promise<PathProbe> {
	const p = doc.probe!;
	assert.equal(p.result, 'connected', JSON.stringify(p));
	assert.equal(p.tool, 'k8snet-tui under nsenter --net');
	assert.ok(p.endpoint !== null && p.conntrack !== null, JSON.stringify(p));
	assert.equal(p.answer, p.endpoint.pod, 'the pod that answered is the one conntrack names');
	assert.equal(doc.service!.chosen.endpoint, `${p.endpoint.ip}:${p.endpoint.port}`);
	assert.equal('name' in doc.to ? `${doc.to.namespace}/${doc.to.name}` : null, p.endpoint.pod, 'the hops go to the endpoint the kernel chose');
	const sport = /sport=(\d+)/.exec(p.conntrack)![1]!;
	const kernel = await onNode(s, doc.from.node, ['conntrack', '-L', '-o', 'extended', '-p', proto, '--sport', sport]);
	const tuples = (line: string) => line.replace(/^.*?(src=)/, '$1').replace(/\s+(mark|zone|use)=.*$/, '');
	assert.ok(kernel.split('\n').some(l => tuples(l) === tuples(p.conntrack!)), `the kernel holds: ${p.conntrack}\n${kernel}`);
	assert.match(p.conntrack, new RegExp(`src=${doc.from.ip.replaceAll('.', '\\.')} dst=${doc.service!.clusterIP.replaceAll('.', '\\.')} sport=${sport} dport=${doc.service!.port} src=${p.endpoint.ip.replaceAll('.', '\\.')} `));
	return p;
}

function bad(doc: PathDocument) {
	return doc.hops.filter(h => !h.ok).map(h => [h.kind, h.node, h.problem]);
}

for (const proxy of ['iptables', 'nftables'] as const) {
	describe(`--nodes 3 --proxy ${proxy}`, {skip}, () => {
		let s: LabState;
		test('the Service hop: endpoints as kubectl lists them, the rules as the node prints them', async () => {
			await cli(['down']);
			await cli(['up', '--nodes', '3', '--proxy', proxy, '--pods', '2', '--namespaces', 'default']);
			await cli(['svc', 'add', 'default/web', '--port', '8080', '--target-port', '80', '--selector', 'app=nginx']);
			await cli(['svc', 'add', 'default/dns', '--port', '53', '--target-port', '81', '--selector', 'app=nginx', '--proto', 'udp']);
			s = readLabState()!;
			const doc = await path(s, ['default/nginx-1', 'svc/default/web']);
			assert.equal(doc.verdict, 'reachable', JSON.stringify(bad(doc)));
			assert.equal(doc.service?.proxyMode, proxy);
			assert.deepEqual(doc.service!.endpoints.map(e => `${e.ip}:${e.port}`).sort(), await kubectlEndpoints(s, 'web'));
			assert.ok(doc.service!.endpoints.every(e => e.ready === true && e.inRules), JSON.stringify(doc.service!.endpoints));
			assert.deepEqual(new Set(doc.service!.endpoints.map(e => e.node)), new Set(s.nodes!.map(n => n.name)), 'endpoints on every node');
			assert.deepEqual(doc.service!.problems, []);
			const at = doc.hops.findIndex(h => h.kind === 'service');
			assert.deepEqual(doc.hops.slice(0, at + 1).map(h => [h.kind, h.node]), [['pod-eth0', doc.from.node], ['host-veth', doc.from.node], ['bridge', doc.from.node], ['service', doc.from.node]]);
			await assertRulesAsPrinted(s, doc, proxy);
		});

		test('--probe: the endpoint that answered is the conntrack entry\'s, and the hops go there (TCP and UDP)', async () => {
			const tcp = await path(s, ['default/nginx-1', 'svc/default/web:8080', '--probe']);
			await assertProbeMatchesKernel(s, tcp, 'tcp');
			assert.equal(tcp.verdict, 'reachable', JSON.stringify(bad(tcp)));
			const udp = await path(s, ['default/nginx-1', `${s.services![1]!.clusterIP}:53`, '--probe']);
			assert.equal(udp.service?.name, 'dns', 'CLUSTERIP:PORT finds its Service');
			await assertProbeMatchesKernel(s, udp, 'udp');
		});

		test('--all-endpoints: one path per endpoint, each ending at its pod', async () => {
			const doc = await path(s, ['default/nginx-1', 'svc/default/web', '--all-endpoints']);
			assert.equal(doc.paths?.length, doc.service!.endpoints.length);
			for (const p of doc.paths!) {
				assert.equal(p.verdict, 'reachable', JSON.stringify(p.hops.filter(h => !h.ok)));
				const last = p.hops.at(-1)!;
				const pod = s.pods.find(x => `${x.namespace}/${x.name}` === p.endpoint.pod)!;
				assert.deepEqual([last.kind, last.node], ['pod-eth0', pod.node]);
			}
		});

		test('no-endpoints: the Service hop is broken and names the reject; clear restores it', async () => {
			await cli(['fault', 'add', 'no-endpoints', 'default/web']);
			const doc = await path(s, ['default/nginx-1', 'svc/default/web']);
			assert.equal(doc.verdict, 'broken');
			assert.deepEqual(bad(doc).map(b => b[0]), ['service']);
			assert.match(String(bad(doc)[0]![2]), /has no ready endpoints: the rules reject 10\.96\.0\.10:8080\/TCP/);
			assert.equal(doc.hops.at(-1)?.kind, 'service', 'nothing is walked past a reject');
			assert.ok(doc.service!.endpoints.every(e => e.ready === false && !e.inRules));
			await cli(['fault', 'clear', 'no-endpoints', 'default/web']);
			assert.equal((await path(s, ['default/nginx-1', 'svc/default/web'])).verdict, 'reachable');
		});

		if (proxy === 'iptables') {
			test('hairpin-off: a pod that is its own endpoint is broken at its host veth; clear restores it', async () => {
				await cli(['svc', 'add', 'default/self', '--port', '80', '--selector', 'run=nginx-1']);
				s = readLabState()!;
				assert.equal((await path(s, ['default/nginx-1', 'svc/default/self'])).verdict, 'reachable');
				await cli(['fault', 'add', 'hairpin-off', 'default/nginx-1']);
				const doc = await path(s, ['default/nginx-1', 'svc/default/self']);
				assert.equal(doc.verdict, 'broken');
				assert.deepEqual(bad(doc).map(b => b.slice(0, 2)), [['host-veth', doc.from.node]]);
				assert.match(String(bad(doc)[0]![2]), /hairpin is off on veth\w+: default\/nginx-1 is its own endpoint/);
				await cli(['fault', 'clear', 'hairpin-off', 'default/nginx-1']);
				assert.equal((await path(s, ['default/nginx-1', 'svc/default/self'])).verdict, 'reachable');
			});

			test('the remote probe script (as an ssh/exec shell runs it) picks bash /dev/tcp and reads the answer', async () => {
				const from = s.pods.find(p => p.name === 'nginx-1')!;
				const [cmd, ...args] = remoteProbeArgv(from.netnsPath!, '10.96.0.10', 8080, 'tcp');
				const got = JSON.parse((await exec(cmd!, args, {timeout: 20_000})).stdout) as {tool: string; result: string; answer: string};
				assert.equal(got.tool, 'bash /dev/tcp');
				assert.equal(got.result, 'connected');
				assert.ok(s.pods.some(p => `${p.namespace}/${p.name}` === got.answer), got.answer);
				const [c2, ...a2] = remoteProbeArgv(from.netnsPath!, '10.96.0.10', 8081, 'tcp');
				// No rule DNATs port 8081, and the lab's nodes have no route for the ClusterIP range. Three
				// in a row: the lab's routers must not rate-limit the ICMP that says so.
				for (let i = 0; i < 3; i++) assert.equal((JSON.parse((await exec(c2!, a2, {timeout: 20_000})).stdout) as {result: string}).result, 'unreachable', `probe ${i + 1}`);
			});

			test('one line and exit 1: --probe --proto sctp, a bad svc/ name, an unknown Service, a port it lacks', async () => {
				assert.match(await refused(s, ['default/nginx-1', 'svc/default/web', '--probe', '--proto', 'sctp']), /^k8snet-tui path: --probe cannot send sctp: this kernel has no SCTP \(/);
				assert.match(await refused(s, ['default/nginx-1', 'svc/default/Web_1']), /is not svc\/NAMESPACE\/NAME\[:PORT\] \(e\.g\. svc\/default\/web/);
				assert.match(await refused(s, ['default/nginx-1', 'svc/default/nope']), /service default\/nope not found \(list them with kubectl get svc -n default\)/);
				assert.match(await refused(s, ['default/nginx-1', 'svc/default/web:9999']), /svc\/default\/web has no port 9999 \(its ports: 8080\/TCP/);
			});

			test('stale-rules: a pod deleted while set stays in the rules, named on the Service hop', async () => {
				await cli(['fault', 'add', 'stale-rules', 'default/web']);
				await cli(['pod', 'delete', 'default/nginx-4']);
				const gone = s.pods.find(p => p.name === 'nginx-4')!.ip!;
				const doc = await path(s, ['default/nginx-1', 'svc/default/web']);
				assert.deepEqual(doc.service!.problems.map(p => [p.kind, p.endpoint]), [['gone-in-rules', `${gone}:80`]]);
				const hop = doc.hops.find(h => h.kind === 'service')!;
				assert.match(hop.problem ?? '', new RegExp(`^warning: ${gone.replaceAll('.', '\\.')}:80 is in the rules \\(KUBE-SEP-\\w+\\) but gone from the API`));
				assert.ok(doc.service!.endpoints.some(e => e.ip === gone && e.ready === null && e.inRules));
				await cli(['fault', 'clear', 'stale-rules', 'default/web']);
				assert.deepEqual((await path(s, ['default/nginx-1', 'svc/default/web'])).service!.problems, []);
			});
		}

		test('lab down leaves nothing', async () => {
			await cli(['down']);
			assert.deepEqual(labLeftovers(), []);
		});
	});
}
