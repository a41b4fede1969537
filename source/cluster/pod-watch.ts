// The pods of a scope, kept current: list once, then watch (see list-watch.ts for the rules).
import type {PodInfo} from '../core/types.js';
import type {KubeTarget} from './kube-target.js';
import {reflect, type ReflectorOptions, type WatchStatus} from './list-watch.js';
import {podListSpec, type PodScope} from './pods.js';

export type {WatchStatus} from './list-watch.js';

export interface PodWatchHandlers {
	/** Every pod of the scope: after the first list and after a relist. Replace, do not merge. */
	onReplace(pods: PodInfo[]): void;
	onUpsert(p: PodInfo): void;
	onDelete(uid: string): void;
	onStatus(s: WatchStatus): void;
}

export function watchPods(t: KubeTarget, s: PodScope, h: PodWatchHandlers, o?: ReflectorOptions): {stop(): void} {
	return reflect(t, podListSpec(s), h, o);
}
