// The peer picker's keys while it is open (`p`): typing filters the peers, the arrows move, enter
// opens the path to the chosen one. It takes every key but ctrl-c.
import type {Dispatch} from '../../store/tui-state.js';
import {PRIORITY, useKeyHandler} from '../keys.js';
import type {PeerRow} from '../peer-rows.js';
import type {Act, SetScroll, ViewRef} from './key-hook-types.js';
import {isTypedKey} from './typed-key.js';

const PICKER_MOVES: Partial<Record<string, number>> = {'down': 1, 'up': -1, 'ctrl-n': 1, 'ctrl-p': -1, 'pgdn': 10, 'pgup': -10};

export interface PeerPickerKeys {
	current: ViewRef;
	act: Act;
	/** The picker's rows for the picker `current` holds now. */
	currentRows(): readonly PeerRow[];
	/** The open path's scroll: a new path starts at its top. */
	setRouteScroll: SetScroll;
	dispatch: Dispatch;
}

export function usePeerPickerKeys({current, act, currentRows, setRouteScroll, dispatch}: PeerPickerKeys): void {
	useKeyHandler(PRIORITY.textInput, event => {
		const {picker} = current.current;
		if (picker === null) return false;
		const delta = PICKER_MOVES[event.name];
		if (event.name === 'esc') act({type: 'picker-close'});
		else if (event.name === 'backspace') act({type: 'picker-backspace'});
		else if (delta !== undefined) act({type: 'picker-move', delta, count: currentRows().length});
		else if (event.name === 'enter') {
			const chosen = currentRows()[picker.index];
			if (!chosen) return true;
			act({type: 'picker-close'});
			act({type: 'focus', pane: 'path'});
			setRouteScroll(0);
			dispatch({type: 'path-open', from: picker.from, to: chosen.uid});
		} else if (event.name === 'ctrl-c') return false;
		else if (isTypedKey(event)) act({type: 'picker-type', text: event.input});
		return true;
	});
}
