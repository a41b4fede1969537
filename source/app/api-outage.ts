// Whether a start that failed is worth retrying: the API server is down or overloaded, which ends by
// itself, as opposed to a kubeconfig, TLS, RBAC or node problem that waiting does not fix.
import type {ApiFailureKind} from '../cluster/api-errors.js';
import {getJson} from '../cluster/api-request.js';
import {loadKubeTarget} from '../cluster/kube-target.js';
import type {Failure} from '../store/tui-state.js';
import type {TargetOptions} from './options.js';

const PASSING: ReadonlySet<ApiFailureKind> = new Set(['unreachable', 'timeout', 'server']);

/** The outage, when the API server cannot be reached now; null when it answers or cannot be asked. */
export async function apiOutage(o: TargetOptions, signal: AbortSignal): Promise<Failure | null> {
	const loaded = loadKubeTarget({kubeconfig: o.kubeconfig, context: o.context});
	if (!loaded.ok) return null;
	const answer = await getJson(loaded.value, '/version', {verb: 'get', resource: 'version'}, {timeoutMs: 10_000, signal});
	return !answer.ok && PASSING.has(answer.kind) ? {reason: answer.reason, hint: answer.hint} : null;
}
