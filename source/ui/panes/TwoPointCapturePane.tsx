// The two-point capture: the correlated counter on top ("sent at 1 (…), not seen at 2 (…): N in
// the last …"), then both streams, side by side on wide terminals and stacked on narrow ones, each
// following its newest lines. `1` / `2` pick the stream that `c` (next hop) and `w` (save) act on.
// It starts and stops nothing itself: those go out as commands.
import {useCallback, useSyncExternalStore} from 'react';
import {Box, Text} from 'ink';
import type {CaptureSession} from '../../capture/capture-session.js';
import type {StreamNumber, TwoPointCapture, TwoPointSnapshot} from '../../capture/two-point-capture.js';
import {captureWindow, initialCaptureView, type CaptureCommand} from '../../capture/capture-view.js';
import {displayText} from '../../core/display-text.js';
import {Pane} from '../components/Pane.js';
import {PRIORITY, useKeyHandler} from '../keys.js';
import {useTheme} from '../theme.js';
import {counterLines, streamName, totalsLine, twoPointGeometry} from '../two-point-model.js';
import {fit, lineText, RawLine} from './CapturePane.js';

/** Border (2), title (1) and the totals (1); the counter's one or two lines come on top. */
const CHROME = 4;

interface StreamBoxProps {
	snapshot: TwoPointSnapshot;
	n: StreamNumber;
	width: number;
	height: number;
}

function StreamTitle({text, active}: {text: string; active: boolean}) {
	const theme = useTheme();
	return (
		<Box height={1} flexShrink={0}>
			<Text bold={active} inverse={active} color={active ? theme.accent : undefined}>{displayText(text)}</Text>
		</Box>
	);
}

/** A running stream: its title with its packet count, and its newest lines. */
function LiveStream({session, title, active, width, height}: {session: CaptureSession; title: string; active: boolean; width: number; height: number}) {
	const theme = useTheme();
	const capture = useSyncExternalStore(session.subscribe, session.getSnapshot);
	const body = Math.max(0, height - 1);
	const window = captureWindow(capture, initialCaptureView, body);
	const state = capture.state === 'running' ? '●' : capture.state === 'starting' ? '○' : '■';
	let lines;
	if (capture.stopped !== null) lines = <Text color={theme.error}>{fit(displayText(`stopped: ${capture.stopped.reason} — ${capture.stopped.hint}`), width)}</Text>;
	else if (window.entries.length === 0) lines = <Text color={theme.muted}>{capture.state === 'running' ? '(waiting for packets…)' : '(starting tcpdump…)'}</Text>;
	else {
		lines = window.entries.map(entry => (
			<Box key={entry.seq} height={1}>
				<RawLine text={lineText(entry, capture.names, width, '', theme)} />
			</Box>
		));
	}

	return (
		<>
			<StreamTitle text={fit(`${title} ${state} ${capture.packets} pkts`, width)} active={active} />
			<Box flexDirection='column' height={body} overflow='hidden'>{lines}</Box>
		</>
	);
}

function StreamBox({snapshot, n, width, height}: StreamBoxProps) {
	const theme = useTheme();
	const stream = snapshot.streams[n - 1]!;
	const active = snapshot.active === n;
	const title = `${active ? '▶' : ' '} ${n} ${streamName(snapshot, n)}`;
	return (
		<Box flexDirection='column' width={width} height={height} overflow='hidden' flexShrink={0}>
			{stream.session
				? <LiveStream key={stream.hop} session={stream.session} title={title} active={active} width={width} height={height} />
				: (
					<>
						<StreamTitle text={fit(title, width)} active={active} />
						<Text color={theme.error}>{fit(displayText(stream.error ? `${stream.error.reason} — ${stream.error.hint}` : 'starting…'), width)}</Text>
					</>
				)}
		</Box>
	);
}

export interface TwoPointPaneProps {
	snapshot: TwoPointSnapshot;
	width: number;
	height: number;
	focused: boolean;
	now: number;
}

export function TwoPointPane({snapshot, width, height, focused, now}: TwoPointPaneProps) {
	const theme = useTheme();
	const inner = Math.max(1, width - 2);
	const counter = counterLines(snapshot, now, inner);
	const geometry = twoPointGeometry(inner, Math.max(0, height - CHROME - counter.length));
	const lossColor = snapshot.counts.lostRecent > 0 ? theme.error : theme.ok;
	return (
		<Pane title='two-point capture' info={displayText(`${snapshot.from} → ${snapshot.to} · 1/2 pick · c next hop · w save · esc stop`)} focused={focused} width={width} height={height}>
			{counter.map(line => (
				<Box key={line} height={1} flexShrink={0}>
					<Text color={lossColor}>{fit(displayText(line), inner)}</Text>
				</Box>
			))}
			<Box height={1} flexShrink={0}>
				<Text color={theme.muted}>{fit(displayText(totalsLine(snapshot)), inner)}</Text>
			</Box>
			<Box flexDirection={geometry.stacked ? 'column' : 'row'}>
				<StreamBox snapshot={snapshot} n={1} width={geometry.streamWidth} height={geometry.streamHeight} />
				<StreamBox snapshot={snapshot} n={2} width={geometry.streamWidth} height={geometry.streamHeight} />
			</Box>
		</Pane>
	);
}

export interface TwoPointViewProps {
	capture: TwoPointCapture;
	width: number;
	height: number;
	focused: boolean;
	onPick(stream: StreamNumber): void;
	onCommand(command: CaptureCommand): void;
	now?: number;
}

/** The pane wired to its capture and to the key bus (while focused). */
export function TwoPointView({capture, width, height, focused, onPick, onCommand, now}: TwoPointViewProps) {
	const subscribe = useCallback((listener: () => void) => capture.subscribe(listener), [capture]);
	const getSnapshot = useCallback(() => capture.getSnapshot(), [capture]);
	const snapshot = useSyncExternalStore(subscribe, getSnapshot);
	useKeyHandler(PRIORITY.pane, event => {
		if (event.name === '1' || event.name === '2') onPick(event.name === '1' ? 1 : 2);
		else if (event.name === 'c') onCommand('capture.cyclePoint');
		else if (event.name === 'w') onCommand('capture.save');
		else return false;
		return true;
	}, focused);
	return <TwoPointPane snapshot={snapshot} width={width} height={height} focused={focused} now={now ?? Date.now()} />;
}
