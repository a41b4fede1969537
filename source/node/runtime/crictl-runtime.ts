// containerd / cri-o nodes: four crictl commands for the whole node, in two rounds of two, whatever
// the pod count (inspectp and inspect take every id at once).
import type {NodeShell, RunResult} from '../node-shell.js';
import {crictlRecords, parseCrictlContainers, parseCrictlInspect, parseCrictlPods} from './crictl-json.js';
import {parseJsonDocuments} from './json-documents.js';
import {firstErrorLine, notInstalled, type RuntimeOutcome} from './runtime-outcome.js';

export async function crictlRuntime(shell: NodeShell): Promise<RuntimeOutcome> {
	const [podsRun, psRun] = await Promise.all([
		shell.run(['crictl', 'pods', '-o', 'json']),
		shell.run(['crictl', 'ps', '-a', '-o', 'json']),
	]);
	if (notInstalled(podsRun)) return {status: 'absent', processes: 2};
	const podsJson = parseOne(podsRun);
	if (podsRun.exitCode !== 0 || podsJson === null) return {status: 'failed', reason: `crictl: ${firstErrorLine(podsRun)}`, processes: 2};
	const pods = parseCrictlPods(podsJson);
	const containers = parseCrictlContainers(parseOne(psRun));

	const readyPods = pods.filter(pod => pod.ready).map(pod => pod.id);
	const readySandboxes = new Set(readyPods);
	const running = containers.filter(c => c.state === 'running' && readySandboxes.has(c.sandboxId)).map(c => c.id);
	const [inspectp, inspect] = await Promise.all([
		readyPods.length === 0 ? null : shell.run(['crictl', 'inspectp', '-o', 'json', ...readyPods]),
		running.length === 0 ? null : shell.run(['crictl', 'inspect', '-o', 'json', ...running]),
	]);
	// crictl stops at the first id that vanished meanwhile; what it printed before still counts.
	const inspected = parseCrictlInspect([...documentsOf(inspectp), ...documentsOf(inspect)]);
	const processes = 2 + (inspectp === null ? 0 : 1) + (inspect === null ? 0 : 1);
	return {status: 'found', kind: 'crictl', records: crictlRecords(pods, containers, inspected), processes};
}

function parseOne(result: RunResult): unknown {
	return parseJsonDocuments(result.stdout)[0] ?? null;
}

function documentsOf(result: RunResult | null): unknown[] {
	return result === null ? [] : parseJsonDocuments(result.stdout);
}
