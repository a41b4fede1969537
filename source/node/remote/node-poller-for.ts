// The one place that picks a poller for a shell: a remote shell (docker exec, ssh, agent) gets the
// one-round-trip remote poller, the local and lab shells get the engine's filesystem-reading one.
import {createNodePoller, type NodePoller} from '../node-poller.js';
import type {NodeShell} from '../node-shell.js';
import {createRemoteNodePoller} from './remote-poller.js';
import type {RemoteShell} from './remote-shell.js';

export function isRemoteShell(shell: NodeShell): shell is RemoteShell {
	return (shell.access.kind === 'ssh' || shell.access.kind === 'exec' || shell.access.kind === 'agent') && 'prepare' in shell;
}

export function createNodePollerFor(shell: NodeShell): NodePoller {
	return isRemoteShell(shell) ? createRemoteNodePoller(shell) : createNodePoller(shell);
}
