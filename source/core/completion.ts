// Pure: what the shell may offer for the word being typed, given the words before it. The command
// tree and the flags come from the CLI's own tables, so completion never drifts from the parser.
// What only the API knows (pods, namespaces, nodes, contexts) is asked for, not fetched here.

export interface CommandTree {
	/** Command words → their sub-words, e.g. {'': ['dump', 'lab'], lab: ['up', 'down'], 'lab pod': ['add']}. */
	words: Readonly<Record<string, readonly string[]>>;
	/** Commands whose positional arguments are pods, e.g. {dump: 1, path: 2, 'lab pod delete': 1}. */
	podArguments: Readonly<Record<string, number>>;
	/** Every long flag with whether it takes a value, and its short form. */
	flags: ReadonlyArray<{long: string; short?: string; takesValue: boolean}>;
}

export type Completion =
	| {kind: 'words'; words: string[]}
	/** Pod names: NAME within `namespace`, NS/NAME when it is null. */
	| {kind: 'pods'; namespace: string | null; prefix: string}
	| {kind: 'namespaces' | 'nodes' | 'contexts'; prefix: string};

/** The flags whose value the API or the kubeconfig can supply. */
const VALUE_SOURCES: Record<string, 'namespaces' | 'nodes' | 'contexts'> = {namespace: 'namespaces', node: 'nodes', context: 'contexts'};

export function completeWord(tree: CommandTree, before: readonly string[], current: string): Completion {
	const flagOf = (word: string) => tree.flags.find(f => word === `--${f.long}` || (f.short !== undefined && word === `-${f.short}`));
	const previous = before.at(-1);
	const pending = previous === undefined ? undefined : flagOf(previous);
	if (pending?.takesValue) {
		const source = VALUE_SOURCES[pending.long];
		return source ? {kind: source, prefix: current} : {kind: 'words', words: []};
	}

	// The command words typed so far, and the positional arguments after them.
	let command = '';
	let positionals = 0;
	let namespace: string | null = null;
	for (let i = 0; i < before.length; i++) {
		const word = before[i]!;
		const flag = flagOf(word.split('=')[0]!);
		if (flag) {
			if (flag.takesValue && !word.includes('=')) {
				if (flag.long === 'namespace') namespace = before[i + 1] ?? null;
				i++;
			} else if (flag.long === 'namespace') namespace = word.slice(word.indexOf('=') + 1);
			continue;
		}

		if (word.startsWith('-')) continue;
		const next = command === '' ? word : `${command} ${word}`;
		if (positionals === 0 && (tree.words[command] ?? []).includes(word)) command = next;
		else positionals++;
	}

	if (current.startsWith('-')) {
		const names = tree.flags.flatMap(f => [`--${f.long}`, ...(f.short === undefined ? [] : [`-${f.short}`])]);
		return {kind: 'words', words: names.filter(name => name.startsWith(current)).sort()};
	}

	const sub = positionals === 0 ? tree.words[command] : undefined;
	if (sub && sub.length > 0) return {kind: 'words', words: sub.filter(word => word.startsWith(current))};
	const pods = tree.podArguments[command] ?? 0;
	if (positionals < pods) return {kind: 'pods', namespace, prefix: current};
	return {kind: 'words', words: []};
}

/** The pods to offer, from the API's list: NS/NAME across namespaces, NAME within one. */
export function podCandidates(pods: ReadonlyArray<{namespace: string; name: string}>, c: {namespace: string | null; prefix: string}): string[] {
	const names = pods.filter(p => c.namespace === null || p.namespace === c.namespace).map(p => (c.namespace === null ? `${p.namespace}/${p.name}` : p.name));
	return [...new Set(names)].filter(name => name.startsWith(c.prefix)).sort();
}
