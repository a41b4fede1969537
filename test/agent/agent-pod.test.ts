// The agent pod against the lab API (in-process, its node a netns of this test's own): created and
// Running, reached through client-node's Exec with the watchdog and the heartbeat, ending by itself
// once the heartbeat is stale, the sweep, and each failure one line with nothing left behind.
// Makes a netns: run under the machine lock.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, statSync, utimesSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {setLabApiFaults} from '../../source/lab/api/admin-client.js';
import {loadKubeTarget, type KubeTarget} from '../../source/cluster/kube-target.js';
import {newSessionId, startAgentPod, sweepAgentPods} from '../../source/cluster/agent-pod.js';
import {agentPod, agentPodName, heartbeatPath} from '../../source/cluster/agent-pod-spec.js';
import {listPods} from '../../source/cluster/pods.js';
import {createAgentShell} from '../../source/node/remote/agent-shell.js';
import {createNodePollerFor} from '../../source/node/remote/node-poller-for.js';
import {WORKER_MARKER} from '../../source/node/remote/node-worker-script.js';
import {processesWith, waitUntil} from '../remote/node-fixtures.js';
import {needs} from '../support/prerequisites.js';
import {type Fixture, plainLabState, startFixture} from '../lab-api/lab-api-fixture.js';
import {kubectlFor} from './kubectl.js';

const skip = needs({root: true, tools: ['kubectl', 'openssl', 'ip', 'nsenter', 'setpriv']});
const NETNS = `k8snet-agent-${process.pid}`;
const base = {node: 'k8snet-lab', namespace: 'default', image: 'busybox:1.36', profile: 'privileged' as const};

