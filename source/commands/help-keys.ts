// `k8snet-tui help keys`: the TUI's key map, one section per scope, printed from the one key
// registry (the same the `?` screen renders), so it cannot drift from what the keys do. A scope's key
// that outranks a global one says which, so nobody wonders why `G` scrolls the capture.
import {COMMANDS, KEY_SCOPES, keysLabel, SCOPE_HELP, scopeCommands, type CommandId} from '../ui/keys.js';

const KEY_COLUMN = 24;

/** The global commands a scoped command's keys take the place of, while that scope is active. */
function shadowed(id: CommandId): CommandId[] {
	const spec = COMMANDS[id];
	if (spec.scope === 'global') return [];
	return scopeCommands('global').filter(other => COMMANDS[other].keys.some(key => spec.keys.includes(key)));
}

export function keyMapText(): string {
	const sections = KEY_SCOPES.flatMap(scope => {
		const ids = scopeCommands(scope);
		if (ids.length === 0) return [];
		const rows = ids.map(id => {
			const over = shadowed(id).map(other => COMMANDS[other].help);
			const note = over.length === 0 ? '' : `  (here instead of global: ${over.join(', ')})`;
			return `  ${keysLabel(id).padEnd(KEY_COLUMN - 3)} ${COMMANDS[id].help}${note}`;
		});
		return [`${scope} keys: ${SCOPE_HELP[scope]}`, ...rows, ''];
	});
	return ['k8snet-tui keys, by scope (the TUI\'s ? shows the same):', '', ...sections].join('\n').trimEnd();
}

export function runHelpKeys(words: readonly string[]): number {
	if (words[0] !== 'keys' || words.length > 1) {
		console.error(`k8snet-tui help: ${words[0] === undefined ? 'which?' : `no 'help ${words.join(' ')}'`} (k8snet-tui help keys prints the key map; k8snet-tui --help the commands)`);
		return 1;
	}
	console.log(keyMapText());
	return 0;
}
