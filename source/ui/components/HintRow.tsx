// The bottom row: the active scope's hinted commands (from the registry), plus what the filter box
// or the command line expects while open.
import {Text} from 'ink';
import {displayText} from '../../core/display-text.js';
import {LINE_HELP} from '../command-line.js';
import {commandFor, COMMANDS, keysLabel, type CommandId, type KeyScope} from '../keys.js';
import type {ViewState} from '../view-state.js';

export function HintRow({filtering, line, width, scope = 'pods'}: {filtering: boolean; line: ViewState['line']; width: number; scope?: KeyScope}) {
	if (line) {
		const tail = line.error ?? (line.matches.length > 1 ? line.matches.join('  ') : `tab completes  enter runs  esc closes  ${LINE_HELP}`);
		return (
			<Text wrap='truncate-end'>
				<Text bold>:{displayText(line.text)}▏</Text>
				<Text color={line.error ? 'red' : undefined} dimColor={!line.error}>  {displayText(tail)}</Text>
			</Text>
		);
	}

	if (filtering) {
		return <Text wrap='truncate-end'>filter: type to narrow  enter keep  esc clear  ↑/↓ move</Text>;
	}

	// What the keys mean here: the active scope's commands, and the global ones it does not shadow.
	const hinted = (Object.keys(COMMANDS) as CommandId[]).filter(id => COMMANDS[id].hint !== undefined && COMMANDS[id].keys.some(key => commandFor(key, scope) === id));
	const part = (id: CommandId) => `${keysLabel(id).split(' / ')[0]} ${COMMANDS[id].hint ?? ''}`;
	// Help and quit always show: on a narrow terminal the hints before them give way, whole.
	const tail = ['help', 'quit'].filter(id => hinted.includes(id as CommandId)).map(id => part(id as CommandId)).join('  ');
	let hints = 'j/k move';
	for (const id of hinted.filter(id => id !== 'help' && id !== 'quit')) {
		const next = `${hints}  ${part(id)}`;
		if (next.length + 2 + tail.length > width) break;
		hints = next;
	}

	return <Text wrap='truncate-end' dimColor>{`${hints}  ${tail}`.slice(0, Math.max(0, width))}</Text>;
}