test('the agent pod spec is what §1 asks for', () => {
	const pod = agentPod({...base, session: 's1', owner: '1@h', suffix: 'abcde'}) as any;
	assert.equal(pod.metadata.name, 'k8snet-agent-k8snet-lab-abcde');
	assert.deepEqual(pod.metadata.labels, {'app.kubernetes.io/managed-by': 'k8snet-tui', 'k8snet-tui/session': 's1'});
	assert.deepEqual([pod.spec.nodeName, pod.spec.restartPolicy, pod.spec.hostNetwork, pod.spec.hostPID, pod.spec.activeDeadlineSeconds], ['k8snet-lab', 'Never', true, true, 43_200]);
	assert.deepEqual(pod.spec.tolerations, [{operator: 'Exists'}]);
	assert.deepEqual(pod.spec.containers[0].volumeMounts, [{name: 'run-netns', mountPath: '/run/netns', readOnly: true, mountPropagation: 'HostToContainer'}]);
	assert.deepEqual(pod.spec.containers[0].securityContext, {privileged: true});
	const netadmin = agentPod({...base, profile: 'netadmin', session: 's1', owner: '1@h', suffix: 'abcde'}) as any;
	assert.deepEqual(netadmin.spec.containers[0].securityContext.capabilities.add, ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SYS_PTRACE']);
	assert.ok(agentPodName('x'.repeat(80), 'abcde').length <= 63);
});

describe('the agent pod on the lab API', {skip}, () => {
	let f: Fixture;
	let kube: KubeTarget;
	const kubectl = kubectlFor(() => f.server.kubeconfigPath, () => join(f.dir, 'kube-cache'));
	const agents = async () => (await kubectl(['get', 'pods', '-l', 'app.kubernetes.io/managed-by=k8snet-tui', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}'])).out.trim();

	before(async () => {
		execFileSync('ip', ['netns', 'add', NETNS]);
		execFileSync('ip', ['-n', NETNS, 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb']);
		const state = plainLabState(1);
		state.nodeNetns = NETNS;
		f = await startFixture(state);
		const loaded = loadKubeTarget({kubeconfig: f.server.kubeconfigPath, context: undefined});
		assert.ok(loaded.ok);
		kube = loaded.value;
	});
	after(async () => {
		await f?.close();
		execFileSync('ip', ['netns', 'del', NETNS]);
	});

	test('started, Running; the agent shell runs argv in the node netns; hostile args stay one argument; deleted leaves nothing', async () => {
		const started = await startAgentPod(kube, {...base, session: newSessionId()});
		assert.ok(started.ok, started.ok ? '' : started.reason);
		assert.match(await agents(), new RegExp(`^${started.value.name} Running$`));
		const listed = await listPods(kube, {});
		assert.ok(listed.ok);
		assert.deepEqual(listed.value.map(p => p.name), ['pod-0'], 'the tool never lists its own agent pods');
		const shell = createAgentShell({kube, namespace: 'default', pod: started.value.name, node: 'k8snet-lab'});
		const ready = await shell.prepare();
		assert.ok(ready.ok, ready.ok ? '' : ready.reason);
		const links = await shell.run(['ip', '-j', 'link', 'show']);
		assert.equal(links.exitCode, 0, links.stderr);
		const names = (JSON.parse(links.stdout) as Array<{ifname: string}>).map(l => l.ifname).sort();
		assert.deepEqual(names, (JSON.parse(execFileSync('ip', ['-n', NETNS, '-j', 'link', 'show'], {encoding: 'utf8'})) as Array<{ifname: string}>).map(l => l.ifname).sort());
		const hostile = `a'b"; touch /tmp/k8snet-pwned-${process.pid}; $(id) \`id\``;
		const echoed = await shell.run(['printf', '%s', hostile]);
		assert.equal(echoed.stdout, hostile);
		assert.equal(existsSync(`/tmp/k8snet-pwned-${process.pid}`), false);
		// Each hostile piece arrives as one argv item: the command counts and echoes them one a line.
		const pieces = ['$(touch /tmp/k8snet-pwned-' + process.pid + ')', 'a;b', `'"`, 'x\ny', '`id`', ' lead', '--', '$HOME', 'π'];
		const counted = await shell.run(['sh', '-c', 'echo "$#"; for a; do printf "[%s]\\n" "$a"; done', 'sh', ...pieces]);
		assert.equal(counted.stdout, `${pieces.length}\n${pieces.map(p => `[${p}]`).join('\n')}\n`);
		assert.equal(existsSync(`/tmp/k8snet-pwned-${process.pid}`), false);
		const failed = await shell.run(['sh', '-c', 'exit 4']);
		assert.equal(failed.exitCode, 4);
		const lines: string[] = [];
		const s = shell.stream(['sh', '-c', 'echo one; sleep 30'], {onStdoutLine: l => lines.push(l)});
		for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise(r => setTimeout(r, 50));
		assert.deepEqual(lines, ['one']);
		s.kill('SIGTERM');
		await s.exited;
		shell.close();
		await started.value.delete();
		assert.equal(await agents(), '');
		assert.equal(execFileSync('ip', ['netns', 'pids', NETNS], {encoding: 'utf8'}).trim(), '', 'no process left in the node');
	});

	test('one exec carries the node worker: steady polls open no new exec, each request touches the heartbeat, a dead exec is replaced', async () => {
		const started = await startAgentPod(kube, {...base, session: newSessionId()});
		assert.ok(started.ok, started.ok ? '' : started.reason);
		const shell = createAgentShell({kube, namespace: 'default', pod: started.value.name, node: 'k8snet-lab'});
		try {
			assert.ok((await shell.prepare()).ok);
			const poller = createNodePollerFor(shell);
			assert.ok((await poller.poll()).ok, 'the first poll');
			const afterFirst = shell.sessions();
			for (let i = 0; i < 5; i++) {
				const polled = await poller.poll();
				assert.ok(polled.ok, polled.ok ? '' : polled.reason);
				assert.equal(poller.lastPollStats()?.processes, 0, 'a steady poll opens no exec');
			}
			assert.equal(shell.sessions(), afterFirst);
			assert.equal(afterFirst, 1, 'the node check and every poll share one exec');

			const beat = heartbeatPath(started.value.name);
			utimesSync(beat, new Date(0), new Date(0));
			assert.equal((await shell.run(['true'])).exitCode, 0);
			assert.ok(Date.now() - statSync(beat).mtimeMs < 10_000, 'the worker touched the heartbeat with the request');

			// The exec carrying the worker dies: the next command fails at most, and the one after gets a new worker.
			const workers = processesWith(WORKER_MARKER);
			assert.ok(workers.length > 0);
			for (const pid of workers) process.kill(pid, 'SIGKILL');
			assert.ok(await waitUntil(() => processesWith(WORKER_MARKER).length === 0, 5000));
			await new Promise(resolve => setTimeout(resolve, 300));
			let again = await shell.run(['echo', 'again']);
			if (again.exitCode === null) again = await shell.run(['echo', 'again']);
			assert.equal(again.stdout, 'again\n', again.failure ?? '');
			assert.equal(shell.sessions(), 2, 'one new exec for the new worker');
		} finally {
			shell.close();
			await started.value.delete();
		}

		assert.equal(await agents(), '');
		assert.ok(await waitUntil(() => processesWith(WORKER_MARKER).length === 0, 5000), 'the worker ended with its exec');
	});

	test('a stale heartbeat ends the agent (Succeeded), and the next sweep deletes it; a live session’s agent is kept', async () => {
		const dead = await startAgentPod(kube, {...base, session: 'dead', idleSeconds: 2});
		const live = await startAgentPod(kube, {...base, session: 'live'});
		assert.ok(dead.ok && live.ok);
		let phase = '';
		for (let i = 0; i < 100 && phase !== 'Succeeded'; i++) {
			phase = (await kubectl(['get', 'pod', dead.value.name, '-o', 'jsonpath={.status.phase}'])).out;
			await new Promise(r => setTimeout(r, 100));
		}

		assert.equal(phase, 'Succeeded', 'it ended by itself within 2x the idle time and more');
		const swept = await sweepAgentPods(kube, 'default');
		assert.ok(swept.ok);
		assert.deepEqual(swept.value, {deleted: [dead.value.name], kept: [live.value.name]});
		assert.equal(await agents(), `${live.value.name} Running`);
		await live.value.delete();
	});

	test('the sweep deletes at once a Running agent whose owner was a process of this host that is gone (a SIGKILLed session)', async () => {
		const orphan = agentPod({...base, session: 'killed', owner: `2147483646@${hostname()}`, suffix: 'zzzzz'});
		assert.equal((await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(orphan))).code, 0);
		const other = agentPod({...base, session: 'elsewhere', owner: '1@another-host', suffix: 'yyyyy'});
		assert.equal((await kubectl(['create', '--validate=false', '-f', '-'], JSON.stringify(other))).code, 0);
		const swept = await sweepAgentPods(kube, 'default');
		assert.ok(swept.ok);
		assert.deepEqual(swept.value, {deleted: ['k8snet-agent-k8snet-lab-zzzzz'], kept: ['k8snet-agent-k8snet-lab-yyyyy']});
		await kubectl(['delete', 'pod', 'k8snet-agent-k8snet-lab-yyyyy']);
		assert.equal(await agents(), '');
	});

	for (const [fault, line, hint] of [
		['podSecurity', /namespace "default" enforces Pod Security "baseline:latest", which forbids the agent pod: host namespaces \(hostNetwork=true, hostPID=true\), hostPath volumes \(volume "run-netns"\), privileged/, /--agent-namespace/],
		['imagePull', /the agent image busybox:1.36 cannot be pulled on node "k8snet-lab" \((ErrImagePull|ImagePullBackOff)/, /--agent-image/],
		['forbidPods', /forbidden: User "k8snet-lab-admin" cannot create pods in namespace "default"/, /kubectl auth can-i create pods -n default/],
	] as const) {
		test(`fault ${fault}: one line naming the fix, and no agent left`, async () => {
			await setLabApiFaults(f.server.socket, {[fault]: true});
			try {
				const r = await startAgentPod(kube, {...base, session: newSessionId(), pendingLimitMs: 5000});
				assert.equal(r.ok, false);
				if (r.ok) return;
				assert.match(r.reason, line);
				assert.match(r.hint, hint);
				assert.ok(!r.reason.includes('\n'));
			} finally {
				await setLabApiFaults(f.server.socket, {});
			}

			assert.equal(await agents(), '');
		});
	}

	test('kubectl exec into the agent pod works', async () => {
		const started = await startAgentPod(kube, {...base, session: newSessionId()});
		assert.ok(started.ok);
		const r = await kubectl(['exec', started.value.name, '--', 'cat', '/proc/net/dev']);
		assert.equal(r.code, 0, r.err);
		assert.match(r.out, /va:/);
		await started.value.delete();
	});
});
