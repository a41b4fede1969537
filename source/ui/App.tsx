// Layout and key wiring only. State lives in the session's store (read with useSyncExternalStore)
// and in the pure view reducer; everything the app does to the world is a dispatched command.
import {useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode} from 'react';
import {Box, Text, useFocusManager, useInput} from 'ink';
import {displayText} from '../core/display-text.js';
import type {Store} from '../store/store.js';
import type {Dispatch, TuiState} from '../store/tui-state.js';
import {Header} from './components/Header.js';
import {HintRow} from './components/HintRow.js';
import {containersModel, rowSubject} from './containers-model.js';
import {KeyBus, KeyBusContext, PRIORITY, useKeyHandler, type KeyEvent} from './keys.js';
import {completeLine, parseLine} from './command-line.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS} from './layout.js';
import {pathModel, podsByPeer} from './path-model.js';
import {buildRows, filterRows, sortRows} from './pod-rows.js';
import {ContainersPane} from './panes/ContainersPane.js';
import {detailLines, DetailsPane, detailsRoom} from './panes/DetailsPane.js';
import {ExplainOverlay} from './panes/ExplainOverlay.js';
import {FlowsPane} from './panes/FlowsPane.js';
import {flowsModel} from './flows-model.js';
import {HelpOverlay} from './panes/HelpOverlay.js';
import {PathPane, pathProblem, RoutePane, routeLineCount} from './panes/PathPane.js';
import {PeerPicker} from './panes/PeerPicker.js';
import {PolicyView} from './panes/PolicyView.js';
import {policyViewLines} from './policy-model.js';
import {peerRows} from './peer-rows.js';
import {routeExplain} from './route-model.js';
import {PodsPane} from './panes/PodsPane.js';
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
	const pod = selection.uid === null ? undefined : state.pods.get(selection.uid);
	const path = selection.uid === null ? undefined : state.paths.get(selection.uid);
	const byPeer = useMemo(() => podsByPeer(state.paths.values()), [state.paths]);
	const pathView = useMemo(
		() => (path ? pathModel(path, state.view, state.rates, byPeer) : null),
		[path, state.view, state.rates, byPeer],
	);
	const containers = useMemo(() => (pod ? containersModel(pod, path, state.runtime) : null), [pod, path, state.runtime]);
	const hop = pathView?.hops[Math.min(view.hop, Math.max(0, pathView.hops.length - 1))] ?? null;
	const containerIndex = Math.min(view.container, Math.max(0, (containers?.rows.length ?? 1) - 1));
	const containerRow = containers?.rows[containerIndex] ?? null;
	const details = view.detailsOf === 'container'
		? {subject: containerRow ? rowSubject(containerRow) : null, facts: containerRow?.facts ?? [], placeholder: 'no container selected'}
		: {subject: hop?.kind ?? null, facts: hop?.facts ?? [], placeholder: 'no hop selected'};
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
	const pickerFrom = view.picker ? state.pods.get(view.picker.from) ?? state.peers?.pods.find(p => p.uid === view.picker?.from) : undefined;
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

	useKeyHandler(PRIORITY.textInput, (event: KeyEvent) => {
		const {line} = current.current;
		if (line === null) return false;
		if (event.name === 'esc') act({type: 'line-close'});
		else if (event.name === 'backspace') {
			if (line.text === '') act({type: 'line-close'});
			else act({type: 'line-set', text: line.text.slice(0, -1)});
		} else if (event.name === 'tab') {
			const completed = completeLine(line.text, state.names);
			act({type: 'line-set', text: completed.text, matches: completed.matches, error: completed.matches.length === 0 ? 'nothing to complete' : null});
		} else if (event.name === 'enter') {
			const parsed = parseLine(line.text);
			if (!parsed.ok) act({type: 'line-set', text: line.text, error: parsed.reason});
			else {
				act({type: 'line-close'});
				if (parsed.command.kind === 'quit') onQuit();
				else dispatch({type: 'switch', to: parsed.command});
			}
		} else if (event.name === 'ctrl-c') return false;
		else if (event.input.length > 0 && !event.name.startsWith('ctrl-') && event.name === event.input) act({type: 'line-set', text: line.text + event.input});
		return true;
	});

	useKeyHandler(PRIORITY.textInput, (event: KeyEvent) => {
		const {picker} = current.current;
		if (picker === null) return false;
		const moves: Partial<Record<string, number>> = {'down': 1, 'up': -1, 'ctrl-n': 1, 'ctrl-p': -1, 'pgdn': 10, 'pgup': -10};
		const delta = moves[event.name];
		if (event.name === 'esc') act({type: 'picker-close'});
		else if (event.name === 'backspace') act({type: 'picker-backspace'});
		else if (delta !== undefined) act({type: 'picker-move', delta, count: currentPickerRows().length});
		else if (event.name === 'enter') {
			const chosen = currentPickerRows()[picker.index];
			if (!chosen) return true;
			act({type: 'picker-close'});
			act({type: 'focus', pane: 'path'});
			setRouteScroll(0);
			dispatch({type: 'path-open', from: picker.from, to: chosen.uid});
		} else if (event.name === 'ctrl-c') return false;
		else if (event.input.length > 0 && !event.name.startsWith('ctrl-') && event.name === event.input) act({type: 'picker-type', text: event.input});
		return true;
	});

	useKeyHandler(PRIORITY.textInput, (event: KeyEvent) => {
		if (!current.current.filtering) return false;
		if (event.name === 'enter') act({type: 'filter-accept'});
		else if (event.name === 'esc') act({type: 'filter-clear'});
		else if (event.name === 'backspace') act({type: 'filter-backspace'});
		else if (['up', 'down', 'pgup', 'pgdn', 'ctrl-c'].includes(event.name)) return false;
		else if (event.input.length > 0 && !event.name.startsWith('ctrl-') && event.name === event.input) act({type: 'filter-type', text: event.input});
		return true;
	});

	useKeyHandler(PRIORITY.overlay, (event: KeyEvent) => {
		const {overlay} = current.current;
		if (overlay === null || event.command === 'quit') return false;
		if (event.command === 'back' || (event.command === 'help' && overlay === 'help') || (event.command === 'explain' && overlay === 'explain')) {
			act({type: 'overlay', overlay: null});
			setExplainScroll(0);
		} else if (event.command === 'nav.down') setExplainScroll(s => s + 1);
		else if (event.command === 'nav.up') setExplainScroll(s => Math.max(0, s - 1));
		else if (event.command === 'nav.pageDown') setExplainScroll(s => s + 10);
		else if (event.command === 'nav.pageUp') setExplainScroll(s => Math.max(0, s - 10));
		else if (event.command === 'nav.top') setExplainScroll(0);
		// Everything else is swallowed: the panes under an overlay must not move unseen.
		return true;
	});

	// Path's hops and Containers' rows: j/k/g/G move the cursor Details follows, enter goes to Details.
	const cursorKey = (type: 'hop' | 'container', count: number, event: KeyEvent): boolean => {
		const moves: Partial<Record<string, number>> = {'nav.down': 1, 'nav.up': -1, 'nav.top': -count, 'nav.bottom': count};
		const delta = event.command ? moves[event.command] : undefined;
		if (delta !== undefined) act({type, delta, count});
		else if (event.command === 'drill') act({type: 'focus', pane: 'details'});
		else if (event.command === 'back') act({type: 'focus', pane: 'pods'});
		else return false;
		return true;
	};

	useKeyHandler(PRIORITY.pane, (event: KeyEvent) => {
		if (current.current.overlay !== null) return false;
		if (twoPointRef.current) {
			// The two-point pane reads its own keys (1, 2, c, w); only app-level ones go on past it.
			if (event.command === 'back') {
				dispatch({type: 'two-point-stop'});
				showTwoPoint(false);
				return true;
			}

			return !(event.command && ['quit', 'help', 'refresh', 'command'].includes(event.command));
		}

		const focus = current.current.focus;
		switch (focus) {
			case 'pods': {
				const uids = currentUids();
				const moves: Partial<Record<string, number>> = {'nav.down': 1, 'nav.up': -1, 'nav.pageDown': page, 'nav.pageUp': -page};
				const delta = event.command ? moves[event.command] : undefined;
				if (delta !== undefined) act({type: 'move', delta, uids});
				else if (event.command === 'nav.top') act({type: 'move-to', index: 0, uids});
				else if (event.command === 'nav.bottom') act({type: 'move-to', index: uids.length - 1, uids});
				else if (event.command === 'drill') act({type: 'focus', pane: 'path'});
				else return false;
				return true;
			}

			case 'path': {
				if (state.flows) {
					const moves: Partial<Record<string, number>> = {'nav.down': 1, 'nav.up': -1, 'nav.pageDown': 10, 'nav.pageUp': -10};
					const delta = event.command ? moves[event.command] : undefined;
					const count = state.flows.flows?.length ?? 0;
					if (delta !== undefined) moveFlow(flowAt.current + delta);
					else if (event.command === 'nav.top') moveFlow(0);
					else if (event.command === 'nav.bottom') moveFlow(count - 1);
					else if (event.command === 'drill') {
						const flow = state.flows.flows?.[Math.min(flowAt.current, count - 1)];
						if (!flow) return true;
						dispatch({type: 'flow-capture', uid: state.flows.uid, entry: flow.entry});
						act({type: 'capture-open'});
					} else if (event.command === 'back') dispatch({type: 'flows-close'});
					else return false;
					return true;
				}

				if (route) {
					const room = Math.max(1, layout.lower - 3);
					const last = Math.max(0, routeLines - room);
					if (event.command === 'nav.down') setRouteScroll(s => Math.min(last, s + 1));
					else if (event.command === 'nav.up') setRouteScroll(s => Math.max(0, s - 1));
					else if (event.command === 'nav.pageDown') setRouteScroll(s => Math.min(last, s + room));
					else if (event.command === 'nav.pageUp') setRouteScroll(s => Math.max(0, s - room));
					else if (event.command === 'nav.top') setRouteScroll(0);
					else if (event.command === 'nav.bottom') setRouteScroll(last);
					else if (event.command === 'back') dispatch({type: 'path-close'});
					else if (event.command === 'path.probe' && route.document && !route.probing) {
						// The answer is the path's last line: show the bottom now, and again when it comes.
						followProbe.current = true;
						setRouteScroll(last + 1);
						dispatch({type: 'path-probe'});
					}
					else if (event.command === 'path.twoPoint' && renderTwoPoint && route.document) {
						dispatch({type: 'two-point-start'});
						showTwoPoint(true);
					} else return false;
					return true;
				}

				return cursorKey('hop', pathView?.hops.length ?? 0, event);
			}

			case 'capture': {
				// The capture pane reads its own keys; only app-level ones go on past it.
				const passes = ['pane.next', 'pane.prev', 'quit', 'help', 'capture.zoom', 'back', 'refresh', 'command'];
				return !(event.command && passes.includes(event.command));
			}

			case 'containers': return cursorKey('container', containers?.rows.length ?? 0, event);

			default: {
				const last = Math.max(0, detailLines(details.facts, layout.sideWidth).lines.length - detailsRoom(layout.details));
				if (event.command === 'nav.down') setDetailsScroll(s => Math.min(last, s + 1));
				else if (event.command === 'nav.up') setDetailsScroll(s => Math.max(0, s - 1));
				else if (event.command === 'nav.top') setDetailsScroll(0);
				else if (event.command === 'nav.bottom') setDetailsScroll(last);
				else if (event.command === 'back') act({type: 'focus', pane: current.current.detailsOf === 'container' ? 'containers' : 'path'});
				else return false;
				return true;
			}
		}
	});

	useKeyHandler(PRIORITY.global, (event: KeyEvent) => {
		const now = current.current;
		switch (event.command) {
			case 'quit': onQuit(); break;
			case 'agent.start': if (store.getSnapshot().agentOffer !== null) dispatch({type: 'start-agent'}); break;
			case 'pane.next': act({type: 'focus-cycle', delta: 1, hidden: hiddenPanes}); break;
			case 'pane.prev': act({type: 'focus-cycle', delta: -1, hidden: hiddenPanes}); break;
			case 'filter': act({type: 'filter-open'}); break;
			case 'command': act({type: 'line-open'}); break;
			case 'sort.next': act({type: 'sort-next'}); break;
			case 'sort.reverse': act({type: 'sort-reverse'}); break;
			case 'nodes.toggle': dispatch({type: 'toggle-all-nodes'}); break;
			case 'refresh': dispatch({type: 'refresh'}); break;
			case 'help': act({type: 'overlay', overlay: 'help'}); break;
			case 'explain': act({type: 'overlay', overlay: 'explain'}); break;
			case 'policy.view': {
				if (resolveSelection(now, currentUids()).uid === null) break;
				act({type: 'overlay', overlay: 'policy'});
				dispatch({type: 'policy-view'});
				break;
			}

			case 'capture': {
				const {uid} = resolveSelection(now, currentUids());
				if (uid === null) break;
				dispatch({type: 'start-capture', uid});
				act({type: 'capture-open'});
				break;
			}

			case 'path.peer': {
				const {uid} = resolveSelection(now, currentUids());
				if (uid === null) break;
				act({type: 'picker-open', from: uid});
				dispatch({type: 'path-peers'});
				break;
			}

			case 'flows': {
				const {uid} = resolveSelection(now, currentUids());
				if (uid === null) break;
				moveFlow(0);
				act({type: 'focus', pane: 'path'});
				dispatch({type: 'flows-open', uid});
				break;
			}

			case 'capture.zoom': if (now.captureOpen) act({type: 'capture-zoom'}); break;
			case 'back': {
				if (now.filter) act({type: 'filter-clear'});
				else if (now.focus === 'capture') {
					dispatch({type: 'stop-capture'});
					act({type: 'capture-close'});
				} else if (state.flows) dispatch({type: 'flows-close'});
				else if (route) dispatch({type: 'path-close'});
				else act({type: 'focus', pane: 'pods'});
				break;
			}

			default: return false;
		}

		return true;
	});

	if (layout.tooSmall) {
		return (
			<Box width={columns} height={layout.height} flexDirection='column' justifyContent='center' alignItems='center'>
				<Text color={theme.warn} bold>terminal too small</Text>
				<Text>{columns}×{terminalRows}: k8snet-tui needs at least {MIN_COLUMNS}×{MIN_ROWS}</Text>
				<Text dimColor>q quits</Text>
			</Box>
		);
	}

	let body: ReactNode;
	if (state.phase === 'failed') {
		body = (
			<Box flexDirection='column' height={layout.body} paddingX={1}>
				<Text color={theme.error} bold>{displayText(state.failure?.reason ?? 'failed')}</Text>
				<Text>{displayText(state.failure?.hint ?? '')}</Text>
				<Text dimColor>q quits</Text>
			</Box>
		);
	} else if (view.overlay === 'help') {
		body = <HelpOverlay width={columns} height={layout.body} scroll={explainScroll} />;
	} else if (view.picker) {
		const from = pickerFrom ? `${pickerFrom.namespace}/${pickerFrom.name}` : 'the selected pod';
		body = <PeerPicker from={from} text={view.picker.text} rows={pickerRows} index={view.picker.index} peers={state.peers} width={columns} height={layout.body} />;
	} else if (view.overlay === 'policy') {
		body = <PolicyView pod={pod ? `${pod.namespace}/${pod.name}` : null} lines={policyLines} scroll={explainScroll} width={columns} height={layout.body} />;
	} else if (view.overlay === 'explain' && route) {
		body = <ExplainOverlay explain={routeExplain(route)} pod={`${route.from} → ${route.to}`} scroll={explainScroll} width={columns} height={layout.body} />;
	} else if (view.overlay === 'explain') {
		body = <ExplainOverlay explain={state.explain} pod={pod ? `${pod.namespace}/${pod.name}` : null} scroll={explainScroll} width={columns} height={layout.body} />;
	} else if (twoPointOpen && route && renderTwoPoint) {
		body = (
			<Box height={layout.body} width={columns} flexShrink={0}>
				{renderTwoPoint({width: columns, height: layout.body, focused: true})}
			</Box>
		);
	} else {
		const capture = view.captureOpen
			? (
				<Box height={layout.capture} width={columns} flexShrink={0}>
					{renderCapture
						? renderCapture({width: columns, height: layout.capture, focused: view.focus === 'capture'})
						: <Text dimColor>capture is not available in this build</Text>}
				</Box>
			)
			: null;
		body = view.captureZoomed && view.captureOpen ? capture : (
			<Box flexDirection='column' height={layout.body}>
				<PodsPane
					rows={rows}
					total={allRows.length}
					selectedIndex={selection.index}
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

	return (
		<Box flexDirection='column' width={columns} height={layout.height}>
			<Header state={state} podCount={state.pods.size} width={columns} now={now} />
			{body}
			<HintRow filtering={view.filtering} line={view.line} width={columns} scope={activeKeyScope(view, route !== null, twoPointOpen)} />
		</Box>
	);
}
