// Explain (`e`): for the selected pod, the commands that prove each link on this node, each with
// the value it prints now. j/k scroll; esc closes.
import {Box, Text} from 'ink';
import {displayText} from '../../core/display-text.js';
import {Pane} from '../components/Pane.js';
import {explainLines} from '../explain-lines.js';
import type {TuiState} from '../../store/tui-state.js';
import {useTheme} from '../theme.js';

export interface ExplainOverlayProps {
	explain: TuiState['explain'];
	pod: string | null;
	scroll: number;
	width: number;
	height: number;
}

export function ExplainOverlay({explain, pod, scroll, width, height}: ExplainOverlayProps) {
	const theme = useTheme();
	const lines = explain ? explainLines(explain.steps, width - 2) : [];
	const room = Math.max(0, height - 4);
	const start = Math.min(scroll, Math.max(0, lines.length - room));
	return (
		<Pane title={`Explain ${displayText(pod ?? '')}`} info={<Text dimColor>run on the node; each prints the value after =   (j/k scroll, esc close)</Text>} focused width={width} height={height}>
			{explain === null ? <Text dimColor>select a pod first</Text> : null}
			{explain?.error ? <Text color={theme.warn}>{displayText(explain.error)}</Text> : null}
			<Box flexDirection='column' height={room} overflow='hidden'>
				{lines.slice(start, start + room).map((line, i) => (
					<Text
						key={`${start + i}`}
						// A command is never cut: a cut command pasted into a shell would do something else.
						wrap={line.kind === 'command' ? 'wrap' : 'truncate-end'}
						color={line.kind === 'command' ? theme.accent : line.kind === 'expect' ? theme.ok : undefined}
						dimColor={line.kind === 'what'}
					>
						{line.text || ' '}
					</Text>
				))}
			</Box>
			{lines.length > room ? <Text dimColor>{start + room < lines.length ? `↓ ${lines.length - start - room} more lines` : '(end)'}</Text> : null}
		</Pane>
	);
}
