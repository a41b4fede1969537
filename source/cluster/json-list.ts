// A List body (`{"kind":"PodList","metadata":{...},"items":[{...},...]}`) parsed one item at a
// time: each item's text goes to JSON.parse alone and its big object dies young, instead of a
// whole page of full pods living until the page is mapped. Pure.

const QUOTE = 34; // "
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Index of the quote that closes the string opened at `open`. */
function stringEnd(text: string, open: number): number {
	let i = open;
	for (;;) {
		i = text.indexOf('"', i + 1);
		if (i === -1) return text.length;
		let slashes = 0;
		for (let j = i - 1; text.charCodeAt(j) === BACKSLASH; j--) slashes++;
		if (slashes % 2 === 0) return i;
	}
}

/**
 * Calls onItem with each element of the top-level "items" array, in order, and returns the
 * envelope (everything but the items) parsed. Throws SyntaxError on text that is not such a list.
 */
export function parseListItems(text: string, onItem: (raw: unknown) => void): Record<string, unknown> {
	let depth = 0;
	let lastKey = '';
	let itemsOpen = -1;
	let itemsClose = -1;
	let itemStart = -1;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) {
			const end = stringEnd(text, i);
			if (depth === 1) lastKey = text.slice(i + 1, end);
			i = end;
		} else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
			if (depth === 1 && c === OPEN_BRACKET && lastKey === 'items' && itemsOpen === -1) itemsOpen = i;
			else if (depth === 2 && itemsOpen !== -1 && itemsClose === -1) itemStart = i;
			depth++;
		} else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
			depth--;
			if (depth === 2 && itemStart !== -1) {
				onItem(JSON.parse(text.slice(itemStart, i + 1)));
				itemStart = -1;
			} else if (depth === 1 && itemsOpen !== -1 && itemsClose === -1 && c === CLOSE_BRACKET) {
				itemsClose = i;
			}
		}
	}

	const envelope = itemsOpen === -1 ? text : `${text.slice(0, itemsOpen)}[]${text.slice(itemsClose + 1)}`;
	const parsed = JSON.parse(envelope) as unknown;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not a JSON object');
	return parsed as Record<string, unknown>;
}
