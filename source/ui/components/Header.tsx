// Header: where we look (context, node, access, namespace scope), how much (pods), how fresh
// (refresh age, a STALE marker with its age) and with what rights (root or not). STALE's age is
// that of the oldest source that went quiet: the API since its last good contact, the node since
// its last good poll. While connecting, line two says why the last attempt failed.
import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {displayText} from '../../core/display-text.js';
import type {TuiState} from '../../store/tui-state.js';
import {useTheme} from '../theme.js';

/** A poll older than this is stale: the poller runs every ~2 s. */
export const STALE_AFTER_MS = 6000;

function useNow(intervalMs: number, now?: number): number {
	const [tick, setTick] = useState(() => Date.now());
	useEffect(() => {
		if (now !== undefined) return;
		const timer = setInterval(() => setTick(Date.now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs, now]);
	return now ?? tick;
}

function age(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`;
}

export interface HeaderProps {
	state: TuiState;
	podCount: number;
	width: number;
	/** Fixed clock for tests. */
	now?: number;
}

export function Header({state, podCount, width, now: fixedNow}: HeaderProps) {
	const theme = useTheme();
	const now = useNow(1000, fixedNow);
	const access = state.access ? displayText(`${state.access.kind} ${state.access.target}`) : '…';
	const pollAge = state.polledAt === null ? null : now - state.polledAt;
	const contactAt = state.watch.lastContactAt;
	// Before the first poll there is nothing stale yet: line two says the node is being probed.
	const stale = state.phase === 'ready' && pollAge !== null
		&& (pollAge > STALE_AFTER_MS || state.pollError !== null || !state.watch.connected);
	const staleAges = [
		pollAge !== null && (pollAge > STALE_AFTER_MS || state.pollError !== null) ? pollAge : null,
		!state.watch.connected && contactAt !== null ? now - contactAt : null,
	].filter((ms): ms is number => ms !== null);
	const staleText = stale ? `STALE ${staleAges.length === 0 ? '' : age(Math.max(...staleAges))}`.trim() : null;
	const retry = state.phase === 'connecting' && state.retry
		? `${state.retry.reason}: retrying in ${age(state.retry.nextAt - now)} (${state.retry.hint})`
		: null;
	const problems = [
		state.pollError ? `node: ${state.pollError.reason}` : null,
		state.watch.connected || state.phase !== 'ready' ? null : `api: ${state.watch.reason ?? 'disconnected'}`,
	].filter(Boolean).join('  ');
	const show = (text: string | null) => (text === null ? null : displayText(text));
	return (
		<Box flexDirection='column' width={width} height={2} flexShrink={0}>
			<Text wrap='truncate-end'>
				<Text bold color={theme.accent}>k8snet-tui</Text>
				<Text> ctx </Text><Text bold>{show(state.context) ?? '…'}</Text>
				<Text> node </Text><Text bold>{show(state.node) ?? '…'}</Text>
				<Text> ns </Text><Text bold>{show(state.namespace) ?? 'all'}</Text>
				<Text> pods </Text><Text bold>{podCount}</Text>
				<Text> {state.root ? 'root' : 'non-root'}</Text>
				<Text> ⟳ {pollAge === null ? '—' : age(pollAge)}</Text>
				{staleText ? <Text color={theme.warn} bold inverse={!theme.color}> {staleText} </Text> : null}
				<Text dimColor> via {access}</Text>
			</Text>
			<Text wrap='truncate-end'>
				{state.phase === 'connecting' ? <Text color={theme.muted}>connecting… </Text> : null}
				{retry ? <Text color={theme.warn}>{retry}  </Text> : null}
				{state.phase === 'ready' && state.polledAt === null && state.pollError === null ? <Text color={theme.muted}>probing the node… </Text> : null}
				{problems ? <Text color={theme.warn}>{displayText(problems)}  </Text> : null}
				{state.notice ? <Text color={theme.accent}>{displayText(state.notice)}  </Text> : null}
				{state.cni ? <Text dimColor>{displayText(state.cni.summary)}</Text> : null}
			</Text>
		</Box>
	);
}
