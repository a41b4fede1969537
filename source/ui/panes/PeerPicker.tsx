// `p`: pick the pod or Service a path goes to. What is typed narrows the list (name, namespace, IP); the
// cursor row is the peer enter chooses. A pod that cannot carry a path (not running, hostNetwork)
// is listed dimmed, below the others: choosing it shows why in the Path pane.
import {Box, Text} from 'ink';
import {displayText} from '../../core/display-text.js';
import type {PeerList} from '../../store/tui-state.js';
import {Pane} from '../components/Pane.js';
import {fit} from '../columns.js';
import type {PeerRow} from '../peer-rows.js';
import {useTheme} from '../theme.js';
import {windowStart} from '../view-state.js';

export interface PeerPickerProps {
	from: string;
	text: string;
	rows: readonly PeerRow[];
	index: number;
	peers: PeerList | null;
	width: number;
	height: number;
}

export function PeerPicker({from, text, rows, index, peers, width, height}: PeerPickerProps) {
	const theme = useTheme();
	const room = Math.max(0, height - 5);
	const start = windowStart(0, index, room, rows.length);
	const nameWidth = Math.max(20, Math.floor((width - 4) * 0.5));
	const status = peers?.loading ? 'listing the pods of every node…' : peers?.error ? `${peers.error.reason} (${peers.error.hint}): showing the pods already known` : `${rows.length} pods and Services`;
	return (
		<Pane title={`Path from ${displayText(from)} to…`} info={<Text dimColor>type to filter  ↑/↓ move  enter choose  esc close</Text>} focused width={width} height={height}>
			<Text wrap='truncate-end'><Text bold>to: {displayText(text)}▏</Text><Text dimColor={!peers?.error} color={peers?.error ? theme.warn : undefined}>  {displayText(status)}</Text></Text>
			<Box flexDirection='column' height={room} overflow='hidden'>
				{rows.length === 0 ? <Text dimColor>no pod or Service matches “{displayText(text)}”</Text> : null}
				{rows.slice(start, start + room).map((row, i) => {
					const selected = start + i === index;
					return (
						<Text key={row.uid} wrap='truncate-end' inverse={selected} bold={selected} dimColor={!row.running}>
							{`${selected ? '›' : ' '} ${fit(row.label, nameWidth)} ${fit(row.ip, 16)} ${row.node}`}
						</Text>
					);
				})}
			</Box>
		</Pane>
	);
}
