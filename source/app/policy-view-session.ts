// The TUI's NetworkPolicies: watched (list + watch, every namespace), with the namespaces' labels
// and the DaemonSets that tell whether anything enforces them (listed once per target). What they
// decide reaches the store twice: as `policy` (the `n` view reads it), and on the open path, whose
// document gets its policy verdict here before it is published.
import type {KubeTarget} from '../cluster/kube-target.js';
import type {NodeInfo} from '../cluster/nodes.js';
import {withPolicy} from '../core/path/path-policy.js';
import {detectEnforcement, type DaemonSetFacts} from '../core/policy-enforcement.js';
import type {NetworkPolicy, PolicyNamespace} from '../core/policy/types.js';
import type {PodInfo} from '../core/types.js';
import type {OpenPath, PolicyState, TuiState} from '../store/tui-state.js';
import {pathPolicyFor, type PolicyFacts} from './policy-view-facts.js';

export interface PolicyWatchDeps {
	getState(): TuiState;
	set(patch: Partial<TuiState>): void;
	podByUid(uid: string): PodInfo | undefined;
	nodes(): readonly NodeInfo[];
}

export interface PolicyWatch {
	/** (Re)starts for a target: the previous target's watches end first. */
	start(kube: KubeTarget): void;
	/** The path session's publish: the path with its policy verdict. */
	showPath(path: OpenPath | null): void;
	/** The node's CNI may have changed what is known of enforcement. */
	cniChanged(): void;
	stop(): void;
}

/** Stands in for the reflectors in tests. */
export interface PolicySources {
	watchPolicies: typeof import('../cluster/network-policies.js').watchNetworkPolicies;
	watchNamespaces: typeof import('../cluster/namespaces.js').watchNamespaceLabels;
	listDaemonSets: typeof import('../cluster/daemonsets.js').listDaemonSets;
}

async function defaultSources(): Promise<PolicySources> {
	const [{watchNetworkPolicies}, {watchNamespaceLabels}, {listDaemonSets}] = await Promise.all([
		import('../cluster/network-policies.js'),
		import('../cluster/namespaces.js'),
		import('../cluster/daemonsets.js'),
	]);
	return {watchPolicies: watchNetworkPolicies, watchNamespaces: watchNamespaceLabels, listDaemonSets};
}

export function createPolicyWatch(deps: PolicyWatchDeps, sources: () => Promise<PolicySources> = defaultSources): PolicyWatch {
	let generation = 0;
	let stops: Array<() => void> = [];
	let policies: Map<string, NetworkPolicy> | null = null;
	let namespaces: Map<string, PolicyNamespace> | null = null;
	let daemonSets: DaemonSetFacts[] | null = null;
	let error: PolicyState['error'] = null;
	let rawPath: OpenPath | null = null;

	const facts = (): PolicyFacts => ({
		policies: policies === null ? null : [...policies.values()],
		error: error === null ? 'they are not listed yet' : `${error.reason} (${error.hint})`,
		namespaces: namespaces === null ? null : [...namespaces.values()],
		daemonSets,
	});
	const enforcement = () => detectEnforcement(daemonSets, deps.getState().cni?.kind ?? null);

	function decorate(path: OpenPath | null): OpenPath | null {
		if (path?.document == null) return path;
		const from = deps.podByUid(path.fromUid);
		const to = deps.podByUid(path.toUid);
		if (!from || !to) return path;
		const policy = pathPolicyFor(facts(), enforcement(), from, {pod: to}, deps.nodes(), {proto: null, port: null});
		return {...path, document: withPolicy(path.document, policy)};
	}

	function publish() {
		const state: PolicyState = {
			policies: policies === null ? null : [...policies.values()],
			namespaces: namespaces === null ? null : [...namespaces.values()],
			enforcement: enforcement(),
			error,
		};
		deps.set({policy: state, openPath: decorate(rawPath)});
	}

	function keep<T>(into: () => Map<string, T> | null, assign: (m: Map<string, T>) => void, key: (item: T) => string, mine: number) {
		const live = () => mine === generation;
		return {
			onReplace(items: T[]) {
				if (!live()) return;
				assign(new Map(items.map(item => [key(item), item])));
				publish();
			},
			onUpsert(item: T) {
				if (!live()) return;
				const map = into() ?? new Map<string, T>();
				map.set(key(item), item);
				assign(map);
				publish();
			},
			onDelete(k: string) {
				if (!live()) return;
				into()?.delete(k);
				publish();
			},
		};
	}

	return {
		start(kube) {
			this.stop();
			const mine = ++generation;
			void sources().then(async s => {
				if (mine !== generation) return;
				const policyWatch = s.watchPolicies(kube, {
					...keep(() => policies, m => (policies = m), p => `${p.namespace}/${p.name}`, mine),
					onStatus(status) {
						if (mine !== generation) return;
						const next = status.connected ? null : {reason: `NetworkPolicies: ${status.reason ?? 'the watch is down'}`, hint: status.hint ?? 'it is retried'};
						if (next?.reason === error?.reason && (next === null) === (error === null)) return;
						error = next;
						publish();
					},
				});
				const namespaceWatch = s.watchNamespaces(kube, {
					...keep(() => namespaces, m => (namespaces = m), n => n.name, mine),
					onStatus() {},
				});
				stops.push(() => policyWatch.stop(), () => namespaceWatch.stop());
				const listed = await s.listDaemonSets(kube);
				if (mine !== generation) return;
				daemonSets = listed.ok ? listed.value : null;
				publish();
			});
		},
		showPath(path) {
			rawPath = path;
			deps.set({openPath: decorate(path)});
		},
		cniChanged() {
			if (deps.getState().policy?.enforcement.enforcedReason !== enforcement().enforcedReason) publish();
		},
		stop() {
			generation++;
			for (const stop of stops) stop();
			stops = [];
			policies = null;
			namespaces = null;
			daemonSets = null;
			error = null;
		},
	};
}
