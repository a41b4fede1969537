// What the session knows now, shared by the session and the parts it hands work to (the target
// switch, the picker's peers). Mutable on purpose: one record, so no part keeps a stale copy.
import type {NodeNetSnapshot, NodeView, PodInfo, PodPath} from '../core/types.js';
import type {TargetOptions} from './options.js';
import type {Target} from './target.js';

export interface SessionLive {
	/** Null until the start resolves it. */
	target: Target | null;
	/** The flags, as `:ns` and `:ctx` change them during the session. */
	options: TargetOptions;
	/** The watch's pods by uid. */
	readonly pods: Map<string, PodInfo>;
	/** The node's last poll. */
	view: NodeView | null;
	/** The poll before it: link rates are the difference. */
	previousSnapshot: NodeNetSnapshot | null;
	/** The pods joined with the node, by uid. */
	paths: Map<string, PodPath>;
}
