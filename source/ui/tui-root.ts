// The rendered root: the terminal's size (it follows resizes) and the capture slot, around App.
import {createElement, useEffect, useMemo, useState} from 'react';
import {useStdout} from 'ink';
import type {TuiSession} from '../app/session.js';
import type {Store} from '../store/store.js';
import type {Dispatch, TuiState} from '../store/tui-state.js';
import {App} from './App.js';
import {CaptureSlot} from './panes/CaptureSlot.js';
import {TwoPointCaptureSlot} from './panes/TwoPointCaptureSlot.js';
import {createTheme} from './theme.js';
import {isThemeName} from '../core/theme-name.js';

function useTerminalSize(): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

export interface RootProps {
	store: Store<TuiState>;
	dispatch: Dispatch;
	session: () => TuiSession | null;
	onQuit(): void;
	/** --theme, checked by the CLI; unset: default. */
	theme?: string | undefined;
}

export function Root({store, dispatch, session, onQuit, theme}: RootProps) {
	const {columns, rows} = useTerminalSize();
	const colours = useMemo(() => createTheme(process.env, theme !== undefined && isThemeName(theme) ? theme : 'default'), [theme]);
	return createElement(App, {
		theme: colours,
		store,
		dispatch,
		columns,
		rows,
		onQuit,
		renderCapture({width, height, focused}) {
			const current = session();
			if (!current) return null;
			return createElement(CaptureSlot, {captures: current.captures, dispatch, width, height, focused});
		},
		renderTwoPoint({width, height, focused}) {
			const current = session();
			if (!current) return null;
			return createElement(TwoPointCaptureSlot, {twoPoint: current.twoPoint, dispatch, width, height, focused});
		},
	});
}

/** The element runTui renders (run-tui.ts loads React only through this module). */
export function rootElement(props: RootProps) {
	return createElement(Root, props);
}
