// One backoff for the session's retries: the node poll after failures, the start while the API
// server is down.

export const MAX_BACKOFF_MS = 30_000;

/** `firstMs` doubled `doublings` times, never more than MAX_BACKOFF_MS. */
export function backoffMs(firstMs: number, doublings: number): number {
	return Math.min(firstMs * 2 ** doublings, MAX_BACKOFF_MS);
}
