// The UI's own state (selection, filter, sort, focus, overlays) as a pure reducer. The selection is
// kept by pod uid, so a refresh that reorders or grows the list never moves the cursor. When the
// selected pod is deleted, the pod now at its position takes over once (`rows-changed`), and from
// then on the cursor follows that pod's uid, not the position.
import type {KeyScope} from './keys.js';
import {SORT_KEYS, type SortKey} from './pod-rows.js';

export const PANES = ['pods', 'containers', 'path', 'details', 'capture'] as const;
export type PaneId = typeof PANES[number];
export type Overlay = 'help' | 'explain' | 'policy' | null;

export interface ViewState {
	selectedUid: string | null;
	selectedIndex: number;
	filter: string;
	/** The filter box has the keyboard. */
	filtering: boolean;
	sortKey: SortKey;
	sortDescending: boolean;
	focus: PaneId;
	/** Selected hop in the Path pane (0 = pod eth0), shown by the Details pane. */
	hop: number;
	/** Selected row of the Containers pane (0 = the pause sandbox). */
	container: number;
	/** What the Details pane shows: the pane last moved in (Path or Containers) decides. */
	detailsOf: 'hop' | 'container';
	overlay: Overlay;
	captureOpen: boolean;
	captureZoomed: boolean;
	/** The `:` command line while open: what is typed, tab's matches, and why the last enter failed. */
	line: {text: string; matches: readonly string[]; error: string | null} | null;
	/** The peer picker (`p`) while open: the pod the path starts at, what is typed, the cursor. */
	picker: {from: string; text: string; index: number} | null;
}

export const initialViewState: ViewState = {
	selectedUid: null,
	selectedIndex: 0,
	filter: '',
	filtering: false,
	sortKey: 'namespace',
	sortDescending: false,
	focus: 'pods',
	hop: 0,
	container: 0,
	detailsOf: 'hop',
	overlay: null,
	captureOpen: false,
	captureZoomed: false,
	line: null,
	picker: null,
};

export type ViewAction =
	| {type: 'move'; delta: number; uids: readonly string[]}
	| {type: 'move-to'; index: number; uids: readonly string[]}
	/** The rows changed (a snapshot, a filter, a sort); `known` holds every pod that still exists. */
	| {type: 'rows-changed'; uids: readonly string[]; known: {has(uid: string): boolean}}
	| {type: 'filter-open'}
	| {type: 'filter-type'; text: string}
	| {type: 'filter-backspace'}
	| {type: 'filter-accept'}
	| {type: 'filter-clear'}
	| {type: 'sort-next'}
	| {type: 'sort-reverse'}
	| {type: 'focus'; pane: PaneId}
	/** hidden: panes not on screen now (an open path to a peer takes Containers' and Details' place). */
	| {type: 'focus-cycle'; delta: number; hidden?: readonly PaneId[]}
	| {type: 'hop'; delta: number; count: number}
	| {type: 'container'; delta: number; count: number}
	| {type: 'overlay'; overlay: Overlay}
	| {type: 'capture-open'}
	| {type: 'capture-close'}
	| {type: 'capture-zoom'}
	| {type: 'line-open'}
	| {type: 'line-set'; text: string; matches?: readonly string[]; error?: string | null}
	| {type: 'line-close'}
	| {type: 'picker-open'; from: string}
	| {type: 'picker-type'; text: string}
	| {type: 'picker-backspace'}
	/** count: the rows the filter leaves, so the cursor stays on one of them. */
	| {type: 'picker-move'; delta: number; count: number}
	| {type: 'picker-close'};

/** Where the selection is in these rows now: by uid, else the old index clamped. */
export function resolveSelection(state: ViewState, uids: readonly string[]): {index: number; uid: string | null} {
	if (uids.length === 0) return {index: 0, uid: null};
	const found = state.selectedUid === null ? -1 : uids.indexOf(state.selectedUid);
	if (found >= 0) return {index: found, uid: state.selectedUid};
	const index = Math.min(Math.max(state.selectedIndex, 0), uids.length - 1);
	return {index, uid: uids[index] ?? null};
}

function moveTo(state: ViewState, index: number, uids: readonly string[]): ViewState {
	if (uids.length === 0) return state;
	const clamped = Math.min(Math.max(index, 0), uids.length - 1);
	const uid = uids[clamped] ?? null;
	if (uid === state.selectedUid && clamped === state.selectedIndex) return state;
	// A new pod starts at its first hop and its sandbox.
	const same = uid === state.selectedUid;
	return {...state, selectedUid: uid, selectedIndex: clamped, hop: same ? state.hop : 0, container: same ? state.container : 0};
}

