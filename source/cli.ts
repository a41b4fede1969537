// flags → mode (tui | dump | lab); nothing else. Each mode is imported lazily so `dump` and `lab`
// never load Ink or React.
import meow from 'meow';
import type {TargetOptions} from './app/options.js';

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
	`
  Usage
    $ k8snet-tui [flags]                 open the TUI on this node
    $ k8snet-tui dump [POD] [--json]     resolve once, print, exit (POD is NAME or NS/NAME)
    $ k8snet-tui lab                     bring the lab up, open the TUI on it, take it down on quit
    $ k8snet-tui lab up|down|status [--json]
    $ k8snet-tui lab pod add|delete NS/NAME

  Cluster flags (as kubectl)
    --kubeconfig PATH      kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
    --context NAME         kubeconfig context
    -n, --namespace NS     only pods of this namespace (default: every namespace on the node)
    -A, --all-namespaces   every namespace (the default)
    -l, --selector SEL     label selector, as kubectl -l

  Node flags
    --node NAME            the node to inspect (default: this host, or the lab's node)
    --all-nodes            list the pods of every other node too (status not-on-this-node)
    --node-ssh 'ARGS'      reach the node over ssh, e.g. 'root@{ip}' ({node}, {ip} are filled in)
    --node-exec 'ARGV'     reach the node through a command prefix (default 'docker exec -i {node}')

  Output
    --json                 dump/lab status: JSON instead of a table
    --debug                stack traces on errors

  Lab flags (lab up)
    --pods N  --namespaces a,b  --sandbox netns|process|mixed  --cni bridge|ptp  --ipv6
    --odd-pods  --fake-nodes M  --fake-pods N  --traffic
`,
	{
		importMeta: import.meta,
		argv: glueDashValues(process.argv.slice(2)),
		allowUnknownFlags: false,
		flags: {
			kubeconfig: {type: 'string'},
			context: {type: 'string'},
			namespace: {type: 'string', shortFlag: 'n'},
			allNamespaces: {type: 'boolean', shortFlag: 'A', default: false},
			selector: {type: 'string', shortFlag: 'l'},
			node: {type: 'string'},
			allNodes: {type: 'boolean', default: false},
			nodeSsh: {type: 'string'},
			nodeExec: {type: 'string'},
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
};

const [mode, ...rest] = input;
let exitCode: number;
switch (mode) {
	case 'dump': {
		const {runDump} = await import('./commands/dump.js');
		exitCode = await runDump(target, {pod: rest[0], json: flags.json});
		break;
	}

	case 'lab': {
		const {runLabCommand} = await import('./lab/lab-command.js');
		exitCode = await runLabCommand(rest, {
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
		break;
	}

	case undefined: {
		const {runTui} = await import('./ui/run-tui.js');
		exitCode = await runTui(target);
		break;
	}

	default: {
		console.error(`k8snet-tui: unknown command '${mode}'. Run 'k8snet-tui --help'.`);
		exitCode = 1;
	}
}

process.exitCode = exitCode;
