// The real kubectl against a kubeconfig, with stdin, for the lab API and agent tests.
import {spawn} from 'node:child_process';

export type Kubectl = (args: string[], input?: string) => Promise<{code: number; out: string; err: string}>;

export function kubectlFor(kubeconfig: () => string, cacheDir: () => string): Kubectl {
	return async (args, input) => {
		const child = spawn('kubectl', ['--kubeconfig', kubeconfig(), '--cache-dir', cacheDir(), ...args]);
		let out = '';
		let err = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (err += d.toString()));
		child.stdin.end(input ?? '');
		const code = await new Promise<number>(r => child.on('close', c => r(c ?? -1)));
		return {code, out, err};
	};
}
