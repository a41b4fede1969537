// The node this process runs on: commands run as they are.
import {hostname} from 'node:os';
import {runProcess, streamProcess} from './child-process.js';
import type {NodeShell, StreamHandle, StreamOptions} from './node-shell.js';
import {watchdogArgv} from './watchdog.js';

/** Prefix for long-lived children so the kernel kills them when we die, even on SIGKILL. */
export const DIE_WITH_US = ['setpriv', '--pdeathsig', 'KILL', '--'] as const;

/**
 * A stream on this machine, under the same watchdog as a remote one: the parent-death signal dies
 * with the exec of a binary that has file capabilities, the end of our stdin does not.
 */
export function streamHere(argv: readonly string[], options: StreamOptions): StreamHandle {
	return streamProcess([...DIE_WITH_US, ...watchdogArgv(argv)], {...options, watched: true});
}

export function createLocalShell(): NodeShell {
	return {
		access: {kind: 'local', target: hostname()},
		sharesProcfs: true,
		nodeNetnsPath: '/proc/self/ns/net',
		run: (argv, options) => runProcess(argv, options),
		stream: streamHere,
	};
}
