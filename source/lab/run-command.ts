// One way to run a short command for the lab, on top of the node shells' runProcess: argv array
// (never a shell string built from data), optional stdin and environment, and a result value
// instead of a throw, so each caller decides what a failure means.
import {runProcess} from '../node/child-process.js';

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

export async function runCommand(argv: string[], o: RunOptions = {}): Promise<CommandResult> {
	if (argv.length === 0) throw new Error('runCommand: empty argv');
	// Stdin is always a closed pipe, so a command that reads it (a CNI plugin) never waits on ours.
	const r = await runProcess(argv, {input: o.input ?? '', env: o.env, timeoutMs: o.timeoutMs ?? 30_000});
	return {
		ok: r.exitCode === 0 && r.failure === null,
		code: r.exitCode,
		stdout: r.stdout,
		stderr: r.failure === null ? r.stderr : `${r.stderr}${r.failure}`,
	};
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
