// What the Screen hands its key hooks. A handler reads and advances the view through `current`,
// never through the rendered view: App.tsx, where the ref lives, says why.
import type {Dispatch as SetState, RefObject, SetStateAction} from 'react';
import type {ViewAction, ViewState} from '../view-state.js';

export type ViewRef = RefObject<ViewState>;

/** Advances `current` by one action, then renders it. */
export type Act = (action: ViewAction) => void;

/** The setter of a scroll offset (a line number). */
export type SetScroll = SetState<SetStateAction<number>>;
