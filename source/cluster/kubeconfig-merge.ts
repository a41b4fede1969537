// Reads kubeconfig files and merges them the way kubectl (client-go's clientcmd) does, because
// client-node's loadFromDefault differs: it throws on a name two files share, lets the last file's
// current-context win, fails on a KUBECONFIG entry that does not exist, and reads token-file
// relative to the working directory. kubectl: the first file to define a name or set
// current-context wins, missing files are skipped, relative paths are relative to their file.
import {readFileSync} from 'node:fs';
import {dirname, isAbsolute, join} from 'node:path';
import yaml from 'js-yaml';
import type {Result} from '../core/types.js';

type Entry = {name: string; file: string; body: Record<string, unknown>};

export interface MergedKubeconfig {
	/** The files that were read, in order. */
	files: string[];
	currentContext: string | null;
	clusters: Map<string, Entry>;
	users: Map<string, Entry>;
	contexts: Map<string, Entry>;
}

/** Where each entry kind keeps its paths that kubectl resolves against the file's folder. */
const pathFields: Record<'cluster' | 'user', string[]> = {
	cluster: ['certificate-authority'],
	user: ['client-certificate', 'client-key', 'token-file'],
};

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function resolvePaths(kind: 'cluster' | 'user', body: Record<string, unknown>, dir: string): Record<string, unknown> {
	const out = {...body};
	for (const field of pathFields[kind]) {
		const v = out[field];
		if (typeof v === 'string' && v !== '' && !isAbsolute(v)) out[field] = join(dir, v);
	}

	// An exec plugin given as a relative path (not a bare command name) is relative to the file too.
	if (kind === 'user' && isRecord(out['exec'])) {
		const command = out['exec']['command'];
		if (typeof command === 'string' && command.includes('/') && !isAbsolute(command)) {
			out['exec'] = {...out['exec'], command: join(dir, command)};
		}
	}

	return out;
}

function firstLine(s: string): string {
	return s.split('\n')[0]!.trim();
}

/** Parses one kubeconfig file's text; `file` only names it in errors and anchors relative paths. */
export function parseKubeconfig(text: string, file: string): Result<Omit<MergedKubeconfig, 'files'>> {
	let doc: unknown;
	try {
		doc = yaml.load(text);
	} catch (error) {
		return {
			ok: false,
			reason: `kubeconfig ${file} does not parse: ${firstLine((error as Error).message)}`,
			hint: 'fix the YAML, or point --kubeconfig / KUBECONFIG at another file',
		};
	}

	const merged: Omit<MergedKubeconfig, 'files'> = {
		currentContext: null,
		clusters: new Map(),
		users: new Map(),
		contexts: new Map(),
	};
	// kubectl accepts an empty file as an empty config.
	if (doc === undefined || doc === null) return {ok: true, value: merged};
	if (!isRecord(doc)) {
		return {
			ok: false,
			reason: `kubeconfig ${file} does not parse: it is not a YAML mapping`,
			hint: 'a kubeconfig has clusters:, users:, contexts: and current-context:',
		};
	}

	const dir = dirname(file);
	const sections = [
		['clusters', 'cluster', merged.clusters],
		['users', 'user', merged.users],
		['contexts', 'context', merged.contexts],
	] as const;
	for (const [section, key, into] of sections) {
		const list = doc[section];
		if (list === undefined || list === null) continue;
		if (!Array.isArray(list)) {
			return {
				ok: false,
				reason: `kubeconfig ${file} does not parse: '${section}' is not a list`,
				hint: `each entry of '${section}' looks like {name: ..., ${key}: {...}}`,
			};
		}

		for (const [i, item] of list.entries()) {
			if (!isRecord(item) || typeof item['name'] !== 'string' || item['name'] === '') {
				return {
					ok: false,
					reason: `kubeconfig ${file} does not parse: ${section}[${i}] has no name`,
					hint: `each entry of '${section}' looks like {name: ..., ${key}: {...}}`,
				};
			}

			const rawBody = item[key] ?? {};
			if (!isRecord(rawBody)) {
				return {
					ok: false,
					reason: `kubeconfig ${file} does not parse: ${section}[${i}].${key} is not a mapping`,
					hint: `each entry of '${section}' looks like {name: ..., ${key}: {...}}`,
				};
			}

			const body = key === 'context' ? rawBody : resolvePaths(key, rawBody, dir);
			// kubectl refuses a name twice in one file (across files, the first file wins).
			if (into.has(item['name'])) {
				return {
					ok: false,
					reason: `kubeconfig ${file} does not parse: ${section} has the name "${item['name']}" twice`,
					hint: `rename or remove one of the two '${item['name']}' entries`,
				};
			}

			into.set(item['name'], {name: item['name'], file, body});
		}
	}

	const current = doc['current-context'];
	if (typeof current === 'string' && current !== '') merged.currentContext = current;
	return {ok: true, value: merged};
}

function readText(file: string): Result<string> {
	try {
		return {ok: true, value: readFileSync(file, 'utf8')};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
		return {
			ok: false,
			reason: `cannot read kubeconfig ${file}: ${why}`,
			hint: 'check --kubeconfig / KUBECONFIG',
		};
	}
}

/**
 * Reads and merges files in order. `mustExist` is kubectl's rule for --kubeconfig (the file must
 * be there); KUBECONFIG entries that do not exist are skipped, as kubectl does.
 */
export function mergeKubeconfigFiles(files: string[], mustExist: boolean): Result<MergedKubeconfig> {
	const merged: MergedKubeconfig = {
		files: [],
		currentContext: null,
		clusters: new Map(),
		users: new Map(),
		contexts: new Map(),
	};
	for (const file of files) {
		const text = readText(file);
		if (!text.ok) {
			if (!mustExist && text.reason.endsWith('no such file')) continue;
			return text;
		}

		const parsed = parseKubeconfig(text.value, file);
		if (!parsed.ok) return parsed;
		merged.files.push(file);
		merged.currentContext ??= parsed.value.currentContext;
		for (const kind of ['clusters', 'users', 'contexts'] as const) {
			for (const [name, entry] of parsed.value[kind]) if (!merged[kind].has(name)) merged[kind].set(name, entry);
		}
	}

	return {ok: true, value: merged};
}

/** KUBECONFIG split as kubectl splits it: ':'-separated, empty entries and repeats dropped. */
export function kubeconfigEnvFiles(value: string): string[] {
	return [...new Set(value.split(':').filter(f => f !== ''))];
}
