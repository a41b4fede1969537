// The Containers pane: the pause sandbox first, then each container, and the shared-netns fact.
import {Box, Text} from 'ink';
import {Pane} from '../components/Pane.js';
import {fit, fitRight} from '../columns.js';
import type {ContainersModel} from '../containers-model.js';
import {useTheme} from '../theme.js';

export interface ContainersPaneProps {
	model: ContainersModel | null;
	focused: boolean;
	width: number;
	height: number;
}

export function ContainersPane({model, focused, width, height}: ContainersPaneProps) {
	const theme = useTheme();
	const inner = width - 2;
	const wide = inner >= 60;
	// At 80 columns the pane is ~34 wide: the netns column drops its net:[…] wrapper (the fact has it).
	const narrow = inner < 43;
	const name = narrow ? 8 : 10;
	const state = narrow ? 7 : 8;
	const pid = 6;
	const netns = narrow ? 10 : 16;
	const netnsText = (inode: number | null) => (inode === null ? '—' : narrow ? String(inode) : `net:[${inode}]`);
	const restarts = wide ? 4 : 0;
	const image = wide ? Math.max(6, inner - name - state - pid - netns - restarts - 6) : 0;
	const header = `${fit('CONTAINER', name)} ${fit('STATE', state)} ${fitRight('PID', pid)} ${fit('NETNS', netns)}`
		+ (wide ? ` ${fitRight('RST', restarts)} ${fit('IMAGE', image)}` : '');
	const rowsRoom = Math.max(0, height - 6);
	const tone = model?.tone === 'warn' ? theme.warn : model?.tone === 'ok' ? theme.ok : theme.muted;
	return (
		<Pane title='Containers' focused={focused} width={width} height={height}>
			{model === null ? <Text dimColor>select a pod</Text> : (
				<>
					<Text dimColor wrap='truncate-end'>{header}</Text>
					{model.rows.slice(0, rowsRoom).map(row => (
						<Text key={`${row.kind}:${row.name}`} wrap='truncate-end' color={row.shares === false ? theme.warn : undefined}>
							{fit(row.name, name)} {fit(row.state, state)} {fitRight(row.pid === null ? '—' : String(row.pid), pid)} {fit(netnsText(row.netns), netns)}
							{wide ? ` ${fitRight(row.restarts === null ? '' : String(row.restarts), restarts)} ${fit(row.image, image)}` : ''}
							{row.shares === false ? ' !' : ''}
						</Text>
					))}
					<Box flexGrow={1} />
					<Box height={2} flexShrink={0}><Text wrap='wrap' color={tone}>{model.tone === 'ok' ? '= ' : ''}{model.fact}</Text></Box>
				</>
			)}
		</Pane>
	);
}
