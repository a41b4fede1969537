// The one way the tool touches a node: run a command to completion, or stream its output.
// Local, lab (a netns on this host), and later docker-exec / ssh shells all implement this, so the
// probe and the capture never care how the node is reached. Commands are argv arrays: nothing
// here goes through a local shell.
import type {Duplex} from 'node:stream';
import type {NodeAccess, Result} from '../core/types.js';

export interface RunOptions {
	/** Written to the command's stdin, then stdin is closed. */
	input?: string;
	timeoutMs?: number;
	signal?: AbortSignal;
}

export interface RunResult {
	exitCode: number | null;
	stdout: string;
	stderr: string;
	/** Set when the command could not be started at all (ENOENT, EACCES) or timed out. */
	failure: string | null;
}

export interface StreamOptions {
	signal?: AbortSignal;
	/** stdout as text, line by line. Ignored when onStdoutData is given. */
	onStdoutLine?(line: string): void;
	/** stdout as the bytes the command wrote (a pcap from `tcpdump -w -`), chunk by chunk, unchanged. */
	onStdoutData?(chunk: Buffer): void;
	onStderrLine?(line: string): void;
}

export interface StreamHandle {
	/** The local pid of the process we spawned: the ssh or docker client, or the watchdog's sh for local shells. */
	readonly pid: number | undefined;
	/** Resolves once the process has exited, with its exit code or terminating signal. */
	readonly exited: Promise<{exitCode: number | null; signal: string | null; failure: string | null}>;
	/** Send a signal to the remote/local command (SIGUSR1 for tcpdump counters). */
	kill(signal?: NodeJS.Signals): void;
}

export interface NodeShell {
	readonly access: NodeAccess;
	/**
	 * True when this process sees the node's /proc and /run/netns directly (local node, lab netns
	 * on this host): netns discovery can then read the filesystem instead of spawning anything.
	 */
	readonly sharesProcfs: boolean;
	/** The node's own network namespace file, for sharesProcfs shells (e.g. /proc/self/ns/net). */
	readonly nodeNetnsPath: string | null;
	run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
	stream(argv: readonly string[], options: StreamOptions): StreamHandle;
}

/** What a node offers the tool, checked once per node: whether commands run as root, and the tools it lacks. */
export interface NodeCapabilities {
	/** Commands run as root, directly or through `sudo -n`. */
	root: boolean;
	/** Tools the product uses that the node does not have (ip, bridge, nsenter, setpriv, tcpdump, stat, cat). */
	missing: string[];
	nsenter: boolean;
}

/**
 * A node as the node registry hands it out: its commands, plus what every access can offer above
 * them. Nothing that holds one knows how the node is reached.
 */
export interface NodeEndpoint extends NodeShell {
	readonly name: string;
	capabilities(): Promise<Result<NodeCapabilities>>;
	/** A byte stream to a unix socket on the node (a container runtime's CRI socket). */
	openUnixSocket(path: string): Promise<Result<Duplex>>;
}
