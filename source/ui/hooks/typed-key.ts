import type {KeyEvent} from '../keys.js';

/** A key that types its own text (a letter, a digit, one character of a paste), not a named key or a ctrl chord. */
export function isTypedKey(event: KeyEvent): boolean {
	return event.input.length > 0 && !event.name.startsWith('ctrl-') && event.name === event.input;
}
