// A lab state with no real pods: the lab API then serves this host as a node (so the TUI reaches it
// with the local shell, read-only) and `fakePods` pods on two fake nodes.
import {hostname} from 'node:os';
import type {LabState} from '../../source/lab/lab-state.js';

export function hostNodeState(fakePods: number): LabState {
	return {
		version: 1,
		phase: 'up',
		node: hostname(),
		nodeNetns: 'none',
		worldNetns: 'none',
		nodeIP: '192.0.2.250',
		worldIP: '192.0.2.251',
		builtWith: 'iproute2',
		kubeconfig: '',
		apiServer: '',
		apiSocket: '',
		daemonPids: [],
		trafficPids: [],
		pods: [],
		options: {pods: 0, namespaces: ['default'], sandbox: 'netns', cni: 'bridge', ipv6: false, oddPods: false, fakeNodes: 2, fakePods, traffic: false},
	};
}
