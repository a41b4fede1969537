// The `:` command line's keys while it is open: it takes every key but ctrl-c.
import type {Dispatch} from '../../store/tui-state.js';
import {completeLine, parseLine, type LineCandidates} from '../command-line.js';
import {PRIORITY, useKeyHandler} from '../keys.js';
import type {Act, ViewRef} from './key-hook-types.js';
import {isTypedKey} from './typed-key.js';

export interface CommandLineKeys {
	current: ViewRef;
	act: Act;
	/** What tab completes. */
	names: LineCandidates;
	dispatch: Dispatch;
	onQuit(): void;
}

export function useCommandLineKeys({current, act, names, dispatch, onQuit}: CommandLineKeys): void {
	useKeyHandler(PRIORITY.textInput, event => {
		const {line} = current.current;
		if (line === null) return false;
		if (event.name === 'esc') act({type: 'line-close'});
		else if (event.name === 'backspace') {
			if (line.text === '') act({type: 'line-close'});
			else act({type: 'line-set', text: line.text.slice(0, -1)});
		} else if (event.name === 'tab') {
			const completed = completeLine(line.text, names);
			act({type: 'line-set', text: completed.text, matches: completed.matches, error: completed.matches.length === 0 ? 'nothing to complete' : null});
		} else if (event.name === 'enter') {
			const parsed = parseLine(line.text);
			if (!parsed.ok) act({type: 'line-set', text: line.text, error: parsed.reason});
			else {
				act({type: 'line-close'});
				if (parsed.command.kind === 'quit') onQuit();
				else dispatch({type: 'switch', to: parsed.command});
			}
		} else if (event.name === 'ctrl-c') return false;
		else if (isTypedKey(event)) act({type: 'line-set', text: line.text + event.input});
		return true;
	});
}
