// An overlay's keys (help, explain, policy): they scroll it and close it. Only quit passes on.
import {PRIORITY, useKeyHandler} from '../keys.js';
import type {Act, SetScroll, ViewRef} from './key-hook-types.js';

export interface OverlayKeys {
	current: ViewRef;
	act: Act;
	/** The open overlay's scroll. */
	setScroll: SetScroll;
}

export function useOverlayKeys({current, act, setScroll}: OverlayKeys): void {
	useKeyHandler(PRIORITY.overlay, event => {
		const {overlay} = current.current;
		if (overlay === null || event.command === 'quit') return false;
		if (event.command === 'back' || (event.command === 'help' && overlay === 'help') || (event.command === 'explain' && overlay === 'explain')) {
			act({type: 'overlay', overlay: null});
			setScroll(0);
		} else if (event.command === 'nav.down') setScroll(s => s + 1);
		else if (event.command === 'nav.up') setScroll(s => Math.max(0, s - 1));
		else if (event.command === 'nav.pageDown') setScroll(s => s + 10);
		else if (event.command === 'nav.pageUp') setScroll(s => Math.max(0, s - 10));
		else if (event.command === 'nav.top') setScroll(0);
		// Everything else is swallowed: the panes under an overlay must not move unseen.
		return true;
	});
}
