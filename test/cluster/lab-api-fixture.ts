// A lab API server on a temp state file, for the cluster tests: the real server the lab runs,
// started in-process, with pods we add and remove by rewriting the state file.
import {mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startLabApiServer, type LabApiServer} from '../../source/lab/api/server.js';
import type {LabPod, LabState} from '../../source/lab/lab-state.js';

export interface LabApiFixture {
	server: LabApiServer;
	dir: string;
	state: LabState;
	/** Writes the state file (atomically, as the lab does) so the server sees the change. */
	save(): void;
	close(): Promise<void>;
}

export function labPod(namespace: string, name: string, i: number): LabPod {
	const hex = i.toString(16).padStart(12, '0');
	return {
		namespace,
		name,
		uid: `00000000-0000-4000-8000-${hex}`,
		kind: 'normal',
		ip: `10.244.0.${(i % 250) + 2}`,
		ips: [`10.244.0.${(i % 250) + 2}`],
		netnsPath: `/run/netns/k8snet-lab-pod-${i}`,
		netnsName: `k8snet-lab-pod-${i}`,
		sandboxPid: null,
		sandboxId: `sandbox${hex}`,
		containers: [{name: 'app', id: `c${hex}`, pid: null, image: 'busybox:1.36'}],
		createdAt: '2026-11-29T00:00:00Z',
	};
}

export async function startLabApiFixture(o: {pods?: number; fakeNodes?: number; fakePods?: number} = {}): Promise<LabApiFixture> {
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-cluster-api-'));
	const stateFile = join(dir, 'state.json');
	const state: LabState = {
		version: 1,
		phase: 'up',
		options: {
			pods: o.pods ?? 3,
			namespaces: ['default', 'web'],
			sandbox: 'netns',
			cni: 'bridge',
			ipv6: false,
			oddPods: false,
			fakeNodes: o.fakeNodes ?? 0,
			fakePods: o.fakePods ?? 0,
			traffic: false,
		},
		node: 'k8snet-lab',
		nodeNetns: 'k8snet-lab-node',
		worldNetns: 'k8snet-lab-world',
		nodeIP: '198.51.100.2',
		worldIP: '198.51.100.1',
		builtWith: 'cni-plugin',
		kubeconfig: join(dir, 'kubeconfig'),
		apiServer: '',
		apiSocket: join(dir, 'api.sock'),
		daemonPids: [],
		trafficPids: [],
		pods: Array.from({length: o.pods ?? 3}, (_, i) => labPod(i % 2 === 0 ? 'default' : 'web', `pod-${i}`, i)),
	};
	const save = () => {
		writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
		renameSync(`${stateFile}.tmp`, stateFile);
	};

	save();
	const server = await startLabApiServer({stateFile, dir});
	return {
		server,
		dir,
		state,
		save,
		async close() {
			await server.close();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
