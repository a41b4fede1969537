// One way to run a short command for the lab: argv array (never a shell string built from data),
// optional stdin, and a result value instead of a throw, so each caller decides what a failure means.
import {spawn} from 'node:child_process';

export interface CommandResult {
	ok: boolean;
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	input?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
}

export function runCommand(argv: string[], o: RunOptions = {}): Promise<CommandResult> {
	const [file, ...args] = argv;
	if (file === undefined) throw new Error('runCommand: empty argv');
	return new Promise((resolve) => {
		const child = spawn(file, args, {
			env: o.env ?? process.env,
			stdio: ['pipe', 'pipe', 'pipe'],
			timeout: o.timeoutMs ?? 30_000,
			killSignal: 'SIGKILL',
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		child.on('error', (error) => resolve({ok: false, code: null, stdout, stderr: stderr + error.message}));
		child.on('close', (code) => resolve({ok: code === 0, code, stdout, stderr}));
		child.stdin.on('error', () => {});
		child.stdin.end(o.input ?? '');
	});
}

/** The command line and what it said, for an error message. */
export function describeFailure(argv: string[], r: CommandResult): string {
	const said = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' / ');
	return `\`${argv.join(' ')}\` failed (exit ${r.code ?? 'signal'})${said ? `: ${said}` : ''}`;
}

/** Runs fn over items with at most `limit` at a time, keeping order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const workers = Array.from({length: Math.min(limit, items.length)}, async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i] as T, i);
		}
	});
	await Promise.all(workers);
	return results;
}
