// The capture area: CAPTURE's CaptureView for the running capture, or why there is none.
import {useSyncExternalStore} from 'react';
import {Text} from 'ink';
import type {CaptureState} from '../../app/session.js';
import {displayText} from '../../core/display-text.js';
import type {Store} from '../../store/store.js';
import type {Dispatch} from '../../store/tui-state.js';
import {Pane} from '../components/Pane.js';
import {useTheme} from '../theme.js';
import {CaptureView} from './CapturePane.js';

export interface CaptureSlotProps {
	captures: Store<CaptureState>;
	dispatch: Dispatch;
	width: number;
	height: number;
	focused: boolean;
}

export function CaptureSlot({captures, dispatch, width, height, focused}: CaptureSlotProps) {
	const theme = useTheme();
	const {session, error, uid} = useSyncExternalStore(captures.subscribe, captures.getSnapshot);
	if (session) {
		return <CaptureView key={uid} store={session} width={width} height={height} focused={focused} onCommand={command => dispatch({type: 'capture-command', command})} onFilter={filter => dispatch({type: 'capture-filter', filter})} />;
	}

	return (
		<Pane title='capture' focused={focused} width={width} height={height}>
			{error
				? <><Text color={theme.error}>{displayText(error.reason)}</Text><Text>{displayText(error.hint)}</Text></>
				: <Text dimColor>starting tcpdump…</Text>}
		</Pane>
	);
}
