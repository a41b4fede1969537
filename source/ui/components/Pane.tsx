// A bordered pane with a one-line title. The focused pane gets a double border and a ▶ marker, so
// focus stays visible without colour.
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {useTheme} from '../theme.js';

export interface PaneProps {
	title: string;
	/** Right of the title: counts, sort, filter. */
	info?: ReactNode;
	focused: boolean;
	width?: number | string;
	height: number;
	children: ReactNode;
	flexGrow?: number;
}

export function Pane({title, info, focused, width, height, children, flexGrow}: PaneProps) {
	const theme = useTheme();
	return (
		<Box
			flexDirection='column'
			borderStyle={focused ? 'double' : 'single'}
			borderColor={focused ? theme.accent : theme.muted}
			width={width}
			height={height}
			flexGrow={flexGrow}
			flexShrink={0}
			overflow='hidden'
		>
			<Box height={1} flexShrink={0}>
				<Text wrap='truncate-end'>
					<Text bold color={focused ? theme.accent : undefined}>{focused ? '▶ ' : '  '}{title}</Text>
					{info ? <Text> {info}</Text> : null}
				</Text>
			</Box>
			{children}
		</Box>
	);
}
