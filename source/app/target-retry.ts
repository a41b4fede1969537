// The start's target: an API server that is down is waited for (backing off, the outage on
// screen), a node no access of ours reaches is offered to an agent pod, anything else is final.
import type {TuiState} from '../store/tui-state.js';
import {apiOutage} from './api-outage.js';
import {backoffMs} from './backoff.js';
import type {TargetOptions} from './options.js';
import {resolveTarget, type Target} from './target.js';

/** The first retry of a start that found the API server down; doubling up to the backoff's cap. */
const FIRST_RETRY_MS = 1000;

export interface RetryDeps {
	/** The flags as they are at each attempt. */
	options(): TargetOptions;
	signal: AbortSignal;
	sleep(ms: number): Promise<void>;
	set(patch: Partial<TuiState>): void;
}

/** The target, or null when it failed for good (said in the state) or the session ended. */
export async function resolveWithRetry(deps: RetryDeps): Promise<Target | null> {
	const {signal, set} = deps;
	for (let attempt = 0; ; attempt++) {
		const resolved = await resolveTarget(deps.options());
		if (signal.aborted) return null;
		if (resolved.ok) return resolved.value;
		if ('unreachableNode' in resolved) {
			const node = resolved.unreachableNode;
			set({phase: 'failed', failure: {reason: `node ${node} is not reachable from here — press A to start an agent pod on it`, hint: `${resolved.reason}; ${resolved.hint}`}, agentOffer: node, retry: null});
			return null;
		}

		const outage = await apiOutage(deps.options(), signal);
		if (signal.aborted) return null;
		if (outage === null) {
			set({phase: 'failed', failure: {reason: resolved.reason, hint: resolved.hint}, retry: null});
			return null;
		}

		const wait = backoffMs(FIRST_RETRY_MS, attempt);
		set({retry: {...outage, nextAt: Date.now() + wait}});
		await deps.sleep(wait);
	}
}
