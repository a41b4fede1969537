// flags → mode (tui | dump | capture | lab); nothing else. Each mode is imported lazily so `dump` and `lab`
// never load Ink or React.
import {basename} from 'node:path';
import meow from 'meow';
import {checkTargetOptions, type TargetOptions} from './app/options.js';
import {displayText} from './core/display-text.js';
import {loadConfig, withDefaults} from './app/config-file.js';
import {CLI_FLAGS, configurable} from './cli-flags.js';
import {helpFor} from './help-texts.js';

// `--node-ssh '-i key root@{ip}'`: the value starts with '-', which the flag parser would take for
// a flag of its own. Glue such values to their flag first.
function glueDashValues(argv: string[]): string[] {
	const glued: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const next = argv[i + 1];
		if ((arg === '--node-ssh' || arg === '--node-exec') && next !== undefined) {
			glued.push(`${arg}=${next}`);
			i++;
		} else {
			glued.push(arg);
		}
	}

	return glued;
}

const completing = process.argv[2] === '__complete';
// The config file's values become the parser's defaults: a flag typed wins over them.
const config = completing ? ({ok: true, value: {}} as const) : loadConfig(CLI_FLAGS, configurable);
const cli = meow(
	helpFor([])!,
	{
		importMeta: import.meta,
		// `__complete WORDS...` carries half-typed flags: they are words to complete, not flags to parse.
		argv: completing ? [] : glueDashValues(process.argv.slice(2)),
		allowUnknownFlags: false,
		// meow shows help only for a lone --help; we show each command's own, wherever --help is.
		autoHelp: false,
		flags: withDefaults(CLI_FLAGS, config.ok ? config.value : {}),
	},
);

const {flags, input} = cli;
const [mode, ...rest] = input;

const target: TargetOptions = {
	kubeconfig: flags.kubeconfig,
	context: flags.context,
	namespace: flags.namespace,
	allNamespaces: flags.allNamespaces,
	selector: flags.selector,
	node: flags.node,
	allNodes: flags.allNodes,
	nodeSsh: flags.nodeSsh,
	nodeExec: flags.nodeExec,
	criSocket: flags.criSocket,
	debug: flags.debug,
	agent: flags.agent,
	agentNamespace: flags.agentNamespace,
	agentImage: flags.agentImage,
	agentProfile: flags.agentProfile,
	theme: flags.theme,
};

// Before anything runs: --help prints and exits, a bad flag is one line.
function preflight(): number | null {
	if (flags.help) {
		const help = helpFor(input);
		if (help === null) {
			console.error(displayText(`k8snet-tui: no command '${input.slice(0, 2).join(' ')}'. Run 'k8snet-tui --help'.`));
			return 1;
		}

		// As a kubectl plugin the command is `kubectl k8snet`, and its help says so.
		console.log(basename(process.argv[1] ?? '').startsWith('kubectl-k8snet') ? help.replaceAll('k8snet-tui', 'kubectl k8snet') : help);
		return 0;
	}

	if (!config.ok) {
		console.error(displayText(`k8snet-tui: ${config.reason} (${config.hint})`));
		return 1;
	}

	const checked = checkTargetOptions(target);
	if (!checked.ok) {
		console.error(displayText(`k8snet-tui: ${checked.reason} (${checked.hint})`));
		return 1;
	}

	return null;
}

/** A signal's exit: the agent pods this process started (--agent, or A in the TUI) are deleted first. */
async function exitReleasingAgents(code: number): Promise<void> {
	const agents = await import('./node/remote/agent-reach.js');
	await agents.exitReleasingAgents(code);
}

async function releaseAgentsOf(): Promise<void> {
	const {releaseAgents} = await import('./node/remote/agent-reach.js');
	await releaseAgents();
}

