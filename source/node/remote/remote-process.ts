// The local client of a remote command (ssh, docker exec): dying with us (setpriv --pdeathsig), and
// with its stdin pipe held open until it exits, because the end of that pipe is what tells the
// node-side watchdog to stop the command.
import {runProcess, streamProcess} from '../child-process.js';
import {DIE_WITH_US} from '../local-shell.js';
import type {RunResult, StreamHandle, StreamOptions} from '../node-shell.js';

export function runClient(argv: readonly string[], o: {timeoutMs?: number; signal?: AbortSignal; what: string}): Promise<RunResult> {
	return runProcess([...DIE_WITH_US, ...argv], {...o, holdStdin: true});
}

export function streamClient(argv: readonly string[], options: StreamOptions): StreamHandle {
	return streamProcess([...DIE_WITH_US, ...argv], {...options, watched: true});
}
