// The Flows section's session against a real lab with kube-proxy's iptables rules and a Service:
// after a TCP connect from nginx-1 to the ClusterIP, the session's flows for nginx-1 show
// "nginx-1 → svc/web:8080 → served by <endpoint> (<ip>)" exactly as `conntrack -L` in the node's
// netns says (the endpoint is the reply's source), and a capture of that flow starts at the pod's
// veth with the flow's original tuple as its filter. Root, under the machine lock:
//   flock /tmp/k8snet-lab.flock npm test -- test/node/conntrack-lab
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {test} from 'node:test';
import {promisify} from 'node:util';
import type {TargetOptions} from '../../source/app/options.js';
import {createSession, type TuiSession} from '../../source/app/session.js';
import {readLabState} from '../../source/lab/lab-state.js';
import {parseConntrack} from '../../source/node/conntrack/conntrack-text.js';
import type {TuiState} from '../../source/store/tui-state.js';
import {aroundLabSuite} from '../lab/lab-checks.js';
import {lab} from '../lab/lab-cli.js';
import {needs} from '../support/prerequisites.js';
import {untilState} from '../ui/store-until.js';

const exec = promisify(execFile);
const skip = needs({root: true, tools: ['ip', 'nsenter', 'iptables-restore', 'conntrack', 'tcpdump', 'socat', 'bash'], files: ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local']});
let session: TuiSession | null = null;
aroundLabSuite(skip, async () => session?.stop());

const cli = async (args: string[]) => {
	const r = await lab(args);
	assert.equal(r.code, 0, `lab ${args.join(' ')}: ${r.stderr}`);
};

test('the session\'s flows for a pod name the Service and the endpoint conntrack says served it; enter\'s capture filters that tuple', {skip}, async () => {
	await cli(['up', '--proxy', 'iptables', '--pods', '3', '--namespaces', 'default']);
	await cli(['svc', 'add', 'default/web', '--port', '8080', '--target-port', '80', '--selector', 'app=nginx']);
	const state = readLabState()!;
	const client = state.pods.find(p => p.name === 'nginx-1')!;
	const node = state.nodes?.[0] ?? {name: state.node, netns: state.nodeNetns};
	const options: TargetOptions = {kubeconfig: state.kubeconfig, context: undefined, namespace: undefined, allNamespaces: false, selector: undefined, node: node.name, allNodes: false, nodeSsh: undefined, nodeExec: undefined, debug: false};
	session = createSession(options);
	await session.start();
	const until = (p: (s: TuiState) => boolean, what: string) => untilState(session!.store, p, what, 20_000, s => JSON.stringify(s.flows ?? {pods: s.pods.size, phase: s.phase}));
	const ready = await until(s => [...s.pods.values()].some(p => p.name === 'nginx-1' && p.ips.length > 0) && s.paths.get(uidOf(s))?.status === 'resolved', 'nginx-1 resolved');
	const uid = uidOf(ready);

	const answer = await exec('nsenter', [`--net=${client.netnsPath}`, '--', 'timeout', '3', 'bash', '-c', 'exec 3<>/dev/tcp/10.96.0.10/8080 && cat <&3'], {timeout: 6000});
	const servedName = answer.stdout.trim();
	assert.match(servedName, /^default\/nginx-\d$/, 'an endpoint answered with its name');

	session.dispatch({type: 'flows-open', uid});
	const shown = await until(s => (s.flows?.flows ?? []).some(f => f.to.service === 'default/web'), 'a flow to svc/web in Flows');
	assert.equal(shown.flows?.source, 'proc', 'the lab node has /proc/net/nf_conntrack');
	const flow = shown.flows!.flows!.find(f => f.to.service === 'default/web')!;

	// The kernel's own view, in the node's netns: the same original tuple, and who replied.
	const listed = await exec('nsenter', [`--net=/run/netns/${node.netns}`, '--', 'conntrack', '-L', '-o', 'extended', '-p', 'tcp', '--orig-src', client.ip!, '--orig-dst', '10.96.0.10']);
	const kernel = parseConntrack(listed.stdout).find(e => e.orig.sport === flow.entry.orig.sport);
	assert.ok(kernel, `conntrack -L lists the flow: ${listed.stdout}`);
	const served = state.pods.find(p => p.ip === kernel.reply.src)!;
	assert.equal(`${served.namespace}/${served.name}`, servedName, 'the reply\'s source is the pod that answered');
	assert.equal(flow.servedBy?.ip, kernel.reply.src);
	assert.equal(flow.servedBy?.port, kernel.reply.sport);
	assert.equal(flow.servedBy?.pod, servedName);
	assert.equal(flow.text, `nginx-1 → svc/web:8080 → served by ${served.name} (${kernel.reply.src}) [tcp ${flow.entry.state}]`);
	assert.ok(flow.entry.state !== null && ['TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'FIN_WAIT', 'LAST_ACK', 'ESTABLISHED'].includes(flow.entry.state), flow.entry.state ?? '');

	session.dispatch({type: 'flow-capture', uid, entry: flow.entry});
	const capturing = await waitFor(() => session!.captures.getSnapshot().session?.getSnapshot(), 'the flow capture');
	assert.equal(capturing.point.kind, 'peer');
	assert.ok(capturing.filter.includes(`(src host ${client.ip} and src port ${flow.entry.orig.sport} and dst host 10.96.0.10 and dst port 8080)`), capturing.filter);

	session.dispatch({type: 'flows-close'});
	await until(s => s.flows === null, 'Flows closed');
	await session.stop();
	session = null;
});

function uidOf(s: TuiState): string {
	return [...s.pods.values()].find(p => p.name === 'nginx-1')?.uid ?? '';
}

async function waitFor<T>(get: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const got = get();
		if (got !== undefined) return got;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
