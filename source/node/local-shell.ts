// The node this process runs on: commands run as they are.
import {hostname} from 'node:os';
import {runProcess, streamProcess} from './child-process.js';
import type {NodeShell} from './node-shell.js';

/** Prefix for long-lived children so the kernel kills them when we die, even on SIGKILL. */
export const DIE_WITH_US = ['setpriv', '--pdeathsig', 'KILL', '--'] as const;

export function createLocalShell(): NodeShell {
	return {
		access: {kind: 'local', target: hostname()},
		sharesProcfs: true,
		nodeNetnsPath: '/proc/self/ns/net',
		run: (argv, options) => runProcess(argv, options),
		stream: (argv, options) => streamProcess([...DIE_WITH_US, ...argv], options),
	};
}
