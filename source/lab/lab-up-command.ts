// `lab up` as a command: check the flags and the ground, build, and on failure clean up (or,
// with --debug, leave the half-built lab for inspection). Shared by `lab up` and bare `lab`.
import {displayText} from '../core/display-text.js';
import {cniPath} from './cni-plugin.js';
import {reviveApiDaemons} from './lab-api-revive.js';
import {describeDown, downLab} from './lab-down.js';
import {type RawLabFlags, resolveLabOptions} from './lab-options.js';
import {LAB_NODE_NETNS, type LabState, writeLabState} from './lab-state.js';
import {labStatus} from './lab-status.js';
import {buildLab, upBlocker} from './lab-up.js';
import {reviveAnswerDaemons} from './services/answer-pods.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function reportFailure(what: string, r: {reason: string; hint: string}): number {
	console.error(displayText(`${what}: ${r.reason}`));
	if (r.hint) console.error(displayText(`  hint: ${r.hint}`));
	return 1;
}

export function describeUp(state: LabState, ms: number): string {
	const how = state.builtWith === 'cni-plugin' ? `by the CNI plugin ${cniPath()}/${state.options.cni}` : `with iproute2 (no CNI ${state.options.cni} plugin in ${cniPath()})`;
	const port = new URL(state.apiServer).port;
	const nodes = state.nodes ?? [];
	const where =
		nodes.length > 1
			? `${nodes.length} nodes (${nodes.map((n) => n.name).join(', ')}; overlay ${state.options.overlay ?? 'vxlan'}; \`lab status\` lists them)`
			: `node ${state.node} (netns ${LAB_NODE_NETNS})`;
	return [
		`lab up: ${state.pods.length} pods on ${where}, ${state.options.cni} built ${how}, in ${(ms / 1000).toFixed(1)} s`,
		`  api: ${state.apiServer} (and 127.0.0.1:${port} inside netns ${LAB_NODE_NETNS})`,
		`  try: kubectl --kubeconfig ${state.kubeconfig} get pods -A -o wide`,
	].join('\n');
}

/** Brings the lab up, or finds it already up with these options. Exit code and state. */
export async function upCommand(raw: RawLabFlags, o: {json: boolean; debug: boolean}): Promise<{code: number; state: LabState | null; built: boolean}> {
	const options = resolveLabOptions(raw);
	if (!options.ok) return {code: reportFailure('lab up', options), state: null, built: false};
	const blocker = upBlocker(options.value);
	if (blocker?.state && blocker.exitCode === 0) {
		const revived = await reviveApiDaemons(blocker.state);
		if (!revived.ok) return {code: reportFailure('lab up', revived), state: null, built: false};
		const state = blocker.state;
		const answers = await reviveAnswerDaemons(state, () => writeLabState(state));
		if (!answers.ok) return {code: reportFailure('lab up', answers), state: null, built: false};
		const done = [...revived.value, ...answers.value];
		console.log(done.length === 0 ? blocker.message : `lab: already up (same options); ${done.join('; ')}`);
		return {code: 0, state: blocker.state, built: false};
	}

	if (blocker) {
		console.error(blocker.message);
		return {code: blocker.exitCode, state: null, built: false};
	}

	const started = Date.now();
	// Ctrl-C while building stops the build and cleans up, instead of leaving half a lab behind.
	const abort = new AbortController();
	const onSignal = () => abort.abort();
	for (const sig of SIGNALS) process.on(sig, onSignal);
	const built = await buildLab(options.value, abort.signal)
		.catch((error: unknown) => ({
			ok: false as const,
			reason: error instanceof Error ? error.message : String(error),
			hint: o.debug && error instanceof Error ? String(error.stack) : 'run with --debug to keep the half-built lab',
		}))
		.finally(() => {
			for (const sig of SIGNALS) process.off(sig, onSignal);
		});
	if (!built.ok) {
		reportFailure('lab up', built);
		if (o.debug) {
			console.error('lab up: --debug: left the half-built lab for inspection; `k8snet-tui lab down` removes it');
		} else {
			console.error(describeDown(await downLab()).replace('lab down:', 'lab up: cleaned up:'));
		}

		return {code: abort.signal.aborted ? 130 : 1, state: null, built: false};
	}

	console.log(o.json ? JSON.stringify(labStatus(built.value), null, 2) : describeUp(built.value, Date.now() - started));
	return {code: 0, state: built.value, built: true};
}
