// What fills the screen between the header and the hint row: the failure, else an overlay or the
// peer picker, else the path's two-point capture, else the panes.
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import {displayText} from '../core/display-text.js';
import type {PodInfo} from '../core/types.js';
import type {TuiState} from '../store/tui-state.js';
import type {CaptureSlotProps} from './App.js';
import type {Layout} from './layout.js';
import {ExplainOverlay} from './panes/ExplainOverlay.js';
import {HelpOverlay} from './panes/HelpOverlay.js';
import {PeerPicker} from './panes/PeerPicker.js';
import {PolicyView} from './panes/PolicyView.js';
import type {PeerRow} from './peer-rows.js';
import type {PolicyViewLine} from './policy-model.js';
import {routeExplain} from './route-model.js';
import {useTheme} from './theme.js';
import type {ViewState} from './view-state.js';

/** What every part of the body is drawn from. */
export interface BodyFrame {
	state: TuiState;
	view: ViewState;
	layout: Layout;
	columns: number;
}

export interface ScreenBodyProps extends BodyFrame {
	/** The selected pod. */
	pod: PodInfo | undefined;
	/** The open overlay's scroll. */
	overlayScroll: number;
	pickerRows: readonly PeerRow[];
	policyLines: readonly PolicyViewLine[];
	twoPointOpen: boolean;
	renderTwoPoint?: (props: CaptureSlotProps) => ReactNode;
	/** The panes, shown when nothing above takes their place. */
	panes: ReactNode;
}

export function ScreenBody({state, view, layout, columns, pod, overlayScroll, pickerRows, policyLines, twoPointOpen, renderTwoPoint, panes}: ScreenBodyProps) {
	const theme = useTheme();
	const route = state.openPath;
	if (state.phase === 'failed') {
		return (
			<Box flexDirection='column' height={layout.body} paddingX={1}>
				<Text color={theme.error} bold>{displayText(state.failure?.reason ?? 'failed')}</Text>
				<Text>{displayText(state.failure?.hint ?? '')}</Text>
				<Text dimColor>q quits</Text>
			</Box>
		);
	}

	if (view.overlay === 'help') return <HelpOverlay width={columns} height={layout.body} scroll={overlayScroll} />;
	if (view.picker) {
		const pickerFrom = state.pods.get(view.picker.from) ?? state.peers?.pods.find(p => p.uid === view.picker?.from);
		const from = pickerFrom ? `${pickerFrom.namespace}/${pickerFrom.name}` : 'the selected pod';
		return <PeerPicker from={from} text={view.picker.text} rows={pickerRows} index={view.picker.index} peers={state.peers} width={columns} height={layout.body} />;
	}

	if (view.overlay === 'policy') return <PolicyView pod={pod ? `${pod.namespace}/${pod.name}` : null} lines={policyLines} scroll={overlayScroll} width={columns} height={layout.body} />;
	if (view.overlay === 'explain' && route) return <ExplainOverlay explain={routeExplain(route)} pod={`${route.from} → ${route.to}`} scroll={overlayScroll} width={columns} height={layout.body} />;
	if (view.overlay === 'explain') return <ExplainOverlay explain={state.explain} pod={pod ? `${pod.namespace}/${pod.name}` : null} scroll={overlayScroll} width={columns} height={layout.body} />;
	if (twoPointOpen && route && renderTwoPoint) {
		return (
			<Box height={layout.body} width={columns} flexShrink={0}>
				{renderTwoPoint({width: columns, height: layout.body, focused: true})}
			</Box>
		);
	}

	return panes;
}
