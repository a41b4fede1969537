// The lab's node: a network namespace on this host. nsenter (not `ip netns exec`) enters only the
// network namespace: our probes never read /sys, so the remount `ip netns exec` does buys nothing.
import {runProcess} from './child-process.js';
import {streamHere} from './local-shell.js';
import type {NodeShell} from './node-shell.js';

export function createLabShell(netnsName: string): NodeShell {
	if (!/^[\w.-]+$/.test(netnsName)) throw new Error(`not a netns name: ${JSON.stringify(netnsName)}`);
	const nodeNetnsPath = `/run/netns/${netnsName}`;
	const enter = ['nsenter', `--net=${nodeNetnsPath}`, '--'];
	return {
		access: {kind: 'lab', target: netnsName},
		sharesProcfs: true,
		nodeNetnsPath,
		run: (argv, options) => runProcess([...enter, ...argv], options),
		stream: (argv, options) => streamHere([...enter, ...argv], options),
	};
}
