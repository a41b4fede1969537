// The local client of a remote command (ssh, docker exec): dying with us (setpriv --pdeathsig), and
// with its stdin pipe held open until it exits, because the end of that pipe is what tells the
// node side (the node worker, or a stream's watchdog) to stop.
import {spawnChannel, streamProcess} from '../child-process.js';
import {DIE_WITH_US} from '../local-shell.js';
import type {RunResult, StreamHandle, StreamOptions} from '../node-shell.js';
import type {WorkerChannel} from './node-worker.js';
import type {RemoteTransport, TransportFailure} from './remote-shell.js';

/** A client whose stdio is a node worker's channel. */
export function openClient(argv: readonly string[]): WorkerChannel {
	return spawnChannel([...DIE_WITH_US, ...argv], {background: true});
}

export function streamClient(argv: readonly string[], options: StreamOptions): StreamHandle {
	return streamProcess([...DIE_WITH_US, ...argv], {...options, watched: true});
}

/**
 * A transport's channels when each is a client process of this machine: `argvOf` makes the local
 * argv that runs a node-side one. `missing` tells a client that is not installed here (setpriv
 * starts it, says so, and exits 127) from a failure of the command.
 */
export function clientChannels(argvOf: (remote: readonly string[]) => string[]): Pick<RemoteTransport, 'open' | 'stream'> & {missing(result: RunResult): TransportFailure | null} {
	const client = argvOf(['true'])[0]!;
	return {
		open: remote => openClient(argvOf(remote)),
		stream: (remote, options) => streamClient(argvOf(remote), options),
		missing(result) {
			if (result.exitCode !== 127 || !result.stderr.includes(`failed to execute ${client}:`)) return null;
			return {reason: `'${client}' is not installed on this machine`, hint: 'install it, or reach the node another way (--node-ssh, --node-exec)'};
		},
	};
}
