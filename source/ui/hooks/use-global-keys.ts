// The keys every scope passes on: quit, focus, filter, sort, the overlays, and what starts on the
// selected pod (capture, path to a peer, flows, policy). `back` closes the innermost open thing.
import type {Store} from '../../store/store.js';
import type {Dispatch, TuiState} from '../../store/tui-state.js';
import {PRIORITY, useKeyHandler} from '../keys.js';
import {resolveSelection, type PaneId} from '../view-state.js';
import type {Act, ViewRef} from './key-hook-types.js';

export interface GlobalKeys {
	current: ViewRef;
	act: Act;
	/** Read at the key: whether an agent is on offer. */
	store: Store<TuiState>;
	dispatch: Dispatch;
	onQuit(): void;
	/** Panes not on screen now: tab skips them. */
	hiddenPanes: readonly PaneId[];
	/** The pods' uids in the order and filter `current` holds now. */
	currentUids(): readonly string[];
	moveFlow(to: number): void;
	flows: TuiState['flows'];
	route: TuiState['openPath'];
}

export function useGlobalKeys({current, act, store, dispatch, onQuit, hiddenPanes, currentUids, moveFlow, flows, route}: GlobalKeys): void {
	useKeyHandler(PRIORITY.global, event => {
		const now = current.current;
		switch (event.command) {
			case 'quit': onQuit(); break;
			case 'agent.start': if (store.getSnapshot().agentOffer !== null) dispatch({type: 'start-agent'}); break;
			case 'pane.next': act({type: 'focus-cycle', delta: 1, hidden: hiddenPanes}); break;
			case 'pane.prev': act({type: 'focus-cycle', delta: -1, hidden: hiddenPanes}); break;
			case 'filter': act({type: 'filter-open'}); break;
			case 'command': act({type: 'line-open'}); break;
			case 'sort.next': act({type: 'sort-next'}); break;
			case 'sort.reverse': act({type: 'sort-reverse'}); break;
			case 'nodes.toggle': dispatch({type: 'toggle-all-nodes'}); break;
			case 'refresh': dispatch({type: 'refresh'}); break;
			case 'help': act({type: 'overlay', overlay: 'help'}); break;
			case 'explain': act({type: 'overlay', overlay: 'explain'}); break;
			case 'policy.view': {
				if (resolveSelection(now, currentUids()).uid === null) break;
				act({type: 'overlay', overlay: 'policy'});
				dispatch({type: 'policy-view'});
				break;
			}

			case 'capture': {
				const {uid} = resolveSelection(now, currentUids());
				if (uid === null) break;
				dispatch({type: 'start-capture', uid});
				act({type: 'capture-open'});
				break;
			}

			case 'path.peer': {
				const {uid} = resolveSelection(now, currentUids());
				if (uid === null) break;
				act({type: 'picker-open', from: uid});
				dispatch({type: 'path-peers'});
				break;
			}

			case 'flows': {
				const {uid} = resolveSelection(now, currentUids());
				if (uid === null) break;
				moveFlow(0);
				act({type: 'focus', pane: 'path'});
				dispatch({type: 'flows-open', uid});
				break;
			}

			case 'capture.zoom': if (now.captureOpen) act({type: 'capture-zoom'}); break;
			case 'back': {
				if (now.filter) act({type: 'filter-clear'});
				else if (now.focus === 'capture') {
					dispatch({type: 'stop-capture'});
					act({type: 'capture-close'});
				} else if (flows) dispatch({type: 'flows-close'});
				else if (route) dispatch({type: 'path-close'});
				else act({type: 'focus', pane: 'pods'});
				break;
			}

			default: return false;
		}

		return true;
	});
}
