// The Details pane: every fact of the selected hop, as a two-column table.
import {Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {fit} from '../columns.js';
import type {Hop} from '../path-model.js';

export interface DetailsPaneProps {
	hop: Hop | null;
	focused: boolean;
	width: number;
	height: number;
}

export function DetailsPane({hop, focused, width, height}: DetailsPaneProps) {
	const facts = hop?.facts ?? [];
	const label = Math.min(Math.max(...facts.map(([key]) => key.length), 8), Math.floor((width - 2) / 2));
	return (
		<Pane title={hop ? `Details: ${hop.kind}` : 'Details'} focused={focused} width={width} height={height}>
			{hop === null ? <Text dimColor>no hop selected</Text> : facts.slice(0, Math.max(0, height - 3)).map(([key, value]) => (
				<Text key={key} wrap='truncate-end'><Text dimColor>{fit(key, label)}</Text> {value}</Text>
			))}
		</Pane>
	);
}
