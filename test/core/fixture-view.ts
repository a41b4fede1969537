// Builds NodeViews from the recorded fixtures (test/fixtures/eng-*), the way the poller would.
import {readFileSync} from 'node:fs';
import type {Link, NetnsProbe, NodeView, PodRef, RuntimeSandbox} from '../../source/core/types.js';
import {parseProbeOutput} from '../../source/node/netns-probe.js';
import {parseNodeBatch} from '../../source/node/node-snapshot.js';
import type {FixturePod} from '../fixtures/record-engine.js';

const dir = new URL('../fixtures/', import.meta.url).pathname;

export function readFixture(name: string, suffix: string): string {
	return readFileSync(`${dir}${name}.${suffix}`, 'utf8');
}

export function fixturePods(name: string): FixturePod[] {
	return JSON.parse(readFixture(name, 'pods.json')) as FixturePod[];
}

export function fixtureView(name: string): NodeView {
	const parsed = parseNodeBatch(readFixture(name, 'ip-batch.txt'), readFixture(name, 'bridge-fdb.json'));
	if (!parsed.ok) throw new Error(parsed.reason);
	const namespaces: NetnsProbe[] = [];
	let inode = 4026532000;
	for (const [path, outcome] of parseProbeOutput(readFixture(name, 'netns-probe.txt'))) {
		if (!outcome.ok) continue;
		const pid = /^\/proc\/(\d+)\//.exec(path)?.[1];
		namespaces.push({
			holder: {inode: inode++, path, name: pid ? null : path.replace('/run/netns/', ''), pid: pid ? Number(pid) : null, pidStart: pid ? 1000 : null},
			links: outcome.links,
			probedAt: 0,
		});
	}

	return {snapshot: {...parsed.value, takenAt: 0}, namespaces, canEnterNetns: true, enterDeniedReason: null};
}

export function podRef(name: string, ips: string[], extra: Partial<PodRef> = {}): PodRef {
	return {namespace: 'default', name, uid: `uid-${name}`, nodeName: 'node-a', hostNetwork: false, ips, phase: 'Running', ...extra};
}

export function link(ifindex: number, ifname: string, extra: Partial<Link> = {}): Link {
	return {
		ifindex,
		ifname,
		kind: 'veth',
		linkIndex: null,
		linkNetnsid: null,
		master: null,
		mac: null,
		mtu: 1500,
		operstate: 'UP',
		flags: [],
		addresses: [],
		stats: null,
		portState: null,
		...extra,
	};
}

/** A running sandbox as a runtime adapter reports it: the pod's pause holds netns `netnsInode`. */
export function sandbox(pod: PodRef, netnsInode: number | null): RuntimeSandbox {
	return {podUid: pod.uid, namespace: pod.namespace, name: pod.name, sandboxId: `sb-${pod.name}`, pid: netnsInode === null ? null : 1000 + (netnsInode % 1000), state: netnsInode === null ? 'notready' : 'ready', netnsPath: null, netnsInode, containers: []};
}
