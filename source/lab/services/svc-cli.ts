// `k8snet-tui lab svc ...` → the svc commands, their one-line output and exit code.
import {displayText} from '../../core/display-text.js';
import {withLabLock} from '../lab-lock.js';
import type {LabCommandOptions} from '../lab-options.js';
import {readLabState} from '../lab-state.js';
import {reportFailure} from '../lab-up-command.js';
import {SVC_USAGE, addLabService, deleteLabService, formatSvcRows, listLabServices} from './svc-command.js';

export async function svcCommand(args: string[], o: LabCommandOptions, needsRoot: () => boolean): Promise<number> {
	const [verb, arg, extra] = args;
	if (verb === 'list') {
		const state = readLabState();
		const rows = listLabServices(state);
		console.log(o.json ? JSON.stringify(rows, null, 2) : formatSvcRows(rows, state?.options.proxy ?? 'none'));
		return 0;
	}

	if ((verb !== 'add' && verb !== 'delete') || extra !== undefined) {
		console.error(SVC_USAGE);
		return 1;
	}

	if (needsRoot()) return 1;
	if (verb === 'add') {
		const r = await withLabLock(() => addLabService(arg, o.svc ?? {}));
		if (!r.ok) return reportFailure('lab svc add', r);
		const p = r.value.ports[0];
		const nodePort = p?.nodePort === undefined ? '' : `, nodePort ${p.nodePort}`;
		console.log(displayText(`lab: service ${r.value.namespace}/${r.value.name} added: ${r.value.clusterIP}:${p?.port}/${p?.protocol} → ${p?.targetPort}${nodePort}`));
		return 0;
	}

	const r = await withLabLock(() => deleteLabService(arg));
	if (!r.ok) return reportFailure('lab svc delete', r);
	console.log(displayText(`lab: service ${r.value.namespace}/${r.value.name} deleted`));
	return 0;
}
