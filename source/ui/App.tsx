// Layout and key wiring only. State lives in the session's store (read with useSyncExternalStore)
// and in the pure view reducer; everything the app does to the world is a dispatched command.
import {useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import {Box, Text, useFocusManager, useInput} from 'ink';
import type {Store} from '../store/store.js';
import type {Dispatch, TuiState} from '../store/tui-state.js';
import {Header} from './components/Header.js';
import {HintRow} from './components/HintRow.js';
import {useCommandLineKeys} from './hooks/use-command-line-keys.js';
import {useFilterKeys} from './hooks/use-filter-keys.js';
import {useGlobalKeys} from './hooks/use-global-keys.js';
import {useOverlayKeys} from './hooks/use-overlay-keys.js';
import {usePaneKeys} from './hooks/use-pane-keys.js';
import {usePeerPickerKeys} from './hooks/use-peer-picker-keys.js';
import {useSelectedPod} from './hooks/use-selected-pod.js';
import {KeyBus, KeyBusContext} from './keys.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS} from './layout.js';
import {MainPanes} from './MainPanes.js';
import {routeLineCount} from './panes/PathPane.js';
import {peerRows} from './peer-rows.js';
import {buildRows, filterRows, sortRows} from './pod-rows.js';
import {policyViewLines} from './policy-model.js';
import {ScreenBody, type BodyFrame} from './ScreenBody.js';
import {createTheme, ThemeContext, useTheme, type Theme} from './theme.js';
import {activeKeyScope, initialViewState, resolveSelection, viewReducer, type PaneId, type ViewAction, type ViewState} from './view-state.js';

export interface CaptureSlotProps {
	width: number;
	height: number;
	focused: boolean;
}

export interface AppProps {
	store: Store<TuiState>;
	dispatch: Dispatch;
	columns: number;
	rows: number;
	onQuit(): void;
	/** The capture area (CAPTURE's pane); absent: `t` says capture is unavailable. */
	renderCapture?: (props: CaptureSlotProps) => ReactNode;
	/** The two-point capture of the open path (`t` in the path view); absent: `t` there does nothing. */
	renderTwoPoint?: (props: CaptureSlotProps) => ReactNode;
	theme?: Theme;
	/** Fixed clock for tests. */
	now?: number;
}

export function App(props: AppProps) {
	const bus = useMemo(() => new KeyBus(), []);
	const theme = useMemo(() => props.theme ?? createTheme(), [props.theme]);
	const {disableFocus} = useFocusManager();
	// We route Tab ourselves (pane focus); Ink's focus manager stays off so it never competes.
	useEffect(() => disableFocus(), [disableFocus]);
	useInput((input, key) => {
		bus.dispatch(input, key);
	});
	return (
		<ThemeContext.Provider value={theme}>
			<KeyBusContext.Provider value={bus}>
				<Screen {...props} />
			</KeyBusContext.Provider>
		</ThemeContext.Provider>
	);
}

function Screen({store, dispatch, columns, rows: terminalRows, onQuit, renderCapture, renderTwoPoint, now}: AppProps) {
	const theme = useTheme();
	const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const [view, setView] = useState<ViewState>(initialViewState);
	// Keys of one read (a paste, a fast typist: "/web⏎j") arrive before React re-renders, so key
	// handlers read and advance this ref, never the rendered `view`.
	const current = useRef(view);
	const act = useCallback((action: ViewAction) => {
		current.current = viewReducer(current.current, action);
		setView(current.current);
	}, []);
	const bus = useContext(KeyBusContext);
	const [explainScroll, setExplainScroll] = useState(0);
	const [routeScroll, setRouteScroll] = useState(0);
	// The two-point capture takes the whole body while it runs; it belongs to the open path.
	const [twoPointOpen, setTwoPointOpen] = useState(false);
	const twoPointRef = useRef(false);
	bus.scopeOf = () => activeKeyScope(current.current, store.getSnapshot().openPath !== null, twoPointRef.current);
	const showTwoPoint = useCallback((open: boolean) => {
		twoPointRef.current = open;
		setTwoPointOpen(open);
	}, []);
	// The Flows cursor, read by key handlers between renders like `current`.
	const flowAt = useRef(0);
	const [flowIndex, setFlowIndex] = useState(0);
	const moveFlow = (to: number) => {
		flowAt.current = Math.max(0, Math.min(to, (state.flows?.flows?.length ?? 1) - 1));
		setFlowIndex(flowAt.current);
	};
	const [detailsScroll, setDetailsScroll] = useState(0);

	const allRows = useMemo(() => buildRows(state.pods, state.paths, state.node), [state.pods, state.paths, state.node]);
	const sorted = useMemo(() => sortRows(allRows, view.sortKey, view.sortDescending), [allRows, view.sortKey, view.sortDescending]);
	const rows = useMemo(() => filterRows(sorted, view.filter), [sorted, view.filter]);
	const uids = useMemo(() => rows.map(row => row.uid), [rows]);
	// Like the picker's rows below, the key handlers' uids are those of `current`'s filter and sort.
	const currentUids = () => {
		const now = current.current;
		if (now.filter === view.filter && now.sortKey === view.sortKey && now.sortDescending === view.sortDescending) return uids;
		return filterRows(sortRows(allRows, now.sortKey, now.sortDescending), now.filter).map(row => row.uid);
	};
	const selection = resolveSelection(view, uids);
	// A deleted (or not yet chosen) selection is handed to the pod at its position once; the
	// reducer then follows that pod's uid, so later adds never move the cursor.
	useEffect(() => {
		act({type: 'rows-changed', uids: currentUids(), known: state.pods});
	}, [uids, state.pods, act]);
	const selected = useSelectedPod(state, view, selection.uid);
	const {pod, pathView, containers, details} = selected;
	// A new subject is read from its first fact.
	useEffect(() => setDetailsScroll(0), [details.subject, selection.uid]);
	const layout = computeLayout(columns, terminalRows, {
		captureOpen: view.captureOpen,
		captureZoomed: view.captureZoomed,
		containerRows: containers?.rows.length ?? 1,
	});
	const page = Math.max(1, layout.pods - 4);

	const route = state.openPath;
	useEffect(() => {
		if (!route && twoPointRef.current) showTwoPoint(false);
	}, [route, showTwoPoint]);
	const routeLines = route ? routeLineCount(route) : 0;
	const followProbe = useRef(false);
	const probeAnswer = route?.document?.probe;
	useEffect(() => {
		if (!followProbe.current || !probeAnswer) return;
		followProbe.current = false;
		setRouteScroll(Math.max(0, routeLines - Math.max(1, layout.lower - 3)));
	}, [probeAnswer, routeLines, layout.lower]);
	// Beside a capture on a short terminal the lower band is left out: tab skips its panes.
	const hiddenPanes: readonly PaneId[] = layout.lower === 0 ? ['path', 'containers', 'details'] : route || state.flows ? ['containers', 'details'] : [];
	const peerList = useMemo(() => state.peers?.pods ?? [...state.pods.values()], [state.peers, state.pods]);
	const pickerRows = useMemo(() => (view.picker ? peerRows(peerList, view.picker.from, view.picker.text, state.peers?.services) : []), [peerList, view.picker, state.peers?.services]);
	// Keys of one read outrun renders (see `current`): the picker's rows are recomputed from the ref.
	const currentPickerRows = () => {
		const {picker} = current.current;
		return picker ? peerRows(peerList, picker.from, picker.text, store.getSnapshot().peers?.services) : [];
	};

	const policyLines = useMemo(
		() => (view.overlay === 'policy' && pod ? policyViewLines(pod, [...state.pods.values(), ...(state.peers?.pods ?? [])], state.policy) : []),
		[view.overlay, pod, state.pods, state.peers, state.policy],
	);

	// Explain follows the selection while it is open; the session keeps its values current.
	const explainUid = view.overlay === 'explain' ? selection.uid : null;
	const lastExplain = useRef<string | null>(null);
	useEffect(() => {
		if (explainUid === lastExplain.current) return;
		lastExplain.current = explainUid;
		dispatch({type: 'explain', uid: explainUid});
	}, [explainUid, dispatch]);

	// Every handler below reads `current` (and flowAt, currentUids, currentPickerRows), never `view`.
	// The three text inputs are asked first, then an overlay, the focused pane and the global keys.
	useCommandLineKeys({current, act, names: state.names, dispatch, onQuit});
	usePeerPickerKeys({current, act, currentRows: currentPickerRows, setRouteScroll, dispatch});
	useFilterKeys({current, act});
	useOverlayKeys({current, act, setScroll: setExplainScroll});
	usePaneKeys({
		current,
		act,
		dispatch,
		layout,
		currentUids,
		page,
		flows: state.flows,
		flowAt,
		moveFlow,
		route,
		routeLines,
		setRouteScroll,
		followProbe,
		twoPointOpen: twoPointRef,
		showTwoPoint,
		hasTwoPoint: Boolean(renderTwoPoint),
		hopCount: pathView?.hops.length ?? 0,
		containerCount: containers?.rows.length ?? 0,
		detailFacts: details.facts,
		setDetailsScroll,
	});
	useGlobalKeys({current, act, store, dispatch, onQuit, hiddenPanes, currentUids, moveFlow, flows: state.flows, route});

	if (layout.tooSmall) {
		return (
			<Box width={columns} height={layout.height} flexDirection='column' justifyContent='center' alignItems='center'>
				<Text color={theme.warn} bold>terminal too small</Text>
				<Text>{columns}×{terminalRows}: k8snet-tui needs at least {MIN_COLUMNS}×{MIN_ROWS}</Text>
				<Text dimColor>q quits</Text>
			</Box>
		);
	}

	const frame: BodyFrame = {state, view, layout, columns};
	const panes = (
		<MainPanes
			{...frame}
			rows={rows}
			total={allRows.length}
			selectedIndex={selection.index}
			selected={selected}
			flowIndex={flowIndex}
			routeScroll={routeScroll}
			detailsScroll={detailsScroll}
			renderCapture={renderCapture}
		/>
	);
	return (
		<Box flexDirection='column' width={columns} height={layout.height}>
			<Header state={state} podCount={state.pods.size} width={columns} now={now} />
			<ScreenBody
				{...frame}
				pod={pod}
				overlayScroll={explainScroll}
				pickerRows={pickerRows}
				policyLines={policyLines}
				twoPointOpen={twoPointOpen}
				renderTwoPoint={renderTwoPoint}
				panes={panes}
			/>
			<HintRow filtering={view.filtering} line={view.line} width={columns} scope={activeKeyScope(view, route !== null, twoPointOpen)} />
		</Box>
	);
}
