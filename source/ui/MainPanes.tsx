// The panes of the pod list: Pods on top, the lower band below it (Flows, or an open A → B route,
// or the selected pod's Path beside Containers and Details), and the capture at the bottom, or the
// capture alone while it is zoomed.
import type {ReactNode} from 'react';
import {Box, Text} from 'ink';
import type {CaptureSlotProps} from './App.js';
import {flowsModel} from './flows-model.js';
import type {SelectedPod} from './hooks/use-selected-pod.js';
import {ContainersPane} from './panes/ContainersPane.js';
import {DetailsPane} from './panes/DetailsPane.js';
import {FlowsPane} from './panes/FlowsPane.js';
import {PathPane, pathProblem, RoutePane} from './panes/PathPane.js';
import {PodsPane} from './panes/PodsPane.js';
import type {PodRow} from './pod-rows.js';
import type {BodyFrame} from './ScreenBody.js';

export interface MainPanesProps extends BodyFrame {
	/** The pods as sorted and filtered, and how many there are before the filter. */
	rows: readonly PodRow[];
	total: number;
	selectedIndex: number;
	selected: SelectedPod;
	flowIndex: number;
	routeScroll: number;
	detailsScroll: number;
	renderCapture?: (props: CaptureSlotProps) => ReactNode;
}

export function MainPanes({state, view, layout, columns, rows, total, selectedIndex, selected, flowIndex, routeScroll, detailsScroll, renderCapture}: MainPanesProps) {
	const {pod, path, pathView, containers, containerIndex, details} = selected;
	const route = state.openPath;
	const capture = view.captureOpen
		? (
			<Box height={layout.capture} width={columns} flexShrink={0}>
				{renderCapture
					? renderCapture({width: columns, height: layout.capture, focused: view.focus === 'capture'})
					: <Text dimColor>capture is not available in this build</Text>}
			</Box>
		)
		: null;
	return view.captureZoomed && view.captureOpen ? capture : (
		<Box flexDirection='column' height={layout.body}>
			<PodsPane
				rows={rows}
				total={total}
				selectedIndex={selectedIndex}
				filter={view.filter}
				filtering={view.filtering}
				sortKey={view.sortKey}
				sortDescending={view.sortDescending}
				allNodes={state.allNodes}
				focused={view.focus === 'pods'}
				width={columns}
				height={layout.pods}
			/>
			{layout.lower === 0 ? null : state.flows ? (
				<Box height={layout.lower} flexShrink={0}>
					<FlowsPane model={flowsModel(state.flows, flowIndex)} focused={view.focus === 'path'} width={columns} height={layout.lower} />
				</Box>
			) : route ? (
				<Box height={layout.lower} flexShrink={0}>
					<RoutePane route={route} scroll={routeScroll} focused={view.focus === 'path'} width={columns} height={layout.lower} />
				</Box>
			) : <Box height={layout.lower} flexShrink={0}>
				<PathPane model={pathView} placeholder={pod && !state.view ? 'probing the node…' : 'select a pod'} problem={pathProblem(state, pod !== undefined, path)} hop={view.hop} focused={view.focus === 'path'} width={layout.pathWidth} height={layout.lower} />
				<Box flexDirection='column' width={layout.sideWidth}>
					<ContainersPane model={containers} selected={containerIndex} focused={view.focus === 'containers'} width={layout.sideWidth} height={layout.containers} />
					<DetailsPane {...details} scroll={detailsScroll} focused={view.focus === 'details'} width={layout.sideWidth} height={layout.details} />
				</Box>
			</Box>}
			{capture}
		</Box>
	);
}
