// The one sanitizer for text that came from the cluster or a node and is about to be shown on a
// terminal: a pod name, an image, a status reason, a tcpdump line, an error from a node shell.
// Anyone who can create a pod picks those strings, and a terminal obeys control sequences in
// them (OSC 0 sets the window title, OSC 52 writes the clipboard, CSI 2J clears the screen).
//
// What it does, and why:
// - An escape sequence (ESC or its C1 form: CSI, OSC, DCS, SOS, PM, APC, up to its terminator)
//   becomes ONE visible U+FFFD, never nothing: the operator sees that the field held something
//   the tool would not print, and `--json` still has the original to look at.
// - Every other control character (C0, DEL, C1) and every bidi override or isolate
//   (U+202A–U+202E, U+2066–U+2069: they reorder what follows, so a name could read as another)
//   becomes U+FFFD too.
// - Tab, newline, CR, VT and FF become a space: the caller lays out one-line cells, and a line
//   break inside one would tear the layout.
// `--json` does not use this: JSON escapes control characters itself, and keeps the data as is.

export const PLACEHOLDER = '\uFFFD';

// Anything that needs work. Checked first, so the common clean string costs one regex test.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const SEQUENCE = new RegExp([
	// CSI: ESC [ or U+009B, parameter bytes, intermediate bytes, a final byte (absent when cut off).
	'(?:\\u001B\\[|\\u009B)[\\u0030-\\u003F]*[\\u0020-\\u002F]*[\\u0040-\\u007E]?',
	// Strings (OSC, DCS, SOS, PM, APC) run to BEL or ST (ESC \ or U+009C), or to the end of the text.
	'(?:\\u001B[\\]PX^_]|[\\u0090\\u0098\\u009D\\u009E\\u009F])[^\\u0007\\u001B\\u009C]*(?:\\u0007|\\u001B\\\\|\\u009C)?',
	// Any other escape: ESC, intermediate bytes, one final byte (ESC c resets the terminal).
	'\\u001B[\\u0020-\\u002F]*[\\u0030-\\u007E]?',
	// A lone control character or bidi control.
	'[\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]',
].join('|'), 'g');

const SPACES = /^[\t\n\r\v\f]$/;

/** `text` made safe for one terminal cell or line: see the top of this file. */
export function displayText(text: string): string {
	if (!UNSAFE.test(text)) return text;
	return text.replace(SEQUENCE, match => (SPACES.test(match) ? ' ' : PLACEHOLDER));
}

/** Multi-line text (a command's output): split at line breaks, each line made safe. */
export function displayLines(text: string): string[] {
	return text.split(/\r?\n/).map(displayText);
}
