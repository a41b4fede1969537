// `k8snet-tui completion bash|zsh|fish` prints the script; the script calls `__complete WORDS...`,
// which prints one candidate per line. Pods, namespaces and nodes come from the API with a short
// deadline: a slow or absent cluster completes nothing rather than hanging the shell.
import {basename} from 'node:path';
import {COMPLETION_TREE} from '../cli-flags.js';
import {completeWord, podCandidates, type Completion} from '../core/completion.js';
import {displayText} from '../core/display-text.js';
import {completionScript, type CompletionShell} from './completion-scripts.js';

const API_DEADLINE_MS = 2000;
const SHELLS: readonly CompletionShell[] = ['bash', 'zsh', 'fish'];

/** The name the user typed: completion for `kubectl-k8snet` must call `kubectl-k8snet`. */
function programName(): string {
	const invoked = basename(process.argv[1] ?? '').replace(/\.js$/, '');
	return invoked === 'kubectl-k8snet' ? invoked : 'k8snet-tui';
}

export function runCompletionScript(shell: string | undefined): number {
	if (shell === undefined || !SHELLS.includes(shell as CompletionShell)) {
		console.error(displayText(`k8snet-tui completion: ${shell === undefined ? 'which shell?' : `no completion for '${shell}'`} (one of: ${SHELLS.join(', ')}; e.g. source <(k8snet-tui completion bash))`));
		return 1;
	}

	process.stdout.write(completionScript(shell as CompletionShell, programName()));
	return 0;
}

/** The value of a flag among the words typed (--kubeconfig X, --kubeconfig=X). */
function flagValue(words: readonly string[], long: string): string | undefined {
	for (let i = 0; i < words.length; i++) {
		const word = words[i]!;
		if (word === `--${long}`) return words[i + 1];
		if (word.startsWith(`--${long}=`)) return word.slice(long.length + 3);
	}

	return undefined;
}

export async function runComplete(words: readonly string[]): Promise<number> {
	const before = words.slice(0, -1);
	const current = words.at(-1) ?? '';
	const wanted = completeWord(COMPLETION_TREE, before, current);
	const candidates = await candidatesFor(wanted, {kubeconfig: flagValue(before, 'kubeconfig'), context: flagValue(before, 'context')});
	// Names from the cluster are printed for a shell to insert: no control characters get through.
	const safe = candidates.filter(candidate => candidate === displayText(candidate) && !/\s/.test(candidate));
	if (safe.length > 0) process.stdout.write(`${safe.join('\n')}\n`);
	return 0;
}

async function candidatesFor(c: Completion, o: {kubeconfig: string | undefined; context: string | undefined}): Promise<string[]> {
	if (c.kind === 'words') return c.words;
	const {loadKubeTarget} = await import('../cluster/kube-target.js');
	const kube = loadKubeTarget(o);
	if (!kube.ok) return [];
	if (c.kind === 'contexts') return kube.value.contexts.filter(name => name.startsWith(c.prefix)).sort();
	const deadline = new Promise<[]>(resolve => setTimeout(() => resolve([]), API_DEADLINE_MS).unref());
	const fetch = async (): Promise<string[]> => {
		if (c.kind === 'namespaces') {
			const {listNamespaces} = await import('../cluster/namespaces.js');
			const listed = await listNamespaces(kube.value);
			return listed.ok ? listed.value.filter(name => name.startsWith(c.prefix)).sort() : [];
		}

		if (c.kind === 'nodes') {
			const {listNodes} = await import('../cluster/nodes.js');
			const listed = await listNodes(kube.value);
			return listed.ok ? listed.value.map(node => node.name).filter(name => name.startsWith(c.prefix)).sort() : [];
		}

		if (c.kind !== 'pods') return [];
		const {listPods} = await import('../cluster/pods.js');
		const listed = await listPods(kube.value, {namespace: c.namespace ?? undefined});
		return listed.ok ? podCandidates(listed.value, c) : [];
	};

	return Promise.race([fetch(), deadline]);
}
