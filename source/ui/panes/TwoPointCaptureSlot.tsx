// The two-point area: the running two-point capture, or that it is starting, or why it did not start.
import {useSyncExternalStore} from 'react';
import {Text} from 'ink';
import type {TwoPointState} from '../../app/session.js';
import {displayText} from '../../core/display-text.js';
import type {Store} from '../../store/store.js';
import type {Dispatch} from '../../store/tui-state.js';
import {Pane} from '../components/Pane.js';
import {useTheme} from '../theme.js';
import {TwoPointView} from './TwoPointCapturePane.js';

export interface TwoPointSlotProps {
	twoPoint: Store<TwoPointState>;
	dispatch: Dispatch;
	width: number;
	height: number;
	focused: boolean;
}

export function TwoPointCaptureSlot({twoPoint, dispatch, width, height, focused}: TwoPointSlotProps) {
	const theme = useTheme();
	const {capture, error} = useSyncExternalStore(twoPoint.subscribe, twoPoint.getSnapshot);
	if (capture) {
		return (
			<TwoPointView
				capture={capture}
				width={width}
				height={height}
				focused={focused}
				onPick={stream => dispatch({type: 'two-point-pick', stream})}
				onCommand={command => dispatch({type: 'two-point-command', command})}
			/>
		);
	}

	return (
		<Pane title='two-point capture' focused={focused} width={width} height={height}>
			{error
				? <><Text color={theme.error}>{displayText(error.reason)}</Text><Text>{displayText(error.hint)}</Text></>
				: <Text dimColor>starting tcpdump at two hops…</Text>}
		</Pane>
	);
}
