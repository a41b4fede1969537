// The live capture: a header (what runs, where, how much, kernel drops), then only the lines that
// fit. CapturePane is pure (snapshot + view state in, frame out); CaptureView wires it to a capture
// store and the key bus. Neither starts or stops anything: `w` and `c` go out through onCommand.
import {useCallback, useReducer, useSyncExternalStore} from 'react';
import {Box, Text, Transform} from 'ink';
import type {CaptureEntry, CaptureSnapshot} from '../../capture/capture-session.js';
import {
	captureKey,
	captureViewReducer,
	captureWindow,
	initialCaptureView,
	type CaptureCommand,
	type CaptureFilterRequest,
	type CaptureViewState,
} from '../../capture/capture-view.js';
import {displayText} from '../../core/display-text.js';
import {annotateLine, type IpNames, type LineProtocol} from '../../core/ip-names.js';
import {Pane} from '../components/Pane.js';
import {PRIORITY, useKeyHandler} from '../keys.js';
import {CAPTURE_PANE_CHROME} from '../layout.js';
import {useTheme, type Theme} from '../theme.js';

export function captureBodyHeight(height: number): number {
	return Math.max(0, height - CAPTURE_PANE_CHROME);
}

export interface CapturePaneProps {
	snapshot: CaptureSnapshot;
	view: CaptureViewState;
	width: number;
	height: number;
	focused: boolean;
}

function protocolColor(theme: Theme, protocol: LineProtocol): string | undefined {
	switch (protocol) {
		case 'icmp':
			return theme.accent;
		case 'tcp':
			return theme.ok;
		case 'udp':
			return theme.warn;
		case 'dns':
			return theme.host;
		case 'arp':
			return theme.other;
		case 'other':
			return undefined;
	}
}