async function runMode(): Promise<number> {
	switch (mode) {
		case 'dump': {
			const {runDump} = await import('./commands/dump.js');
			// Its children lead sessions of their own, so ctrl-c reaches only us: exiting ends them
			// (an agent pod is deleted first).
			process.once('SIGINT', () => void exitReleasingAgents(130));
			process.once('SIGTERM', () => void exitReleasingAgents(143));
			return runDump(target, {pod: rest[0], json: flags.json});
		}

		case 'path': {
			const {runPath} = await import('./commands/path.js');
			process.once('SIGINT', () => void exitReleasingAgents(130));
			process.once('SIGTERM', () => void exitReleasingAgents(143));
			if (rest.length > 2) {
				console.error(displayText(`k8snet-tui path: takes FROM and TO, not ${rest.length} arguments (k8snet-tui path --help)`));
				return 1;
			}

			return runPath(target, {from: rest[0], to: rest[1], port: flags.port, proto: flags.proto, json: flags.json, probe: flags.probe, allEndpoints: flags.allEndpoints});
		}

		case '__connect-probe': {
			const {runConnectAttempt} = await import('./node/connect-probe-attempt.js');
			return runConnectAttempt(rest);
		}

		case 'policy': {
			const {runPolicy} = await import('./commands/policy.js');
			return runPolicy(target, {port: flags.port, proto: flags.proto, json: flags.json, probe: flags.probe, probeMax: flags.probeMax});
		}

		case 'capture': {
			const {runCapture} = await import('./commands/capture.js');
			const code = await runCapture(target, {pod: rest[0], at: flags.at, filter: flags.filter, write: flags.write, count: flags.count, duration: flags.duration});
			// tcpdump is stopped by now; an ssh master or a poll still in flight must not keep us.
			setTimeout(() => process.exit(), 0).unref();
			return code;
		}

		case 'lab': {
			const {runLabCommand} = await import('./lab/lab-command.js');
			return runLabCommand(rest, {
				json: flags.json,
				debug: flags.debug,
				target,
				lab: {
					pods: flags.pods,
					namespaces: flags.namespaces,
					sandbox: flags.sandbox,
					cni: flags.cni,
					ipv6: flags.ipv6,
					oddPods: flags.oddPods,
					fakeNodes: flags.fakeNodes,
					fakePods: flags.fakePods,
					traffic: flags.traffic,
					nodes: flags.nodes,
					overlay: flags.overlay,
					proxy: flags.proxy,
					runtime: flags.runtime,
					policy: flags.policy,
				},
				all: flags.all,
				daemon: {state: flags.state, port: flags.apiPort, socket: flags.socket, node: flags.node},
				svc: {port: flags.port, targetPort: flags.targetPort, selector: flags.selector, nodeport: flags.nodeport, proto: flags.proto},
			});
		}

		case 'config': {
			if (rest[0] !== 'path') {
				console.error(displayText(`k8snet-tui config: ${rest[0] === undefined ? 'which?' : `no 'config ${rest[0]}'`} (k8snet-tui config path prints where the config file is)`));
				return 1;
			}

			const {configPath} = await import('./app/config-file.js');
			console.log(configPath());
			return 0;
		}

		case 'help': {
			const {runHelpKeys} = await import('./commands/help-keys.js');
			return runHelpKeys(rest);
		}

		case 'completion': {
			const {runCompletionScript} = await import('./commands/completion.js');
			return runCompletionScript(rest[0]);
		}

		case undefined: {
			const {runTui} = await import('./ui/run-tui.js');
			const code = await runTui(target);
			// An agent still starting when the session stopped is deleted too.
			await releaseAgentsOf();
			// Quitting is final: a probe still in flight (a node that hangs) must not keep us alive.
			setTimeout(() => process.exit(), 0).unref();
			return code;
		}

		default:
			console.error(displayText(`k8snet-tui: unknown command '${mode}'. Run 'k8snet-tui --help'.`));
			return 1;
	}
}

async function complete(): Promise<number> {
	const {runComplete} = await import('./commands/completion.js');
	return runComplete(process.argv.slice(3));
}

process.exitCode = completing ? await complete() : (preflight() ?? (await runMode()));