function focusOn(state: ViewState, pane: PaneId): ViewState {
	const detailsOf = pane === 'containers' ? 'container' : pane === 'path' ? 'hop' : state.detailsOf;
	return {...state, focus: pane, detailsOf};
}

function visiblePanes(state: ViewState): PaneId[] {
	return PANES.filter(pane => pane !== 'capture' || state.captureOpen);
}

export function viewReducer(state: ViewState, action: ViewAction): ViewState {
	switch (action.type) {
		case 'move': {
			const {index} = resolveSelection(state, action.uids);
			return moveTo(state, index + action.delta, action.uids);
		}

		case 'move-to': return moveTo(state, action.index, action.uids);
		case 'rows-changed': {
			// The index follows the pod, so that "its position" is where it was last shown.
			const at = state.selectedUid === null ? -1 : action.uids.indexOf(state.selectedUid);
			if (at >= 0) return at === state.selectedIndex ? state : {...state, selectedIndex: at};
			// A pod only hidden by the filter keeps the selection, for when the filter is cleared.
			if (state.selectedUid !== null && action.known.has(state.selectedUid)) return state;
			const {index} = resolveSelection(state, action.uids);
			return moveTo(state, index, action.uids);
		}

		case 'filter-open': return {...state, filtering: true, focus: 'pods'};
		case 'filter-type': return {...state, filter: state.filter + action.text};
		case 'filter-backspace': return {...state, filter: state.filter.slice(0, -1)};
		case 'filter-accept': return {...state, filtering: false};
		case 'filter-clear': return {...state, filter: '', filtering: false};
		case 'sort-next': {
			const next = SORT_KEYS[(SORT_KEYS.indexOf(state.sortKey) + 1) % SORT_KEYS.length] ?? 'namespace';
			return {...state, sortKey: next};
		}

		case 'sort-reverse': return {...state, sortDescending: !state.sortDescending};
		case 'focus': return focusOn(state, action.pane);
		case 'focus-cycle': {
			const panes = visiblePanes(state).filter(pane => !action.hidden?.includes(pane));
			const at = Math.max(0, panes.indexOf(state.focus));
			return focusOn(state, panes[(at + action.delta + panes.length) % panes.length] ?? 'pods');
		}

		case 'hop': {
			const hop = Math.min(Math.max(state.hop + action.delta, 0), Math.max(0, action.count - 1));
			return hop === state.hop && state.detailsOf === 'hop' ? state : {...state, hop, detailsOf: 'hop'};
		}

		case 'container': {
			const container = Math.min(Math.max(state.container + action.delta, 0), Math.max(0, action.count - 1));
			return container === state.container && state.detailsOf === 'container' ? state : {...state, container, detailsOf: 'container'};
		}

		case 'overlay': return {...state, overlay: action.overlay};
		case 'capture-open': return {...state, captureOpen: true, focus: 'capture'};
		case 'capture-close': return {...state, captureOpen: false, captureZoomed: false, focus: state.focus === 'capture' ? 'pods' : state.focus};
		case 'capture-zoom': return {...state, captureZoomed: !state.captureZoomed};
		case 'line-open': return {...state, line: {text: '', matches: [], error: null}};
		case 'line-set': return {...state, line: {text: action.text, matches: action.matches ?? [], error: action.error ?? null}};
		case 'line-close': return {...state, line: null};
		case 'picker-open': return {...state, picker: {from: action.from, text: '', index: 0}};
		case 'picker-type': return state.picker ? {...state, picker: {...state.picker, text: state.picker.text + action.text, index: 0}} : state;
		case 'picker-backspace': return state.picker ? {...state, picker: {...state.picker, text: state.picker.text.slice(0, -1), index: 0}} : state;
		case 'picker-move': {
			if (!state.picker) return state;
			const index = Math.min(Math.max(state.picker.index + action.delta, 0), Math.max(0, action.count - 1));
			return {...state, picker: {...state.picker, index}};
		}

		case 'picker-close': return {...state, picker: null};
	}
}

/** First visible row of a fixed-row virtual list: keep the cursor in view, move as little as possible. */
export function windowStart(previousStart: number, index: number, height: number, total: number): number {
	if (height <= 0 || total <= height) return 0;
	let start = previousStart;
	if (index < start) start = index;
	else if (index >= start + height) start = index - height + 1;
	return Math.min(Math.max(start, 0), total - height);
}

/** Which key scope is active: an overlay's, a capture pane's (the focused one, or the path's two-point capture), the open A → B path's, or the pods'. */
export function activeKeyScope(state: ViewState, pathOpen: boolean, twoPointOpen = false): KeyScope {
	if (state.overlay !== null) return 'overlay';
	if (state.focus === 'capture' || twoPointOpen) return 'capture';
	if (pathOpen && state.focus === 'path') return 'path';
	return 'pods';
}
