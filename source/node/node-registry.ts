// The one map from node name to node endpoint. A node is reached once per session, on first ask,
// and stays open (its ssh master, its container exec, its poller's caches) until the registry is
// closed; concurrent asks for one node share one attempt. Several nodes are open at once: the path
// between two pods polls both.
import type {Result, RuntimeInfo} from '../core/types.js';
import type {NodePoller} from './node-poller.js';
import type {ReachedNode} from './node-reach.js';
import type {NodeEndpoint} from './node-shell.js';
import {createNodePollerFor} from './remote/node-poller-for.js';
import {createRuntimeDetector, type RuntimeOptions} from './runtime/runtime.js';

export interface NodeHandle extends NodeEndpoint {
	readonly poller: NodePoller;
	readonly warning: {reason: string; hint: string} | null;
	/** The node's sandboxes; a runtime CLI found missing once is not asked again. */
	runtime(): Promise<RuntimeInfo>;
	/** The node's CNI config files, when this process can read them. */
	cniConfigs(): string[];
}

export interface NodeRegistry {
	/** Reaches the node on first ask; a failure says why and how to fix it. */
	open(name: string): Promise<Result<NodeHandle>>;
	/** An endpoint already open, without reaching anything. */
	get(name: string): NodeHandle | undefined;
	opened(): NodeHandle[];
	/** Closes every open node; resolves once each access has cleaned up (agent pods deleted). */
	close(): Promise<void>;
}

/** null: nothing says how to reach the node. */
export type NodeReacher = (name: string) => Promise<Result<ReachedNode> | null>;

export function createNodeRegistry(reach: NodeReacher, unreachable: (name: string) => {reason: string; hint: string}, runtimeOptions: RuntimeOptions = {}): NodeRegistry {
	const opening = new Map<string, Promise<Result<NodeHandle>>>();
	const open = new Map<string, {handle: NodeHandle; close(): void | Promise<void>}>();
	let closed = false;

	const attempt = async (name: string): Promise<Result<NodeHandle>> => {
		const reached = await reach(name);
		if (reached === null) return {ok: false, ...unreachable(name)};
		if (!reached.ok) return reached;
		if (closed) {
			await reached.value.close();
			return {ok: false, reason: 'the session ended', hint: 'start it again'};
		}

		const handle = toHandle(name, reached.value, runtimeOptions);
		open.set(name, {handle, close: reached.value.close});
		return {ok: true, value: handle};
	};

	return {
		open(name) {
			const known = open.get(name);
			if (known) return Promise.resolve({ok: true, value: known.handle});
			let pending = opening.get(name);
			if (!pending) {
				// A failed attempt is not remembered: the next ask tries again (a node back up, a fixed key).
				pending = attempt(name).finally(() => opening.delete(name));
				opening.set(name, pending);
			}

			return pending;
		},
		get: name => open.get(name)?.handle,
		opened: () => [...open.values()].map(entry => entry.handle),
		async close() {
			closed = true;
			const closing = [...open.values()].map(entry => entry.close());
			open.clear();
			await Promise.all(closing);
		},
	};
}

function toHandle(name: string, reached: ReachedNode, runtimeOptions: RuntimeOptions): NodeHandle {
	const {shell} = reached;
	const detect = createRuntimeDetector(shell, runtimeOptions);
	return {
		name,
		access: shell.access,
		sharesProcfs: shell.sharesProcfs,
		nodeNetnsPath: shell.nodeNetnsPath,
		run: (argv, options) => shell.run(argv, options),
		stream: (argv, options) => shell.stream(argv, options),
		capabilities: reached.capabilities,
		openUnixSocket: reached.openUnixSocket,
		poller: createNodePollerFor(shell),
		warning: reached.warning,
		runtime: () => detect(reached.labState?.() ?? null),
		cniConfigs: reached.cniConfigs,
	};
}
