// The `/` filter box's keys while it is open. The list's moves (and ctrl-c) pass on: the pods can be
// walked while the filter is typed.
import {PRIORITY, useKeyHandler} from '../keys.js';
import type {Act, ViewRef} from './key-hook-types.js';
import {isTypedKey} from './typed-key.js';

const PASSED_ON = ['up', 'down', 'pgup', 'pgdn', 'ctrl-c'];

export function useFilterKeys({current, act}: {current: ViewRef; act: Act}): void {
	useKeyHandler(PRIORITY.textInput, event => {
		if (!current.current.filtering) return false;
		if (event.name === 'enter') act({type: 'filter-accept'});
		else if (event.name === 'esc') act({type: 'filter-clear'});
		else if (event.name === 'backspace') act({type: 'filter-backspace'});
		else if (PASSED_ON.includes(event.name)) return false;
		else if (isTypedKey(event)) act({type: 'filter-type', text: event.input});
		return true;
	});
}
