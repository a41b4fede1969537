// Tests that need root or a system tool skip loudly on a laptop, but under CI=true a missing
// prerequisite is a failure: `needs()` throws there, so the whole file fails instead of skipping.
import {execFileSync} from 'node:child_process';

function hasTool(tool: string): boolean {
	try {
		execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

export interface Needs {
	root?: boolean;
	tools?: string[];
	files?: string[];
}

/** Returns false when everything is there, or the reason to skip. Throws under CI=true. */
export function needs(what: Needs): string | false {
	const missing: string[] = [];
	if (what.root && process.getuid?.() !== 0) missing.push('root');
	for (const tool of what.tools ?? []) if (!hasTool(tool)) missing.push(`the '${tool}' command`);
	for (const file of what.files ?? []) {
		try {
			execFileSync('test', ['-e', file]);
		} catch {
			missing.push(file);
		}
	}

	if (missing.length === 0) return false;
	const reason = `needs ${missing.join(', ')}`;
	if (process.env['CI'] === 'true') throw new Error(`prerequisite missing under CI: ${reason}`);
	console.warn(`\n*** SKIPPING: ${reason} (install it or run as root; under CI=true this fails) ***\n`);
	return reason;
}
