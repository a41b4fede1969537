// The flags every mode shares, as kubectl spells them. cli.ts fills this in; nothing else parses argv.
import {isDnsLabel} from '../core/k8s-names.js';
import {quoteArgument} from '../core/shell-quote.js';
import {isThemeName, THEME_NAMES} from '../core/theme-name.js';
import type {Result} from '../core/types.js';

export interface TargetOptions {
	kubeconfig: string | undefined;
	context: string | undefined;
	/** -n: narrow the node view to one namespace. Without it, every namespace on the node. */
	namespace: string | undefined;
	/** -A: accepted, and means the default (every namespace). */
	allNamespaces: boolean;
	selector: string | undefined;
	node: string | undefined;
	allNodes: boolean;
	nodeSsh: string | undefined;
	nodeExec: string | undefined;
	/** --cri-socket: the node's CRI socket, instead of the usual places. */
	criSocket?: string | undefined;
	debug: boolean;
	/** --agent: reach every node through an agent pod and the API's exec. */
	agent?: boolean;
	agentNamespace?: string | undefined;
	agentImage?: string | undefined;
	agentProfile?: string | undefined;
	/** Nodes the user chose to reach through an agent pod (A in the TUI), as --agent does for every node. */
	agentNodes?: readonly string[];
	/** --theme (or `theme:` in config.yaml): the TUI's colours. */
	theme?: string | undefined;
}

/** The flags checked before anything runs: a bad one is one line and a hint, and nothing starts. */
export function checkTargetOptions(o: TargetOptions): Result<TargetOptions> {
	if (o.namespace !== undefined && !isDnsLabel(o.namespace)) {
		return {
			ok: false,
			reason: `-n ${quoteArgument(o.namespace)} is not a namespace name`,
			hint: "a namespace is lowercase letters, digits and '-', at most 63; kubectl get namespaces lists them",
		};
	}

	if (o.criSocket !== undefined && !o.criSocket.startsWith('/')) {
		return {ok: false, reason: `--cri-socket ${quoteArgument(o.criSocket)} is not an absolute path`, hint: 'e.g. --cri-socket /run/containerd/containerd.sock'};
	}

	if (o.agentNamespace !== undefined && !isDnsLabel(o.agentNamespace)) {
		return {ok: false, reason: `--agent-namespace ${quoteArgument(o.agentNamespace)} is not a namespace name`, hint: 'pass a namespace whose Pod Security level is privileged, e.g. --agent-namespace kube-system'};
	}

	if (o.agentProfile !== undefined && o.agentProfile !== 'privileged' && o.agentProfile !== 'netadmin') {
		return {
			ok: false,
			reason: `--agent-profile ${quoteArgument(o.agentProfile)} is not a profile`,
			hint: 'use --agent-profile privileged (the default) or netadmin (NET_ADMIN, NET_RAW, SYS_ADMIN, SYS_PTRACE instead of privileged)',
		};
	}

	if (o.theme !== undefined && !isThemeName(o.theme)) {
		return {ok: false, reason: `--theme ${quoteArgument(o.theme)} is not a theme`, hint: `use one of ${THEME_NAMES.join(', ')}: mono has no colour (as NO_COLOR), light suits a light background`};
	}

	return {ok: true, value: o};
}
