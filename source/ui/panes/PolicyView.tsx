// `n`: the selected pod's NetworkPolicy view, in the explain overlay's frame: the enforcement
// line, then per direction the policies that select it and who may reach it / whom it may reach.
// j/k scroll; esc (or n) closes. The lines are policy-model's: this only lays them out.
import {Box, Text} from 'ink';
import {displayText} from '../../core/display-text.js';
import {Pane} from '../components/Pane.js';
import type {PolicyViewLine} from '../policy-model.js';
import {useTheme, type Theme} from '../theme.js';

export interface PolicyViewProps {
	pod: string | null;
	lines: readonly PolicyViewLine[];
	scroll: number;
	width: number;
	height: number;
}

function colorOf(theme: Theme, kind: PolicyViewLine['kind']): string | undefined {
	if (kind === 'allow') return theme.ok;
	if (kind === 'deny') return theme.error;
	return kind === 'warn' ? theme.warn : undefined;
}

export function PolicyView({pod, lines, scroll, width, height}: PolicyViewProps) {
	const theme = useTheme();
	const room = Math.max(0, height - 4);
	const start = Math.min(scroll, Math.max(0, lines.length - room));
	return (
		<Pane title={`Policy ${displayText(pod ?? '')}`} info={<Text dimColor>NetworkPolicies of this pod   (j/k scroll, esc close)</Text>} focused width={width} height={height}>
			{pod === null ? <Text dimColor>select a pod first</Text> : null}
			<Box flexDirection='column' height={room} overflow='hidden'>
				{lines.slice(start, start + room).map((line, i) => (
					<Text key={`${start + i}`} wrap='truncate-end' bold={line.kind === 'heading'} dimColor={line.kind === 'muted'} color={colorOf(theme, line.kind)}>
						{line.text || ' '}
					</Text>
				))}
			</Box>
			{lines.length > room ? <Text dimColor>{start + room < lines.length ? `↓ ${lines.length - start - room} more lines` : '(end)'}</Text> : null}
		</Pane>
	);
}
