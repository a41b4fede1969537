// The Flows section (`F`): the selected pod's connections as its node's conntrack holds them, one
// line each (j/k move, enter captures the flow, esc closes), the selected one's tuples below, and
// why when there is none.
import {Text} from 'ink';
import {displayText} from '../../core/display-text.js';
import {Pane} from '../components/Pane.js';
import {flowsWindow, type FlowsModel} from '../flows-model.js';
import {useTheme} from '../theme.js';

export interface FlowsPaneProps {
	model: FlowsModel;
	focused: boolean;
	width: number;
	height: number;
}

export function FlowsPane({model, focused, width, height}: FlowsPaneProps) {
	const theme = useTheme();
	const info = <Text dimColor>{model.source ? `${model.source}  ` : ''}j/k move  enter capture  esc close</Text>;
	if (model.rows.length === 0) {
		const empty = model.empty;
		return (
			<Pane title={model.title} info={info} focused={focused} width={width} height={height}>
				{typeof empty === 'string' || empty === null
					? <Text wrap='wrap' dimColor>{displayText(empty ?? '')}</Text>
					: <>
						<Text wrap='wrap' color={theme.warn}>{displayText(empty.reason)}</Text>
						<Text wrap='wrap'>{displayText(empty.hint)}</Text>
					</>}
			</Pane>
		);
	}

	// Border, title, a blank and the two tuple lines; a names problem takes one more.
	const room = Math.max(1, height - 3 - 3 - (model.namesProblem ? 1 : 0));
	const {start, end} = flowsWindow(model.rows.length, model.index, room);
	return (
		<Pane title={model.title} info={info} focused={focused} width={width} height={height}>
			{model.rows.slice(start, end).map((row, i) => {
				const selected = start + i === model.index;
				const extra = [row.nat, row.timeout].filter(Boolean).join('  ');
				return (
					<Text key={`${start + i}`} wrap='truncate-end' inverse={selected && focused} bold={selected} color={row.unreplied ? theme.warn : undefined}>
						{`${selected ? '›' : ' '} ${displayText(row.text)}  ${extra}`}
					</Text>
				);
			})}
			<Text> </Text>
			{model.tuples.map(line => <Text key={line} wrap='truncate-end' dimColor>{`  ${line}`}</Text>)}
			{model.namesProblem ? <Text wrap='truncate-end' color={theme.warn}>{displayText(`${model.namesProblem.reason} (${model.namesProblem.hint})`)}</Text> : null}
		</Pane>
	);
}
