// Renders only the visible window of a list of fixed one-line rows: the window is index
// arithmetic, so 10,000 pods cost the same frame as 20.
import {useRef, type ReactNode} from 'react';
import {Box, Text} from 'ink';
import {windowStart} from '../view-state.js';

export interface VirtualListProps<T> {
	items: readonly T[];
	selectedIndex: number;
	height: number;
	renderRow(item: T, index: number, selected: boolean): ReactNode;
	keyOf(item: T): string;
	empty?: string;
}

export function VirtualList<T>({items, selectedIndex, height, renderRow, keyOf, empty}: VirtualListProps<T>) {
	const start = useRef(0);
	start.current = windowStart(start.current, selectedIndex, height, items.length);
	const visible = items.slice(start.current, start.current + height);
	if (items.length === 0) return <Text dimColor>{empty ?? '(nothing)'}</Text>;
	return (
		<Box flexDirection='column' height={height} overflow='hidden'>
			{visible.map((item, offset) => {
				const index = start.current + offset;
				return <Box key={keyOf(item)} height={1}>{renderRow(item, index, index === selectedIndex)}</Box>;
			})}
		</Box>
	);
}
