// The local client of a remote command (ssh, docker exec): dying with us (setpriv --pdeathsig), and
// with its stdin pipe held open until it exits, because the end of that pipe is what tells the
// node side (the node worker, or a stream's watchdog) to stop.
import {spawnChannel, streamProcess} from '../child-process.js';
import {DIE_WITH_US} from '../local-shell.js';
import type {StreamHandle, StreamOptions} from '../node-shell.js';
import type {WorkerChannel} from './node-worker.js';

/** A client whose stdio is a node worker's channel. */
export function openClient(argv: readonly string[]): WorkerChannel {
	return spawnChannel([...DIE_WITH_US, ...argv], {background: true});
}

export function streamClient(argv: readonly string[], options: StreamOptions): StreamHandle {
	return streamProcess([...DIE_WITH_US, ...argv], {...options, watched: true});
}
