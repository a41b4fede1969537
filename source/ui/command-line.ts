// Pure: k9s's command mode. `:ns NAME`, `:ctx NAME`, `:node NAME` switch what the session shows,
// `:q` quits; tab completes the word being typed from the names the session knows.

import type {SwitchTarget} from '../store/tui-state.js';

export type LineCommand = SwitchTarget | {kind: 'quit'};

export interface LineCandidates {
	contexts: readonly string[];
	namespaces: readonly string[];
	nodes: readonly string[];
}

const VERBS: Record<string, 'namespace' | 'context' | 'node' | 'quit'> = {
	ns: 'namespace', namespace: 'namespace',
	ctx: 'context', context: 'context',
	node: 'node', no: 'node',
	q: 'quit', quit: 'quit', 'q!': 'quit',
};

export const LINE_HELP = ':ns NAME|all  :ctx NAME  :node NAME  :q';

export function parseLine(text: string): {ok: true; command: LineCommand} | {ok: false; reason: string} {
	const [verb = '', name, ...extra] = text.trim().split(/\s+/);
	const kind = VERBS[verb];
	if (kind === undefined) return {ok: false, reason: verb === '' ? `commands: ${LINE_HELP}` : `no command '${verb}': ${LINE_HELP}`};
	if (kind === 'quit') return extra.length > 0 || name !== undefined ? {ok: false, reason: ':q takes nothing'} : {ok: true, command: {kind}};
	if (name === undefined || extra.length > 0) return {ok: false, reason: `:${verb} takes one name`};
	if (kind === 'namespace') return {ok: true, command: {kind, name: name === 'all' || name === '-A' ? null : name}};
	return {ok: true, command: {kind, name}};
}

/** Tab: the text completed as far as the candidates agree, and the matches to show. */
export function completeLine(text: string, candidates: LineCandidates): {text: string; matches: string[]} {
	const words = text.split(' ');
	if (words.length === 1) {
		const verbs = ['ns', 'ctx', 'node', 'q'].filter(verb => verb.startsWith(words[0]!));
		return extend(text, words[0]!, verbs, '');
	}

	const kind = VERBS[words[0]!];
	if (words.length !== 2 || kind === undefined || kind === 'quit') return {text, matches: []};
	const pool = kind === 'namespace' ? ['all', ...candidates.namespaces] : kind === 'context' ? candidates.contexts : candidates.nodes;
	const typed = words[1]!;
	return extend(text, typed, [...new Set(pool)].filter(name => name.startsWith(typed)).sort(), `${words[0]} `);
}

function extend(text: string, typed: string, matches: string[], head: string): {text: string; matches: string[]} {
	if (matches.length === 0) return {text, matches};
	if (matches.length === 1) return {text: `${head}${matches[0]} `, matches};
	let common = matches[0]!;
	for (const match of matches) while (!match.startsWith(common)) common = common.slice(0, -1);
	return {text: common.length > typed.length ? `${head}${common}` : text, matches};
}
