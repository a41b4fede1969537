// The one key registry: key → command → handler. The `?` help screen and the hint row are rendered
// from it, so keys and help cannot drift apart. Handlers sit on a priority bus: the filter box and
// overlays outrank the panes, and a handler that returns true stops the key.
import {createContext, useContext, useEffect, useRef} from 'react';
import type {Key} from 'ink';

export interface CommandSpec {
	keys: readonly string[];
	/** Shown in `?` help. */
	help: string;
	/** Shown in the bottom hint row, when set. */
	hint?: string;
	group: 'move' | 'view' | 'pod' | 'app';
}

export const COMMANDS = {
	'nav.down': {keys: ['j', 'down'], help: 'move down', group: 'move'},
	'nav.up': {keys: ['k', 'up'], help: 'move up', group: 'move'},
	'nav.top': {keys: ['g', 'home'], help: 'top', group: 'move'},
	'nav.bottom': {keys: ['G', 'end'], help: 'bottom', group: 'move'},
	'nav.pageDown': {keys: ['pgdn', 'ctrl-d'], help: 'page down', group: 'move'},
	'nav.pageUp': {keys: ['pgup', 'ctrl-u'], help: 'page up', group: 'move'},
	'pane.next': {keys: ['tab', 'l', 'right'], help: 'next pane', hint: 'pane', group: 'move'},
	'pane.prev': {keys: ['shift-tab', 'h', 'left'], help: 'previous pane', group: 'move'},
	'drill': {keys: ['enter'], help: 'drill in (pods → path → details)', group: 'move'},
	'back': {keys: ['esc'], help: 'back / close / clear the filter', group: 'move'},
	'filter': {keys: ['/'], help: 'filter pods by name, namespace, IP or interface', hint: 'filter', group: 'view'},
	'sort.next': {keys: ['s'], help: 'sort by the next column', hint: 'sort', group: 'view'},
	'sort.reverse': {keys: ['S'], help: 'reverse the sort order', group: 'view'},
	'nodes.toggle': {keys: ['a'], help: 'pods of all nodes on/off', hint: 'all nodes', group: 'view'},
	'explain': {keys: ['e'], help: 'explain: commands that prove each link, and what they print', hint: 'explain', group: 'pod'},
	'capture': {keys: ['t'], help: 'capture the selected pod\'s packets (tcpdump)', hint: 'capture', group: 'pod'},
	'path.peer': {keys: ['p'], help: 'path to another pod: pick the peer (type to filter, ↑/↓ or ctrl-n/ctrl-p move, enter, esc)', hint: 'path to', group: 'pod'},
	'flows': {keys: ['F'], help: 'flows: the selected pod\'s connections from its node\'s conntrack (j/k, enter captures one, esc)', group: 'pod'},
	'capture.zoom': {keys: ['z'], help: 'capture pane: full height on/off', group: 'pod'},
	'command': {keys: [':'], help: 'command line: :ns NAME|all, :ctx NAME, :node NAME, :q (tab completes)', hint: 'cmd', group: 'app'},
	'refresh': {keys: ['r'], help: 'refresh now', group: 'app'},
	'help': {keys: ['?'], help: 'this help', hint: 'help', group: 'app'},
	'quit': {keys: ['q', 'ctrl-c'], help: 'quit', hint: 'quit', group: 'app'},
} as const satisfies Record<string, CommandSpec>;

export type CommandId = keyof typeof COMMANDS;

const commandByKey = new Map<string, CommandId>();
for (const [id, spec] of Object.entries(COMMANDS) as Array<[CommandId, CommandSpec]>) {
	for (const key of spec.keys) commandByKey.set(key, id);
}

/** Ink's Key + input → one name: 'j', 'G', 'down', 'pgdn', 'shift-tab', 'ctrl-c', 'esc', 'enter'... */
export function keyName(input: string, key: Key): string {
	if (key.ctrl && input) return `ctrl-${input}`;
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pgup';
	if (key.pageDown) return 'pgdn';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.return) return 'enter';
	if (key.escape) return 'esc';
	// Terminals send DEL (0x7f) for backspace, which Ink reports as `delete`.
	if (key.backspace || key.delete) return 'backspace';
	return input;
}

const NO_KEY: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
	home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
	backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

/** The Key Ink would have reported for this character alone. */
export function keyOfChar(char: string): Key {
	if (char === '\r' || char === '\n') return {...NO_KEY, return: true};
	if (char === '\t') return {...NO_KEY, tab: true};
	if (char === '\u007F' || char === '\b') return {...NO_KEY, backspace: true};
	return {...NO_KEY, shift: char !== char.toLowerCase()};
}

export function commandFor(name: string): CommandId | null {
	return commandByKey.get(name) ?? null;
}

/** `j / down` for help and hints. */
export function keysLabel(id: CommandId): string {
	return COMMANDS[id].keys.join(' / ');
}

export interface KeyEvent {
	/** The normalised key name. */
	name: string;
	/** The raw text (for the filter box). */
	input: string;
	command: CommandId | null;
}

export type KeyHandler = (event: KeyEvent) => boolean;

export const PRIORITY = {
	global: 0,
	pane: 10,
	overlay: 50,
	textInput: 100,
} as const;

export class KeyBus {
	private readonly handlers: Array<{priority: number; handler: KeyHandler; order: number}> = [];
	private order = 0;

	register(priority: number, handler: KeyHandler): () => void {
		const entry = {priority, handler, order: this.order++};
		this.handlers.push(entry);
		// Higher priority first; among equals, the newest (innermost) first.
		this.handlers.sort((a, b) => b.priority - a.priority || b.order - a.order);
		return () => {
			const at = this.handlers.indexOf(entry);
			if (at >= 0) this.handlers.splice(at, 1);
		};
	}

	dispatch(input: string, key: Key): boolean {
		// Ink hands a chunk of plain text (a paste, keys typed faster than a read) over as one input:
		// each character is a key of its own.
		if (input.length > 1 && !input.includes('\u001B')) {
			let handled = false;
			for (const char of input) handled = this.dispatchOne(char, keyOfChar(char)) || handled;
			return handled;
		}

		return this.dispatchOne(input, key);
	}

	private dispatchOne(input: string, key: Key): boolean {
		const name = keyName(input, key);
		const event: KeyEvent = {name, input, command: commandFor(name)};
		for (const {handler} of [...this.handlers]) if (handler(event)) return true;
		return false;
	}
}

export const KeyBusContext = createContext<KeyBus>(new KeyBus());

/** Put `handler` on the bus at `priority` while `active`; the latest handler closure is always used. */
export function useKeyHandler(priority: number, handler: KeyHandler, active = true): void {
	const bus = useContext(KeyBusContext);
	const latest = useRef(handler);
	latest.current = handler;
	useEffect(() => {
		if (!active) return;
		return bus.register(priority, event => latest.current(event));
	}, [bus, priority, active]);
}
