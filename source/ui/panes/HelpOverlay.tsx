// `?`: the help screen, generated from the key registry so keys and help cannot drift apart.
import {Box, Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {fit} from '../columns.js';
import {COMMANDS, keysLabel, type CommandId} from '../keys.js';
import {HEURISTIC_HELP, ROW_KIND_HELP, ROW_MARKERS, type RowKind} from '../pod-rows.js';
import {CAPTURE_KEY_BINDINGS} from '../../capture/capture-view.js';

export interface HelpOverlayProps {
	width: number;
	height: number;
}

export function HelpOverlay({width, height}: HelpOverlayProps) {
	const ids = Object.keys(COMMANDS) as CommandId[];
	const kinds = Object.keys(ROW_MARKERS) as RowKind[];
	const twoColumns = width >= 76;
	const half = Math.ceil(ids.length / 2);
	const columns = twoColumns ? [ids.slice(0, half), ids.slice(half)] : [ids];
	const colWidth = Math.floor((width - 4) / columns.length);
	return (
		<Pane title='Help' info={<Text dimColor>esc or ? closes</Text>} focused width={width} height={height}>
			<Box flexShrink={0}>
				{columns.map((column, c) => (
					<Box key={c} flexDirection='column' width={colWidth} flexShrink={0}>
						{column.map(id => (
							<Text key={id} wrap='truncate-end'>
								<Text bold>{fit(keysLabel(id).replaceAll(' / ', '/'), 16)}</Text> {COMMANDS[id].help}
							</Text>
						))}
					</Box>
				))}
			</Box>
			<Text wrap='wrap'>
				<Text dimColor>capture pane: </Text>
				{CAPTURE_KEY_BINDINGS.map(binding => `${binding.key} ${binding.command.replace(/^capture\./, '')}`).join(' · ')}
			</Text>
			<Text wrap='wrap'>
				<Text dimColor>pod rows: </Text>
				{[...kinds.filter(kind => kind !== 'pod').map(kind => `${ROW_MARKERS[kind]} ${ROW_KIND_HELP[kind]}`), HEURISTIC_HELP].join(' · ')}
			</Text>
		</Pane>
	);
}
