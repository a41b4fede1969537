// `?`: the help screen, generated from the key registry so keys and help cannot drift apart: one
// section per scope that binds keys.
import {Box, Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {fit} from '../columns.js';
import {COMMANDS, KEY_SCOPES, keysLabel, SCOPE_HELP, scopeCommands, type CommandId, type KeyScope} from '../keys.js';
import {HEURISTIC_HELP, ROW_KIND_HELP, ROW_MARKERS, type RowKind} from '../pod-rows.js';

export interface HelpOverlayProps {
	width: number;
	height: number;
	/** Rows scrolled (j/k), when the keys do not fit. */
	scroll?: number;
}

type HelpLine = {scope: KeyScope} | {id: CommandId};

function helpLines(): HelpLine[] {
	return KEY_SCOPES.flatMap(scope => {
		const ids = scopeCommands(scope);
		return ids.length === 0 ? [] : [{scope}, ...ids.map(id => ({id}))];
	});
}

export function HelpOverlay({width, height, scroll = 0}: HelpOverlayProps) {
	const lines = helpLines();
	const kinds = Object.keys(ROW_MARKERS) as RowKind[];
	const twoColumns = width >= 76;
	const half = Math.ceil(lines.length / 2);
	const columns = twoColumns ? [lines.slice(0, half), lines.slice(half)] : [lines];
	const colWidth = Math.floor((width - 4) / columns.length);
	// The title row, the borders and the two legend rows stay; the key columns scroll together.
	const room = Math.max(1, height - 5);
	const tallest = Math.max(...columns.map(column => column.length));
	const top = Math.min(Math.max(0, scroll), Math.max(0, tallest - room));
	const info = tallest > room ? `j/k scroll (${top + 1}-${Math.min(tallest, top + room)} of ${tallest}) · esc or ? closes` : 'esc or ? closes';
	return (
		<Pane title='Help' info={<Text dimColor>{info}</Text>} focused width={width} height={height}>
			<Box flexShrink={0} height={Math.min(room, tallest)}>
				{columns.map((column, c) => (
					<Box key={c} flexDirection='column' width={colWidth} flexShrink={0}>
						{column.slice(top, top + room).map(line => ('scope' in line
							? <Text key={line.scope} wrap='truncate-end' dimColor>{line.scope} keys: {SCOPE_HELP[line.scope]}</Text>
							: (
								<Text key={line.id} wrap='truncate-end'>
									<Text bold>{fit(keysLabel(line.id).replaceAll(' / ', '/'), 16)}</Text> {COMMANDS[line.id].help}
								</Text>
							)))}
					</Box>
				))}
			</Box>
			<Text wrap='wrap'>
				<Text dimColor>pod rows: </Text>
				{[...kinds.filter(kind => kind !== 'pod').map(kind => `${ROW_MARKERS[kind]} ${ROW_KIND_HELP[kind]}`), HEURISTIC_HELP].join(' · ')}
			</Text>
		</Pane>
	);
}
