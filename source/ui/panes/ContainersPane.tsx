// The Containers pane: the pause sandbox first, then each container, and the shared-netns fact.
// The cursor picks the container the Details pane shows.
import {Box, Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {fit, fitColumns, fitRight, type Column} from '../columns.js';
import type {ContainerRow, ContainersModel} from '../containers-model.js';
import {useTheme} from '../theme.js';

export interface ContainersPaneProps {
	model: ContainersModel | null;
	/** The row the Details pane shows. */
	selected: number;
	focused: boolean;
	width: number;
	height: number;
}

type ColumnId = 'name' | 'id' | 'state' | 'restarts' | 'pid' | 'netns' | 'image';

// By priority: ID and restarts outrank PID and netns, so they stay at 120 columns (a 52-wide pane).
const COLUMNS: ReadonlyArray<Column<ColumnId>> = [
	{id: 'name', header: 'CONTAINER', width: 10},
	{id: 'state', header: 'STATE', width: 8},
	{id: 'id', header: 'ID', width: 8},
	{id: 'restarts', header: 'RST', width: 3, right: true},
	{id: 'pid', header: 'PID', width: 6, right: true},
	{id: 'netns', header: 'NETNS', width: 16},
	{id: 'netns', header: 'NETNS', width: 10},
	{id: 'image', header: 'IMAGE', width: 12, grow: true},
];
const ORDER: readonly ColumnId[] = ['name', 'id', 'state', 'restarts', 'pid', 'netns', 'image'];

function cell(row: ContainerRow, column: Column<ColumnId>): string {
	switch (column.id) {
		case 'name': return row.name;
		// Ids are hex: their first characters are the short id docker and crictl print, no ellipsis.
		case 'id': return row.id === null ? '—' : row.id.slice(0, column.width);
		case 'state': return row.state;
		case 'restarts': return row.restarts === null ? '' : String(row.restarts);
		case 'pid': return row.pid === null ? '—' : String(row.pid);
		// The narrow netns column drops the net:[…] wrapper (the details have it).
		case 'netns': return row.netns === null ? '—' : column.width >= 16 ? `net:[${row.netns}]` : String(row.netns);
		case 'image': return row.image;
	}
}

export function ContainersPane({model, selected, focused, width, height}: ContainersPaneProps) {
	const theme = useTheme();
	// One character for the cursor marker.
	const columns = fitColumns(COLUMNS, width - 3, ORDER);
	const line = (text: (column: Column<ColumnId>) => string) => columns
		.map(column => (column.right ? fitRight(text(column), column.width) : fit(text(column), column.width)))
		.join(' ');
	const rowsRoom = Math.max(0, height - 6);
	const first = Math.min(Math.max(0, selected - rowsRoom + 1), Math.max(0, (model?.rows.length ?? 0) - rowsRoom));
	const tone = model?.tone === 'warn' ? theme.warn : model?.tone === 'ok' ? theme.ok : theme.muted;
	return (
		<Pane title='Containers' focused={focused} width={width} height={height}>
			{model === null ? <Text dimColor>select a pod</Text> : (
				<>
					<Text dimColor wrap='truncate-end'> {line(column => column.header)}</Text>
					{model.rows.slice(first, first + rowsRoom).map((row, i) => {
						const isSelected = first + i === selected;
						return (
							<Text key={`${row.kind}:${row.name}`} wrap='truncate-end' inverse={isSelected && focused} bold={isSelected} color={row.shares === false ? theme.warn : undefined}>
								{isSelected ? '›' : ' '}{line(column => cell(row, column))}{row.shares === false ? ' !' : ''}
							</Text>
						);
					})}
					<Box flexGrow={1} />
					<Box height={2} flexShrink={0}><Text wrap='wrap' color={tone}>{model.tone === 'ok' ? '= ' : ''}{model.fact}</Text></Box>
				</>
			)}
		</Pane>
	);
}
