// A node reached over ssh. One connection carries every command: the master is our own foreground
// child (`-M -N -o ControlPersist=no`), its socket in a private directory, and setpriv makes the
// kernel kill it when we die. Commands go through it with `-S`; if the master is gone, ssh falls
// back to a connection of its own. BatchMode=yes: nothing ever prompts (and hangs the TUI).
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {quoteCommand} from '../../core/shell-quote.js';
import type {Result} from '../../core/types.js';
import {streamProcess} from '../child-process.js';
import {DIE_WITH_US} from '../local-shell.js';
import {clientChannels} from './remote-process.js';
import {createRemoteShell, type RemoteShell, type RemoteTransport} from './remote-shell.js';
import {describeSshFailure} from './ssh-errors.js';

export interface SshShellOptions {
	/** ssh arguments, {node}/{ip} already filled in, ending with the destination. */
	args: readonly string[];
	connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 8000;

/** The destination, which --node-ssh must end with (ssh reads anything after it as the remote command). */
function destination(args: readonly string[]): string {
	return args.at(-1) ?? '';
}

export function createSshShell(o: SshShellOptions): RemoteShell {
	const timeoutMs = o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
	const dir = mkdtempSync(join(tmpdir(), 'k8snet-ssh-'));
	const control = join(dir, 'ctl');
	const common = [
		'-T',
		'-o', 'BatchMode=yes',
		'-o', `ConnectTimeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`,
		'-o', 'ServerAliveInterval=5',
		'-o', 'ServerAliveCountMax=3',
		'-o', 'LogLevel=ERROR',
	];
	let master: {alive: boolean; kill(): void} | null = null;
	let connecting: Promise<Result<void>> | null = null;

	const startMaster = (): Promise<Result<void>> => {
		rmSync(control, {force: true});
		let stderr = '';
		// In the background: a live master must not keep `dump` from exiting.
		const handle = streamProcess([...DIE_WITH_US, 'ssh', '-M', '-N', '-o', 'ControlPersist=no', '-S', control, ...common, ...o.args], {
			background: true,
			onStdoutLine: () => undefined,
			onStderrLine(line) {
				if (stderr.length < 8192) stderr += `${line}\n`;
			},
		});
		const self = {alive: true, kill: () => handle.kill('SIGTERM')};
		master = self;

		return new Promise(resolve => {
			let settled = false;
			const settle = (result: Result<void>) => {
				if (settled) return;
				settled = true;
				clearInterval(poll);
				clearTimeout(timer);
				resolve(result);
			};

			void handle.exited.then(exit => {
				self.alive = false;
				if (exit.failure !== null) settle({ok: false, reason: `ssh could not be started: ${exit.failure}`, hint: 'install openssh-client (and util-linux for setpriv)'});
				else settle({ok: false, ...describeSshFailure(stderr)});
			});
			// ssh creates the control socket once it has logged in.
			const poll = setInterval(() => {
				if (existsSync(control)) settle({ok: true, value: undefined});
			}, 20);
			const timer = setTimeout(() => {
				handle.kill('SIGKILL');
				settle({ok: false, reason: `ssh to ${destination(o.args)} did not log in within ${timeoutMs + 2000} ms`, hint: 'the node or its ssh server hangs; check the address and -p PORT in --node-ssh'});
			}, timeoutMs + 2000);
		});
	};

	const client = clientChannels(remote => ['ssh', '-S', control, '-o', 'ControlMaster=no', ...common, ...o.args, quoteCommand(remote)]);
	const transport: RemoteTransport = {
		access: {kind: 'ssh', target: destination(o.args)},
		via: `ssh ${o.args.join(' ')}`,
		connect() {
			if (master?.alive) return Promise.resolve({ok: true, value: undefined});
			connecting ??= startMaster().finally(() => {
				connecting = null;
			});
			return connecting;
		},
		open: client.open,
		stream: client.stream,
		transportFailure(result) {
			const missing = client.missing(result);
			if (missing) return missing;
			if (result.failure !== null) return {reason: result.failure, hint: 'the node or its ssh connection hangs; the tool gave up on this command'};
			return result.exitCode === 255 ? describeSshFailure(result.stderr) : null;
		},
		close() {
			master?.kill();
			master = null;
			rmSync(dir, {recursive: true, force: true});
		},
	};
	process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
	return createRemoteShell(transport);
}