export function fit(text: string, width: number): string {
	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

// Ink 6 keeps every distinct string a <Text> ever measured or wrapped, in module-level caches with
// no eviction (vadimdemedes/ink#986, bounded only in Ink 7). A flood puts new lines on screen every
// frame, so capture lines and the live counters go in through <Transform>: Ink measures a constant
// placeholder and the real text replaces it only in the frame's output, whose caches die with it.
// Colours are then SGR codes written here; the theme's null colours (NO_COLOR) write none.
const SGR: Record<string, number> = {black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, grey: 90};

function paint(text: string, color: string | undefined, extra: {dim?: boolean; inverse?: boolean} = {}): string {
	let out = text;
	if (extra.inverse) out = `\u001B[7m${out}\u001B[27m`;
	if (extra.dim) out = `\u001B[2m${out}\u001B[22m`;
	const code = color === undefined ? undefined : SGR[color];
	return code === undefined ? out : `\u001B[${code}m${out}\u001B[39m`;
}

export function RawLine({text}: {text: string}) {
	return (
		<Transform transform={() => text}>
			<Text> </Text>
		</Transform>
	);
}

/**
 * One capture line, made safe, fitted to `width` columns and coloured. tcpdump's text comes from
 * the node and the names put into it from the API; only the lines on screen get here, so the
 * sanitizer runs per frame on a window, never on every line ingested.
 */
export function lineText(entry: CaptureEntry, names: IpNames, width: number, search: string, theme: Theme): string {
	if (entry.kind === 'gap') return paint(fit(displayText(`── ${entry.note} ──`), width), theme.muted, {dim: true});
	const text = fit(displayText(annotateLine(entry.value.text, names)), width);
	const color = protocolColor(theme, entry.value.protocol);
	const at = search === '' ? -1 : text.toLowerCase().indexOf(search.toLowerCase());
	if (at < 0) return paint(text, color);
	return paint(text.slice(0, at), color) + paint(text.slice(at, at + search.length), color, {inverse: true}) + paint(text.slice(at + search.length), color);
}

/** Coloured segments cut to `width` columns in all. */
function fitted(segments: Array<[string, string | undefined]>, width: number): string {
	let left = width;
	let out = '';
	for (const [text, color] of segments) {
		if (left <= 0 || text === '') continue;
		const part = text.length > left ? fit(text, left) : text;
		left -= part.length;
		out += paint(part, color);
	}
	return out;
}

function rate(n: number): string {
	return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

function statusLine(snapshot: CaptureSnapshot, view: CaptureViewState): {text: string; tone: 'error' | 'accent' | 'muted'} {
	if (view.editing !== null) {
		return view.editingKind === 'search'
			? {text: `search: ${view.editing}▏ (enter keep, esc cancel)`, tone: 'accent'}
			: {text: `filter: ${view.editing}▏ (all icmp tcp udp arp dns, port N, or BPF; enter apply, esc cancel)`, tone: 'accent'};
	}
	if (snapshot.stopped !== null) {
		const hint = snapshot.stopped.hint === '' ? '' : ` — ${snapshot.stopped.hint}`;
		return {text: `stopped: ${snapshot.stopped.reason}${hint}`, tone: 'error'};
	}
	if (snapshot.notice !== null) {
		const hint = snapshot.notice.hint === '' ? '' : ` — ${snapshot.notice.hint}`;
		return {text: `${snapshot.notice.reason}${hint}`, tone: 'error'};
	}
	const parts: string[] = [];
	if (snapshot.savePath !== null) parts.push(`saving pcapng here: ${snapshot.savePath}`);
	if (view.search !== '') parts.push(`search "${view.search}" (esc clears)`);
	if (parts.length === 0 && snapshot.point.note !== null) parts.push(`note: ${snapshot.point.note}`);
	if (parts.length === 0) parts.push(`filter: ${snapshot.filter}`);
	return {text: parts.join(' · '), tone: snapshot.savePath !== null ? 'accent' : 'muted'};
}

export function CapturePane({snapshot, view, width, height, focused}: CapturePaneProps) {
	const theme = useTheme();
	const inner = Math.max(1, width - 2);
	const body = captureBodyHeight(height);
	const window = captureWindow(snapshot, view, body);
	const state = snapshot.state === 'running' ? '● running' : snapshot.state === 'starting' ? '○ starting' : '■ stopped';
	const drops = snapshot.kernel === null ? '?' : String(snapshot.kernel.dropped);
	const behind = view.following ? 0 : Math.max(0, snapshot.endSeq - window.endSeq);
	const status = statusLine(snapshot, view);
	const toneColor = status.tone === 'error' ? theme.error : status.tone === 'accent' ? theme.accent : theme.muted;
	const counters = fitted(
		[
			[state, snapshot.state === 'stopped' ? theme.error : theme.ok],
			[` · ${snapshot.packets} pkts · ${rate(snapshot.ratePerSecond)}/s · kernel drops ${drops} · iface ${displayText(snapshot.point.target?.iface ?? '-')}`, undefined],
			[behind > 0 ? ` · ${behind} newer below` : '', theme.warn],
		],
		inner,
	);
	// The mode marker comes first in the title: it is what a keypress changes, and must never be cut.
	return (
		<Pane
			title={`capture ${view.following ? '▼ following' : '‖ PAUSED'}`}
			info={displayText(`${snapshot.pod.namespace}/${snapshot.pod.name} @ ${snapshot.point.label}`)}
			focused={focused}
			width={width}
			height={height}
		>
			<Box height={1} flexShrink={0}>
				<RawLine text={counters} />
			</Box>
			<Box height={1} flexShrink={0}>
				<Text color={theme.muted}>{fit(`$ ${displayText(snapshot.command)}`, inner)}</Text>
			</Box>
			<Box height={1} flexShrink={0}>
				<Text color={toneColor}>{fit(displayText(status.text), inner)}</Text>
			</Box>
			<Box flexDirection='column' height={body} overflow='hidden'>
				{window.entries.length === 0 ? (
					<Text color={theme.muted}>{snapshot.state === 'stopped' ? '(no lines)' : '(waiting for packets…)'}</Text>
				) : (
					window.entries.map(entry => (
						<Box key={entry.seq} height={1}>
							<RawLine text={lineText(entry, snapshot.names, inner, view.search, theme)} />
						</Box>
					))
				)}
			</Box>
		</Pane>
	);
}

export interface CaptureStore {
	subscribe(listener: () => void): () => void;
	getSnapshot(): CaptureSnapshot;
}

export interface CaptureViewProps {
	store: CaptureStore;
	width: number;
	height: number;
	focused: boolean;
	onCommand(command: CaptureCommand): void;
	/** Change the capture filter (the owner calls session.setFilter); without it `f` is not offered. */
	onFilter?(request: CaptureFilterRequest): void;
}

/** The pane with its own view state and keys (registered on the key bus while focused). */
export function CaptureView({store, width, height, focused, onCommand, onFilter}: CaptureViewProps) {
	const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
	const getSnapshot = useCallback(() => store.getSnapshot(), [store]);
	const snapshot = useSyncExternalStore(subscribe, getSnapshot);
	const [view, dispatch] = useReducer(captureViewReducer, initialCaptureView);
	useKeyHandler(
		view.editing === null ? PRIORITY.pane : PRIORITY.textInput,
		event => {
			const outcome = captureKey(event.name, event.input, view, store.getSnapshot(), captureBodyHeight(height), onFilter !== undefined);
			if (outcome === null) return false;
			if ('command' in outcome) {
				onCommand(outcome.command);
				return true;
			}
			if ('filter' in outcome) onFilter?.(outcome.filter);
			dispatch(outcome.action);
			return true;
		},
		focused,
	);
	return <CapturePane snapshot={snapshot} view={view} width={width} height={height} focused={focused} />;
}
