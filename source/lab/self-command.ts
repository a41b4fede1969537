// The lab's daemons (API server, API forwarder) are this same CLI run again with a hidden
// subcommand, so they need the argv that starts "us": from source that is node + the tsx loader +
// source/cli.ts; from the esbuild bundle it is node + dist/cli.js (chunks sit next to it).
import {fileURLToPath} from 'node:url';

export function selfCommand(): string[] {
	const here = import.meta.url;
	if (here.endsWith('.ts')) {
		// Resolve the loader to an absolute URL: `--import tsx` alone resolves from the cwd.
		const tsx = import.meta.resolve('tsx');
		return [process.execPath, '--import', tsx, fileURLToPath(new URL('../cli.ts', here))];
	}

	return [process.execPath, fileURLToPath(new URL('cli.js', here))];
}
