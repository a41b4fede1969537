// The flags every mode shares, as kubectl spells them. cli.ts fills this in; nothing else parses argv.
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
	debug: boolean;
}
