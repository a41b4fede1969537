// The bottom row: the registry's hinted commands, plus what the filter box expects while open.
import {Text} from 'ink';
import {COMMANDS, keysLabel, type CommandId} from '../keys.js';

export function HintRow({filtering, width}: {filtering: boolean; width: number}) {
	if (filtering) {
		return <Text wrap='truncate-end'>filter: type to narrow  enter keep  esc clear  ↑/↓ move</Text>;
	}

	const hinted = (Object.keys(COMMANDS) as CommandId[]).filter(id => 'hint' in COMMANDS[id]);
	const parts = hinted.map(id => `${keysLabel(id).split(' / ')[0]} ${(COMMANDS[id] as {hint: string}).hint}`);
	return <Text wrap='truncate-end' dimColor>{`j/k move  ${parts.join('  ')}`.slice(0, Math.max(0, width))}</Text>;
}
