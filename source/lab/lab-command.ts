// `k8snet-tui lab ...`: dispatch to up/down/status/pod, the bare `lab` session, and the hidden
// daemon subcommands the lab starts itself. Output is one-line messages; errors are values until
// here, where they become a message and an exit code.
import {displayText} from '../core/display-text.js';
import type {Result} from '../core/types.js';
import {describeDown, downLab} from './lab-down.js';
import {FAULT_USAGE, addFault, clearFaults, formatFaults, listFaults} from './lab-fault-command.js';
import {withLabLock} from './lab-lock.js';
import {type LabCommandOptions, parsePodArg} from './lab-options.js';
import {addLabPod, deleteLabPod} from './lab-pod-change.js';
import {followPodChange} from './services/services-up.js';
import {policyCommand} from './policy/lab-policy-command.js';
import {runLabSession} from './lab-session.js';
import {LAB_STATE_FILE, readLabState} from './lab-state.js';
import {formatLabStatus, labProblems, labStatus} from './lab-status.js';
import {reportFailure, upCommand} from './lab-up-command.js';

const USAGE = 'usage: k8snet-tui lab [up|down|status [--json]|pod add NS/NAME|pod delete NS/NAME|svc add|delete|list ...|fault add|clear|list ...|policy apply FILE|delete NS/NAME|list]';

function needsRoot(): boolean {
	if (process.getuid?.() === 0) return false;
	console.error('k8snet-tui lab: needs root (it creates network namespaces and veths); run it with sudo');
	return true;
}

async function podCommand(args: string[]): Promise<number> {
	const [verb, arg] = args;
	if (verb !== 'add' && verb !== 'delete') {
		console.error(USAGE);
		return 1;
	}

	const ref = parsePodArg(arg);
	if (!ref.ok) return reportFailure(`lab pod ${verb}`, ref);
	const {namespace, name} = ref.value;
	const r: Result<{ip: string | null}> = verb === 'add' ? await addLabPod(namespace, name) : await deleteLabPod(namespace, name);
	if (!r.ok) return reportFailure(`lab pod ${verb}`, r);
	const followed = await followPodChange();
	if (!followed.ok) return reportFailure(`lab pod ${verb}`, followed);
	console.log(displayText(verb === 'add' ? `lab: pod ${namespace}/${name} added (${r.value.ip ?? 'no IP'})` : `lab: pod ${namespace}/${name} deleted`));
	return 0;
}

async function faultCommand(args: string[], o: LabCommandOptions): Promise<number> {
	const [verb, kind, ...rest] = args;
	if (verb === 'list') {
		const faults = listFaults();
		console.log(o.json ? JSON.stringify(faults, null, 2) : formatFaults(faults));
		return 0;
	}

	if (verb !== 'add' && verb !== 'clear') {
		console.error(FAULT_USAGE);
		return 1;
	}

	if (needsRoot()) return 1;
	if (verb === 'add') {
		const r = await withLabLock(() => addFault(kind, rest));
		if (!r.ok) return reportFailure('lab fault add', r);
		console.log(`lab fault: set '${r.value.id}': ${r.value.change}`);
		return 0;
	}

	if (o.all === (kind !== undefined)) {
		console.error(`lab fault clear: name one fault (KIND ARGS) or give --all. ${FAULT_USAGE}`);
		return 1;
	}

	const r = await withLabLock(() => clearFaults(kind, rest, o.all === true));
	if (!r.ok) return reportFailure('lab fault clear', r);
	console.log(r.value.length === 0 ? 'lab fault: no fault was set' : `lab fault: cleared ${r.value.map((id) => `'${id}'`).join(', ')}`);
	return 0;
}

export async function runLabCommand(args: string[], o: LabCommandOptions): Promise<number> {
	const [sub, ...rest] = args;
	switch (sub) {
		case '__api-server': {
			const {runApiServerDaemon} = await import('./api/daemon.js');
			return runApiServerDaemon(o.daemon?.state ?? LAB_STATE_FILE, o.daemon?.port);
		}

		case '__api-forward': {
			const {port, socket} = o.daemon ?? {};
			if (port === undefined || socket === undefined) {
				console.error('lab __api-forward needs --api-port P --socket S');
				return 1;
			}

			const {runApiForwarder} = await import('./api/daemon.js');
			return runApiForwarder({port, socket});
		}

		case 'status': {
			const state = readLabState();
			const s = labStatus(state, state ? labProblems(state) : []);
			console.log(o.json ? JSON.stringify(s, null, 2) : formatLabStatus(s));
			return 0;
		}

		case 'up':
			if (needsRoot()) return 1;
			return (await withLabLock(() => upCommand(o.lab, o))).code;

		case 'down':
			if (needsRoot()) return 1;
			console.log(describeDown(await withLabLock(downLab)));
			return 0;

		case 'pod':
			if (needsRoot()) return 1;
			return withLabLock(() => podCommand(rest));

		case 'fault':
			return faultCommand(rest, o);

		case 'svc': {
			const {svcCommand} = await import('./services/svc-cli.js');
			return svcCommand(rest, o, needsRoot);
		}

		case '__answer': {
			const {runAnswerDaemon} = await import('./services/answer-daemon.js');
			return runAnswerDaemon(o.daemon?.node);
		}

		case 'policy':
			return policyCommand(rest);

		case '__policy-agent': {
			const {runPolicyAgent} = await import('./policy/agent-daemon.js');
			return runPolicyAgent();
		}

		case undefined:
			if (needsRoot()) return 1;
			return runLabSession(o);

		default:
			console.error(displayText(`k8snet-tui lab: unknown subcommand '${sub}'. ${USAGE}`));
			return 1;
	}
}
