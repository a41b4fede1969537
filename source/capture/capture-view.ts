// The capture pane's view state: follow or paused at a line, the cleared mark, the search (full
// height, `z`, is the layout's business). A pure reducer plus the window selector, so the pane renders only what is visible and the
// tests need no terminal. Lines are addressed by ring-buffer seq, so a paused view stays put while
// tcpdump goes on and old lines expire.
import {parseQuickFilter, type QuickFilter} from '../core/bpf-filter.js';
import {annotateLine, type IpNames} from '../core/ip-names.js';
import type {CaptureEntry, CaptureSnapshot} from './capture-session.js';

export interface CaptureViewState {
	following: boolean;
	/** While not following: one past the seq of the bottom line shown. */
	anchorEnd: number;
	/** Lines before this seq are hidden (C). */
	clearedBefore: number;
	/** Committed search: only lines containing it are shown ('' = all). */
	search: string;
	/** The text being typed in the box below the header, or null when the box is closed. */
	editing: string | null;
	/** What the box edits: the search, or the capture filter (quick filter word or BPF expression). */
	editingKind: 'search' | 'filter';
}

export const initialCaptureView: CaptureViewState = {
	following: true,
	anchorEnd: 0,
	clearedBefore: 0,
	search: '',
	editing: null,
	editingKind: 'search',
};

export type CaptureViewAction =
	| {type: 'pause'; endSeq: number}
	| {type: 'scroll'; anchorEnd: number; endSeq: number}
	| {type: 'follow'}
	| {type: 'clear'; endSeq: number}
	| {type: 'search-open'}
	| {type: 'filter-open'; text: string}
	| {type: 'edit-type'; text: string}
	| {type: 'edit-erase'}
	| {type: 'search-commit'}
	| {type: 'edit-cancel'}
	| {type: 'search-clear'};

export function captureViewReducer(state: CaptureViewState, action: CaptureViewAction): CaptureViewState {
	switch (action.type) {
		case 'pause':
			return state.following ? {...state, following: false, anchorEnd: action.endSeq} : {...state, following: true};
		case 'scroll':
			return action.anchorEnd >= action.endSeq ? {...state, following: true} : {...state, following: false, anchorEnd: action.anchorEnd};
		case 'follow':
			return {...state, following: true};
		case 'clear':
			return {...state, clearedBefore: action.endSeq, following: true};
		case 'search-open':
			return {...state, editing: state.search, editingKind: 'search'};
		case 'filter-open':
			return {...state, editing: action.text, editingKind: 'filter'};
		case 'edit-type':
			return state.editing === null ? state : {...state, editing: state.editing + action.text};
		case 'edit-erase':
			return state.editing === null ? state : {...state, editing: state.editing.slice(0, -1)};
		case 'search-commit':
			return state.editing === null ? state : {...state, search: state.editing, editing: null};
		case 'edit-cancel':
			return {...state, editing: null};
		case 'search-clear':
			return {...state, search: '', editing: null};
	}
}

/** The search looks at the line as shown, pod names included. */
function matches(entry: CaptureEntry, search: string, names: IpNames): boolean {
	if (search === '') return true;
	return entry.kind === 'item' && annotateLine(entry.value.text, names).toLowerCase().includes(search);
}

const CHUNK = 512;

/** Up to `count` matching entries ending before `end`, oldest first. */
function collectBefore(snapshot: CaptureSnapshot, end: number, floor: number, count: number, search: string): CaptureEntry[] {
	const out: CaptureEntry[] = [];
	let to = end;
	while (out.length < count && to > floor) {
		const from = Math.max(floor, to - (search === '' ? count - out.length : CHUNK));
		const chunk = snapshot.lines(from, to);
		for (let i = chunk.length - 1; i >= 0 && out.length < count; i--) {
			if (matches(chunk[i]!, search, snapshot.names)) out.push(chunk[i]!);
		}
		to = from;
	}
	return out.reverse();
}

export interface CaptureWindow {
	entries: readonly CaptureEntry[];
	/** seq of the top entry shown (the next page up ends here). */
	topSeq: number;
	/** One past the bottom entry shown. */
	endSeq: number;
	/** Lines the view can still reach (after clear), for the scroll indicator. */
	reachable: number;
}

/** The entries to render for a body of `height` lines: virtualised, only these are read. */
export function captureWindow(snapshot: CaptureSnapshot, view: CaptureViewState, height: number): CaptureWindow {
	const floor = Math.max(snapshot.firstSeq, view.clearedBefore);
	const end = view.following ? snapshot.endSeq : Math.max(floor, Math.min(view.anchorEnd, snapshot.endSeq));
	const search = view.search.toLowerCase();
	const entries = collectBefore(snapshot, end, floor, Math.max(0, height), search);
	const topSeq = entries[0]?.seq ?? end;
	const last = entries[entries.length - 1];
	return {entries, topSeq, endSeq: last === undefined ? end : last.seq + 1, reachable: Math.max(0, snapshot.endSeq - floor)};
}

/** One past the `count`-th matching entry at or after `start` (the snapshot's end if fewer). */
function forwardEnd(snapshot: CaptureSnapshot, start: number, count: number, search: string): number {
	let found = 0;
	for (let from = start; from < snapshot.endSeq; from += CHUNK) {
		for (const entry of snapshot.lines(from, Math.min(snapshot.endSeq, from + CHUNK))) {
			if (matches(entry, search, snapshot.names) && ++found >= count) return entry.seq + 1;
		}
	}
	return snapshot.endSeq;
}

