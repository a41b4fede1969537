// The keys of the focused pane while no overlay is open: the pods list, the path (its hops, an open
// A → B route, or the flows list in its place), containers, details and capture; and the path's
// two-point capture, which takes the whole body while it runs. A key a pane does not use passes on
// to the global keys.
import type {RefObject} from 'react';
import type {Dispatch, OpenFlows, OpenPath, TuiState} from '../../store/tui-state.js';
import type {Facts} from '../container-details.js';
import {PRIORITY, useKeyHandler, type KeyEvent} from '../keys.js';
import type {Layout} from '../layout.js';
import {detailLines, detailsRoom} from '../panes/DetailsPane.js';
import type {Act, SetScroll, ViewRef} from './key-hook-types.js';

export interface PaneKeys {
	current: ViewRef;
	act: Act;
	dispatch: Dispatch;
	layout: Layout;
	/** The pods' uids in the order and filter `current` holds now. */
	currentUids(): readonly string[];
	/** Rows a page key moves the pods' cursor. */
	page: number;
	flows: TuiState['flows'];
	/** The Flows cursor, read between renders like `current`, and what moves it. */
	flowAt: RefObject<number>;
	moveFlow(to: number): void;
	route: TuiState['openPath'];
	routeLines: number;
	setRouteScroll: SetScroll;
	/** Set when a probe starts: the route scrolls to the answer when it comes. */
	followProbe: RefObject<boolean>;
	/** The two-point capture is open (a ref: it is read between renders too). */
	twoPointOpen: RefObject<boolean>;
	showTwoPoint(open: boolean): void;
	/** This build has a two-point capture to start. */
	hasTwoPoint: boolean;
	hopCount: number;
	containerCount: number;
	detailFacts: Facts;
	setDetailsScroll: SetScroll;
}

type Moves = Partial<Record<string, number>>;

export function usePaneKeys(keys: PaneKeys): void {
	useKeyHandler(PRIORITY.pane, event => {
		if (keys.current.current.overlay !== null) return false;
		if (keys.twoPointOpen.current) return twoPointKey(keys, event);
		switch (keys.current.current.focus) {
			case 'pods': return podsKey(keys, event);
			case 'path': {
				if (keys.flows) return flowsKey(keys, keys.flows, event);
				if (keys.route) return routeKey(keys, keys.route, event);
				return cursorKey(keys, 'hop', keys.hopCount, event);
			}

			case 'capture': {
				// The capture pane reads its own keys; only app-level ones go on past it.
				const passes = ['pane.next', 'pane.prev', 'quit', 'help', 'capture.zoom', 'back', 'refresh', 'command'];
				return !(event.command && passes.includes(event.command));
			}

			case 'containers': return cursorKey(keys, 'container', keys.containerCount, event);
			default: return detailsKey(keys, event);
		}
	});
}

function twoPointKey({dispatch, showTwoPoint}: PaneKeys, event: KeyEvent): boolean {
	// The two-point pane reads its own keys (1, 2, c, w); only app-level ones go on past it.
	if (event.command === 'back') {
		dispatch({type: 'two-point-stop'});
		showTwoPoint(false);
		return true;
	}

	return !(event.command && ['quit', 'help', 'refresh', 'command'].includes(event.command));
}

function podsKey({act, currentUids, page}: PaneKeys, event: KeyEvent): boolean {
	const uids = currentUids();
	const moves: Moves = {'nav.down': 1, 'nav.up': -1, 'nav.pageDown': page, 'nav.pageUp': -page};
	const delta = event.command ? moves[event.command] : undefined;
	if (delta !== undefined) act({type: 'move', delta, uids});
	else if (event.command === 'nav.top') act({type: 'move-to', index: 0, uids});
	else if (event.command === 'nav.bottom') act({type: 'move-to', index: uids.length - 1, uids});
	else if (event.command === 'drill') act({type: 'focus', pane: 'path'});
	else return false;
	return true;
}

const FLOW_MOVES: Moves = {'nav.down': 1, 'nav.up': -1, 'nav.pageDown': 10, 'nav.pageUp': -10};

function flowsKey({act, dispatch, flowAt, moveFlow}: PaneKeys, flows: OpenFlows, event: KeyEvent): boolean {
	const delta = event.command ? FLOW_MOVES[event.command] : undefined;
	const count = flows.flows?.length ?? 0;
	if (delta !== undefined) moveFlow(flowAt.current + delta);
	else if (event.command === 'nav.top') moveFlow(0);
	else if (event.command === 'nav.bottom') moveFlow(count - 1);
	else if (event.command === 'drill') {
		const flow = flows.flows?.[Math.min(flowAt.current, count - 1)];
		if (!flow) return true;
		dispatch({type: 'flow-capture', uid: flows.uid, entry: flow.entry});
		act({type: 'capture-open'});
	} else if (event.command === 'back') dispatch({type: 'flows-close'});
	else return false;
	return true;
}

function routeKey({dispatch, layout, routeLines, setRouteScroll, followProbe, showTwoPoint, hasTwoPoint}: PaneKeys, route: OpenPath, event: KeyEvent): boolean {
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
	} else if (event.command === 'path.twoPoint' && hasTwoPoint && route.document) {
		dispatch({type: 'two-point-start'});
		showTwoPoint(true);
	} else return false;
	return true;
}

// Path's hops and Containers' rows: j/k/g/G move the cursor Details follows, enter goes to Details.
function cursorKey({act}: PaneKeys, type: 'hop' | 'container', count: number, event: KeyEvent): boolean {
	const moves: Moves = {'nav.down': 1, 'nav.up': -1, 'nav.top': -count, 'nav.bottom': count};
	const delta = event.command ? moves[event.command] : undefined;
	if (delta !== undefined) act({type, delta, count});
	else if (event.command === 'drill') act({type: 'focus', pane: 'details'});
	else if (event.command === 'back') act({type: 'focus', pane: 'pods'});
	else return false;
	return true;
}

function detailsKey({current, act, layout, detailFacts, setDetailsScroll}: PaneKeys, event: KeyEvent): boolean {
	const last = Math.max(0, detailLines(detailFacts, layout.sideWidth).lines.length - detailsRoom(layout.details));
	if (event.command === 'nav.down') setDetailsScroll(s => Math.min(last, s + 1));
	else if (event.command === 'nav.up') setDetailsScroll(s => Math.max(0, s - 1));
	else if (event.command === 'nav.top') setDetailsScroll(0);
	else if (event.command === 'nav.bottom') setDetailsScroll(last);
	else if (event.command === 'back') act({type: 'focus', pane: current.current.detailsOf === 'container' ? 'containers' : 'path'});
	else return false;
	return true;
}
