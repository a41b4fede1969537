// flags → mode (tui | dump | lab); nothing else. Each mode is imported lazily so `dump` and `lab`
// never load Ink or React.
import meow from 'meow';
import {checkTargetOptions, type TargetOptions} from './app/options.js';
import {displayText} from './core/display-text.js';
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

const cli = meow(
	helpFor([])!,
	{
		importMeta: import.meta,
		argv: glueDashValues(process.argv.slice(2)),
		allowUnknownFlags: false,
		// meow shows help only for a lone --help; we show each command's own, wherever --help is.
		autoHelp: false,
		flags: {
			help: {type: 'boolean', shortFlag: 'h', default: false},
			kubeconfig: {type: 'string'},
			context: {type: 'string'},
			namespace: {type: 'string', shortFlag: 'n'},
			allNamespaces: {type: 'boolean', shortFlag: 'A', default: false},
			selector: {type: 'string', shortFlag: 'l'},
			node: {type: 'string'},
			allNodes: {type: 'boolean', default: false},
			nodeSsh: {type: 'string'},
			nodeExec: {type: 'string'},
			agent: {type: 'boolean', default: false},
			agentNamespace: {type: 'string'},
			agentImage: {type: 'string'},
			agentProfile: {type: 'string'},
			json: {type: 'boolean', default: false},
			debug: {type: 'boolean', default: false},
			pods: {type: 'number'},
			namespaces: {type: 'string'},
			sandbox: {type: 'string'},
			cni: {type: 'string'},
			ipv6: {type: 'boolean', default: false},
			oddPods: {type: 'boolean', default: false},
			fakeNodes: {type: 'number'},
			fakePods: {type: 'number'},
			traffic: {type: 'boolean', default: false},
			nodes: {type: 'number'},
			overlay: {type: 'string'},
			all: {type: 'boolean', default: false},
			state: {type: 'string'},
			port: {type: 'number'},
			socket: {type: 'string'},
		},
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
	debug: flags.debug,
	agent: flags.agent,
	agentNamespace: flags.agentNamespace,
	agentImage: flags.agentImage,
	agentProfile: flags.agentProfile,
};

// Before anything runs: --help prints and exits, a bad flag is one line.
function preflight(): number | null {
	if (flags.help) {
		const help = helpFor(input);
		if (help === null) {
			console.error(displayText(`k8snet-tui: no command '${input.slice(0, 2).join(' ')}'. Run 'k8snet-tui --help'.`));
			return 1;
		}

		console.log(help);
		return 0;
	}

	const checked = checkTargetOptions(target);
	if (!checked.ok) {
		console.error(displayText(`k8snet-tui: ${checked.reason} (${checked.hint})`));
		return 1;
	}

	return null;
}

async function runMode(): Promise<number> {
	switch (mode) {
		case 'dump': {
			const {runDump} = await import('./commands/dump.js');
			// Its children lead sessions of their own, so ctrl-c reaches only us: exiting ends them.
			process.once('SIGINT', () => process.exit(130));
			process.once('SIGTERM', () => process.exit(143));
			return runDump(target, {pod: rest[0], json: flags.json});
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
				},
				all: flags.all,
				daemon: {state: flags.state, port: flags.port, socket: flags.socket},
			});
		}

		case undefined: {
			const {runTui} = await import('./ui/run-tui.js');
			const code = await runTui(target);
			// Quitting is final: a probe still in flight (a node that hangs) must not keep us alive.
			setTimeout(() => process.exit(), 0).unref();
			return code;
		}

		default:
			console.error(displayText(`k8snet-tui: unknown command '${mode}'. Run 'k8snet-tui --help'.`));
			return 1;
	}
}

process.exitCode = preflight() ?? (await runMode());
