// The Kubernetes exec subresource's websocket protocol, the part that is plain data: the request's
// query, the subprotocol choice, channel frames, and the status (channel 3) a kubelet writes at
// the end. v5.channel.k8s.io adds one thing to v4: a client may close one channel ([255, ch]),
// which is how stdin's end is told while stdout still flows.

export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type ExecProtocol = (typeof PROTOCOLS)[number];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export interface ExecRequest {
	command: string[];
	container: string | null;
	stdin: boolean;
	stdout: boolean;
	stderr: boolean;
	tty: boolean;
}

const flag = (q: URLSearchParams, name: string) => q.get(name) === 'true' || q.get(name) === '1';

/** The request's options, or why it cannot run (the apiserver's wording). */
export function parseExecQuery(q: URLSearchParams): ExecRequest | string {
	const command = q.getAll('command');
	if (command.length === 0) return 'you must specify at least 1 command';
	const r: ExecRequest = {command, container: q.get('container'), stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty: flag(q, 'tty')};
	if (!r.stdin && !r.stdout && !r.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
	if (r.tty && r.stderr) r.stderr = false;
	return r;
}

/** The newest protocol both sides speak, from the Sec-WebSocket-Protocol header; null when none. */
export function chooseProtocol(header: string | undefined): ExecProtocol | null {
	const offered = new Set((header ?? '').split(',').map(p => p.trim()));
	return PROTOCOLS.find(p => offered.has(p)) ?? null;
}

export function frame(channel: number, data: Buffer): Buffer {
	return Buffer.concat([Buffer.from([channel]), data]);
}

/** A resize message's size, or null when it is not one. */
export function parseResize(data: Buffer): {cols: number; rows: number} | null {
	try {
		const r = JSON.parse(data.toString('utf8')) as {Width?: unknown; Height?: unknown};
		const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 10_000;
		return ok(r.Width) && ok(r.Height) ? {cols: r.Width, rows: r.Height} : null;
	} catch {
		return null;
	}
}

/** What a kubelet writes on channel 3: Success, or the exit code as a cause kubectl turns into its own. */
export function exitStatus(command: readonly string[], exitCode: number | null, failure: string | null): string {
	if (exitCode === 0) return JSON.stringify({metadata: {}, status: 'Success'});
	if (exitCode === null) return JSON.stringify({metadata: {}, status: 'Failure', message: failure ?? 'the command was killed', reason: 'InternalError'});
	return JSON.stringify({
		metadata: {},
		status: 'Failure',
		message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
		reason: 'NonZeroExitCode',
		details: {causes: [{reason: 'ExitCode', message: String(exitCode)}]},
	});
}