/** anchorEnd for one page further down: `height` matching lines past the current bottom. */
export function pageDownEnd(snapshot: CaptureSnapshot, view: CaptureViewState, height: number): number {
	return forwardEnd(snapshot, captureWindow(snapshot, view, height).endSeq, height, view.search.toLowerCase());
}

/** anchorEnd for one page up: the page ends just above the current top line, or is the first page. */
export function pageUpEnd(snapshot: CaptureSnapshot, view: CaptureViewState, height: number): number {
	const window = captureWindow(snapshot, view, height);
	const floor = Math.max(snapshot.firstSeq, view.clearedBefore);
	const search = view.search.toLowerCase();
	const above = collectBefore(snapshot, window.topSeq, floor, height, search);
	if (above.length === height) return window.topSeq;
	// Fewer than a page above: show the first full page instead of a short one.
	return Math.min(window.endSeq, forwardEnd(snapshot, floor, height, search));
}

/** Commands the pane hands to whoever owns the session (the view cannot start processes). */
export type CaptureCommand = 'capture.save' | 'capture.cyclePoint';

export interface CaptureKeyBinding {
	key: string;
	command: string;
	description: string;
}

/** The keys the capture pane handles while focused, for the help screen (key names as keys.ts). */
export const CAPTURE_KEY_BINDINGS = [
	{key: 'space', command: 'capture.pause', description: 'pause the view (the capture keeps buffering) / resume'},
	{key: 'pgup', command: 'capture.pageUp', description: 'scroll back a page'},
	{key: 'pgdn', command: 'capture.pageDown', description: 'scroll forward a page'},
	{key: 'G', command: 'capture.follow', description: 'follow the newest line'},
	{key: 'C', command: 'capture.clear', description: 'clear the pane'},
	{key: '/', command: 'capture.search', description: 'search within the lines (enter: keep, esc: cancel)'},
	{key: 'w', command: 'capture.save', description: 'save: write the packets from now on to a pcapng on this machine (its path shows)'},
	{key: 'c', command: 'capture.cyclePoint', description: 'next capture point: pod eth0, host peer, bridge, uplink, any'},
	{key: 'f', command: 'capture.filter', description: 'capture filter: all, icmp, tcp, udp, arp, dns, port N, or a BPF expression (tcpdump checks it)'},
] as const satisfies readonly CaptureKeyBinding[];

export interface CaptureFilterRequest {
	quick: QuickFilter;
	expression: string;
}

export type CaptureKeyOutcome =
	| {action: CaptureViewAction}
	| {command: CaptureCommand}
	| {filter: CaptureFilterRequest; action: CaptureViewAction}
	| null;

/** What was typed in the filter box: a quick filter word (icmp, port 53, ...) or a BPF expression. */
export function filterRequest(text: string): CaptureFilterRequest {
	const quick = parseQuickFilter(text);
	return quick.ok ? {quick: quick.value, expression: ''} : {quick: {kind: 'all'}, expression: text.trim()};
}

/** The filter box's starting text: what the capture runs with now. */
export function filterText(snapshot: CaptureSnapshot): string {
	if (snapshot.expression.trim() !== '') return snapshot.expression;
	return snapshot.quick.kind === 'port' ? `port ${snapshot.quick.port}` : snapshot.quick.kind;
}

/**
 * What a key (named as keys.ts keyName names it) does to the pane. null: not ours, let it through.
 * While the box is open every key but ctrl-c is ours. `f` only when the owner can change filters.
 */
export function captureKey(
	name: string,
	input: string,
	view: CaptureViewState,
	snapshot: CaptureSnapshot,
	bodyHeight: number,
	canFilter = false,
): CaptureKeyOutcome {
	if (view.editing !== null) {
		if (name === 'ctrl-c') return null;
		if (name === 'enter') {
			return view.editingKind === 'search' ? {action: {type: 'search-commit'}} : {filter: filterRequest(view.editing), action: {type: 'edit-cancel'}};
		}
		if (name === 'esc') return {action: {type: 'edit-cancel'}};
		if (name === 'backspace') return {action: {type: 'edit-erase'}};
		if (input.length > 0 && !/[\0-\x1f\x7f]/.test(input)) return {action: {type: 'edit-type', text: input}};
		return {action: {type: 'edit-type', text: ''}};
	}
	const page = Math.max(1, bodyHeight);
	switch (name) {
		case ' ':
		case 'space':
			return {action: {type: 'pause', endSeq: snapshot.endSeq}};
		case 'pgup':
			return {action: {type: 'scroll', anchorEnd: pageUpEnd(snapshot, view, page), endSeq: snapshot.endSeq}};
		case 'pgdn':
			return view.following ? {action: {type: 'follow'}} : {action: {type: 'scroll', anchorEnd: pageDownEnd(snapshot, view, page), endSeq: snapshot.endSeq}};
		case 'G':
			return {action: {type: 'follow'}};
		case 'C':
			return {action: {type: 'clear', endSeq: snapshot.endSeq}};
		case '/':
			return {action: {type: 'search-open'}};
		case 'w':
			return {command: 'capture.save'};
		case 'c':
			return {command: 'capture.cyclePoint'};
		case 'f':
			return canFilter ? {action: {type: 'filter-open', text: filterText(snapshot)}} : null;
		case 'esc':
			return view.search === '' ? null : {action: {type: 'search-clear'}};
		default:
			return null;
	}
}
