// The one key registry: key → command → handler. The `?` help screen, `help keys` and the hint row
// are rendered from it, so keys and help cannot drift apart. Keys belong to scopes: a scope's keys
// are asked first while it is active, and the keys it does not use pass through to the global ones,
// so one key may mean different things in different scopes but never two things in one. Handlers
// sit on a priority bus: the filter box and overlays outrank the panes, and a handler that returns
// true stops the key.
import {createContext, useContext, useEffect, useRef} from 'react';
import type {Key} from 'ink';
import {CAPTURE_KEY_BINDINGS} from '../capture/capture-view.js';

export const KEY_SCOPES = ['global', 'pods', 'path', 'capture', 'overlay'] as const;
export type KeyScope = typeof KEY_SCOPES[number];

/** What each scope is, for the help. */
export const SCOPE_HELP: Record<KeyScope, string> = {
	global: 'everywhere, unless the active scope binds the key',
	pods: 'the pod list and a pod\'s own panes',
	path: 'the path view (A → B), once a peer is picked',
	capture: 'the capture pane, while it has the focus',
	overlay: 'help, explain and the other overlays',
};

export interface CommandSpec {
	keys: readonly string[];
	/** Shown in `?` help. */
	help: string;
	/** Shown in the bottom hint row, when set. */
	hint?: string;
	scope: KeyScope;
}

const APP_COMMANDS = {
	'nav.down': {keys: ['j', 'down'], help: 'move down', scope: 'global'},
	'nav.up': {keys: ['k', 'up'], help: 'move up', scope: 'global'},
	'nav.top': {keys: ['g', 'home'], help: 'top', scope: 'global'},
	'nav.bottom': {keys: ['G', 'end'], help: 'bottom', scope: 'global'},
	'nav.pageDown': {keys: ['pgdn', 'ctrl-d'], help: 'page down', scope: 'global'},
	'nav.pageUp': {keys: ['pgup', 'ctrl-u'], help: 'page up', scope: 'global'},
	'pane.next': {keys: ['tab', 'l', 'right'], help: 'next pane', hint: 'pane', scope: 'global'},
	'pane.prev': {keys: ['shift-tab', 'h', 'left'], help: 'previous pane', scope: 'global'},
	'drill': {keys: ['enter'], help: 'drill in (pods → path → details; containers → details)', scope: 'global'},
	'back': {keys: ['esc'], help: 'back / close / clear the filter', scope: 'global'},
	'filter': {keys: ['/'], help: 'filter pods by name, namespace, IP or interface', hint: 'filter', scope: 'global'},
	'sort.next': {keys: ['s'], help: 'sort by the next column', hint: 'sort', scope: 'global'},
	'sort.reverse': {keys: ['S'], help: 'reverse the sort order', scope: 'global'},
	'nodes.toggle': {keys: ['a'], help: 'pods of all nodes on/off', hint: 'all nodes', scope: 'global'},
	'explain': {keys: ['e'], help: 'explain: commands that prove each link, and what they print', hint: 'explain', scope: 'global'},
	'capture': {keys: ['t'], help: 'capture the selected pod\'s packets (tcpdump)', hint: 'capture', scope: 'global'},
	'path.twoPoint': {keys: ['t'], help: 'capture at two hops of the path at once (A\'s and B\'s host veths), with the loss between them', hint: 'two-point', scope: 'path'},
	'path.probe': {keys: ['P'], help: 'probe: one connection attempt from A\'s netns (a Service: TCP/UDP to its port, and conntrack names the endpoint the kernel chose; a pod: ICMP echo)', hint: 'probe', scope: 'path'},
	'policy.view': {keys: ['n'], help: 'policy view: the NetworkPolicies that select the pod, who may reach it, whom it may reach', hint: 'policy', scope: 'pods'},
	'flows': {keys: ['F'], help: 'flows: the selected pod\'s connections from its node\'s conntrack (j/k, enter captures one, esc)', scope: 'pods'},
	'path.peer': {keys: ['p'], help: 'path to another pod: pick the peer (type to filter, ↑/↓ or ctrl-n/ctrl-p move, enter, esc)', hint: 'path to', scope: 'global'},
	'capture.zoom': {keys: ['z'], help: 'capture pane: full height on/off', scope: 'global'},
	'command': {keys: [':'], help: 'command line: :ns NAME|all, :ctx NAME, :node NAME, :q (tab completes)', hint: 'cmd', scope: 'global'},
	'refresh': {keys: ['r'], help: 'refresh now', scope: 'global'},
	'help': {keys: ['?'], help: 'this help', hint: 'help', scope: 'global'},
	'quit': {keys: ['q', 'ctrl-c'], help: 'quit', hint: 'quit', scope: 'global'},
	'agent.start': {keys: ['A'], help: 'start an agent pod on a node no other access reaches (offered when one is not reachable)', scope: 'global'},
} as const satisfies Record<string, CommandSpec>;

type CaptureCommandId = typeof CAPTURE_KEY_BINDINGS[number]['command'];

// The capture pane decides its keys in its own pure view model; they are registered here so the
// help and the one-binding-per-scope check see them.
const CAPTURE_COMMANDS = {} as Record<CaptureCommandId, CommandSpec>;
for (const binding of CAPTURE_KEY_BINDINGS) CAPTURE_COMMANDS[binding.command] = {keys: [binding.key], help: binding.description, scope: 'capture'};

// The two-point pane is a capture pane with two streams: c and w keep their capture meaning there.
const TWO_POINT_COMMANDS = {
	'twopoint.pick': {keys: ['1', '2'], help: 'two-point capture: pick stream 1 or 2 (c moves it to the next hop, w saves it, esc stops both)', scope: 'capture'},
} as const satisfies Record<string, CommandSpec>;

export const COMMANDS: Record<keyof typeof APP_COMMANDS | keyof typeof TWO_POINT_COMMANDS | CaptureCommandId, CommandSpec> = {...APP_COMMANDS, ...CAPTURE_COMMANDS, ...TWO_POINT_COMMANDS};

export type CommandId = keyof typeof COMMANDS;

const commandByScopedKey = new Map<string, CommandId>();
for (const [id, spec] of Object.entries(COMMANDS) as Array<[CommandId, CommandSpec]>) {
	for (const key of spec.keys) commandByScopedKey.set(`${spec.scope} ${key}`, id);
}

/** The commands of one scope, in registry order. */
export function scopeCommands(scope: KeyScope): CommandId[] {
	return (Object.keys(COMMANDS) as CommandId[]).filter(id => COMMANDS[id].scope === scope);
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

/** The command a key means in `scope`: the scope's own binding, else the global one. */
export function commandFor(name: string, scope: KeyScope = 'global'): CommandId | null {
	return commandByScopedKey.get(`${scope} ${name}`) ?? commandByScopedKey.get(`global ${name}`) ?? null;
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
	/** Asked at each key, not at each render: keys of one read outrun React's renders. */
	scopeOf: () => KeyScope = () => 'global';

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
		const event: KeyEvent = {name, input, command: commandFor(name, this.scopeOf())};
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
