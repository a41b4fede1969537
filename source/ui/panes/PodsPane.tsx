// The Pods pane: a virtualized list, one fixed line per pod: marker, ns/name, IP, status, host peer.
import {Box, Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {VirtualList} from '../components/VirtualList.js';
import {fit} from '../columns.js';
import {ROW_MARKERS, type PodRow, type SortKey} from '../pod-rows.js';
import {useTheme, type Theme} from '../theme.js';

export interface PodsPaneProps {
	rows: readonly PodRow[];
	total: number;
	selectedIndex: number;
	filter: string;
	filtering: boolean;
	sortKey: SortKey;
	sortDescending: boolean;
	allNodes: boolean;
	focused: boolean;
	width: number;
	height: number;
}

interface Widths {
	title: number;
	ip: number;
	status: number;
	peer: number;
}

function widths(inner: number): Widths {
	const ip = 15;
	const status = 9;
	const peer = inner >= 70 ? 15 : 13;
	// 3 for the cursor, the marker and a space; one space between columns.
	return {title: Math.max(8, inner - 3 - ip - status - peer - 3), ip, status, peer};
}

function rowColor(row: PodRow, theme: Theme): string | undefined {
	switch (row.kind) {
		case 'host-network': return theme.host;
		case 'pending': return theme.warn;
		case 'other-node': return theme.muted;
		case 'problem': return theme.error;
		default: return undefined;
	}
}

export function PodsPane(props: PodsPaneProps) {
	const theme = useTheme();
	const inner = props.width - 2;
	const w = widths(inner);
	const listHeight = Math.max(1, props.height - 4);
	const sortLabel = `sort ${props.sortKey} ${props.sortDescending ? '↓' : '↑'}`;
	const count = props.rows.length === props.total ? `${props.total}` : `${props.rows.length}/${props.total}`;
	const filterText = props.filtering || props.filter
		? <Text color={theme.accent}>/{props.filter}{props.filtering ? '▏' : ''}</Text>
		: null;
	return (
		<Pane
			title={`Pods ${count}${props.allNodes ? ' (all nodes)' : ''}`}
			info={<Text><Text dimColor>{sortLabel}</Text> {filterText}</Text>}
			focused={props.focused}
			width={props.width}
			height={props.height}
		>
			<Box height={1} flexShrink={0}>
				<Text dimColor wrap='truncate-end'>
					{'   '}{fit('NAMESPACE/NAME', w.title)} {fit('IP', w.ip)} {fit('STATUS', w.status)} {fit('HOST PEER', w.peer)}
				</Text>
			</Box>
			<VirtualList
				items={props.rows}
				selectedIndex={props.selectedIndex}
				height={listHeight}
				keyOf={row => row.uid}
				empty={props.filter ? `no pod matches /${props.filter}` : 'no pods (yet)'}
				renderRow={(row, _index, selected) => (
					<Text wrap='truncate-end' inverse={selected} color={rowColor(row, theme)} dimColor={row.kind === 'completed'} bold={selected}>
						{selected ? '›' : ' '}{ROW_MARKERS[row.kind]} {fit(row.title, w.title)} {fit(row.ip, w.ip)} {fit(row.status, w.status)} {fit(row.peer, w.peer)}
					</Text>
				)}
			/>
		</Pane>
	);
}
