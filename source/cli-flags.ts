// Every flag the CLI takes, and the command words: one table that the parser (cli.ts) and shell
// completion (core/completion.ts) both read, so completion offers exactly what parses.
import type {CommandTree} from './core/completion.js';

export const CLI_FLAGS = {
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
	criSocket: {type: 'string'},
	agent: {type: 'boolean', default: false},
	agentNamespace: {type: 'string'},
	agentImage: {type: 'string'},
	agentProfile: {type: 'string'},
	theme: {type: 'string'},
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
	proxy: {type: 'string'},
	runtime: {type: 'string'},
	policy: {type: 'string'},
	at: {type: 'string'},
	filter: {type: 'string', shortFlag: 'f'},
	write: {type: 'string', shortFlag: 'w'},
	count: {type: 'number', shortFlag: 'c'},
	duration: {type: 'number'},
	all: {type: 'boolean', default: false},
	state: {type: 'string'},
	apiPort: {type: 'number'},
	socket: {type: 'string'},
	port: {type: 'number'},
	targetPort: {type: 'number'},
	nodeport: {type: 'number'},
	proto: {type: 'string'},
	probe: {type: 'boolean', default: false},
	allEndpoints: {type: 'boolean', default: false},
	probeMax: {type: 'number'},
} as const;

export const COMMAND_TREE: Omit<CommandTree, 'flags'> = {
	words: {
		'': ['dump', 'path', 'policy', 'capture', 'lab', 'completion', 'config', 'help'],
		config: ['path'],
		help: ['keys'],
		lab: ['up', 'down', 'status', 'pod', 'fault', 'svc', 'policy'],
		'lab pod': ['add', 'delete'],
		'lab svc': ['add', 'delete', 'list'],
		'lab policy': ['apply', 'delete', 'list'],
		'lab fault': ['add', 'clear', 'list'],
		completion: ['bash', 'zsh', 'fish'],
	},
	podArguments: {dump: 1, path: 2, capture: 1, 'lab pod delete': 1},
};

/** meow's camelCase names, as a user types them. */
function kebab(name: string): string {
	return name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

/** The lab's daemons take these from `lab up`; no person types them. */
const INTERNAL_FLAGS = new Set(['state', 'apiPort', 'socket']);

/** What config.yaml may set: any flag a person types, except the ones that ask for something once. */
export function configurable(name: string): boolean {
	return !INTERNAL_FLAGS.has(name) && !['help', 'all'].includes(name);
}

export const COMPLETION_TREE: CommandTree = {
	...COMMAND_TREE,
	flags: Object.entries(CLI_FLAGS).filter(([name]) => !INTERNAL_FLAGS.has(name)).map(([name, spec]) => {
		const short = (spec as {shortFlag?: string}).shortFlag;
		return {long: kebab(name), ...(short === undefined ? {} : {short}), takesValue: spec.type !== 'boolean'};
	}),
};
