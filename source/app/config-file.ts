// $XDG_CONFIG_HOME/k8snet-tui/config.yaml: defaults for flags, written as the flags are spelled
// (`node-ssh: root@{ip}`, `namespace: shop`). They become the parser's defaults, so a flag on the
// command line always wins. A file that does not parse is one line naming the file, not a guess.
import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import yaml from 'js-yaml';
import type {Result} from '../core/types.js';

export type FlagSpec = {readonly type: 'string' | 'boolean' | 'number'; readonly shortFlag?: string; readonly default?: unknown};
export type ConfigValue = string | number | boolean;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
	const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
	return join(base, 'k8snet-tui', 'config.yaml');
}

/** Pure: the file's text against the flag table; keys in kebab-case, as typed on the command line. */
export function parseConfig(text: string, flags: Readonly<Record<string, FlagSpec>>, where: string, allowed: (name: string) => boolean): Result<Record<string, ConfigValue>> {
	let doc: unknown;
	try {
		doc = yaml.load(text);
	} catch (error) {
		return {ok: false, reason: `${where}: not YAML (${(error as Error).message.split('\n')[0]})`, hint: 'fix the file, or move it away'};
	}

	if (doc === undefined || doc === null) return {ok: true, value: {}};
	if (typeof doc !== 'object' || Array.isArray(doc)) return {ok: false, reason: `${where}: expected a mapping of flag names to values`, hint: 'e.g. "node-ssh: root@{ip}" on a line of its own'};
	const defaults: Record<string, ConfigValue> = {};
	for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
		const name = key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
		const spec = flags[name];
		if (spec === undefined || !allowed(name)) {
			const known = Object.keys(flags).filter(allowed).map(flag => flag.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`));
			return {ok: false, reason: `${where}: unknown key '${key}'`, hint: `the keys are flag names: ${known.join(', ')}`};
		}

		if (typeof value !== spec.type) return {ok: false, reason: `${where}: '${key}' must be a ${spec.type}, not ${JSON.stringify(value)}`, hint: `as on the command line: --${key}`};
		defaults[name] = value as ConfigValue;
	}

	return {ok: true, value: defaults};
}

/** The file's defaults; no file is no defaults. */
export function loadConfig(flags: Readonly<Record<string, FlagSpec>>, allowed: (name: string) => boolean, path = configPath()): Result<Record<string, ConfigValue>> {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {ok: true, value: {}};
		return {ok: false, reason: `cannot read ${path}: ${(error as Error).message}`, hint: 'fix its permissions, or move it away'};
	}

	return parseConfig(text, flags, path, allowed);
}

/** The flag table with the file's values as defaults. */
export function withDefaults<T extends Record<string, FlagSpec>>(flags: T, defaults: Record<string, ConfigValue>): T {
	const merged: Record<string, FlagSpec> = {...flags};
	for (const [name, value] of Object.entries(defaults)) merged[name] = {...flags[name]!, default: value};
	return merged as T;
}
