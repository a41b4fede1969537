// Which cluster, as whom: kubectl's loading order (--kubeconfig, else KUBECONFIG merged, else
// ~/.kube/config, else the pod's service account), then the context. client-node's KubeConfig is
// kept only for connection and auth (agent, CA, client cert, token / exec / auth-provider).
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {homedir} from 'node:os';
import {isIPv6} from 'node:net';
import {KubeConfig} from '@kubernetes/client-node';
import type {Result} from '../core/types.js';
import {kubeconfigEnvFiles, mergeKubeconfigFiles, type MergedKubeconfig} from './kubeconfig-merge.js';

export interface KubeTarget {
	kc: KubeConfig;
	context: string;
	server: string;
	/** The kubeconfig user entry's name (the API's idea of who we are shows up in 403 messages). */
	user: string;
	/** The context's namespace, or null when it sets none. */
	namespace: string | null;
	/** Every context the merged kubeconfig defines, for a context picker. */
	contexts: string[];
	/** The kubeconfig files read, or ['in-cluster'] for a service account. */
	files: string[];
}

export interface KubeTargetOptions {
	kubeconfig?: string | undefined;
	context?: string | undefined;
}

/** Where the configuration comes from; tests pass their own, everyone else takes the defaults. */
export interface KubeconfigSources {
	env?: NodeJS.ProcessEnv;
	home?: string;
	/** Prefix of /var/run/secrets/kubernetes.io/serviceaccount (client-node's loadFromCluster). */
	serviceAccountPrefix?: string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

function listNames(names: Iterable<string>): string {
	const all = [...names];
	return all.length === 0 ? '(none)' : all.join(', ');
}

function inCluster(env: NodeJS.ProcessEnv, prefix: string): Result<KubeTarget> {
	const tokenFile = `${prefix}${SERVICE_ACCOUNT}/token`;
	if (!existsSync(tokenFile)) {
		return {
			ok: false,
			reason: `no kubeconfig found, and KUBERNETES_SERVICE_HOST is set but there is no service account token at ${tokenFile}`,
			hint: 'pass --kubeconfig, or mount a service account token (automountServiceAccountToken)',
		};
	}

	// client-node's loadFromCluster, but reading the env we were given instead of process.env.
	const host = env['KUBERNETES_SERVICE_HOST']!;
	const port = env['KUBERNETES_SERVICE_PORT']!;
	const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
	const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
	const kc = new KubeConfig();
	kc.loadFromOptions({
		clusters: [{name: 'inCluster', server, caFile: `${prefix}${SERVICE_ACCOUNT}/ca.crt`, skipTLSVerify: false}],
		// tokenFile re-reads the token every minute (as client-go does): kubelet rotates it.
		users: [{name: 'inClusterUser', authProvider: {name: 'tokenFile', config: {tokenFile}}}],
		contexts: [{name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser'}],
		currentContext: 'inClusterContext',
	});
	let namespace: string | null = null;
	try {
		namespace = readFileSync(`${prefix}${SERVICE_ACCOUNT}/namespace`, 'utf8').trim() || null;
	} catch {
		// No namespace file: the pod's namespace is unknown, every namespace is asked for.
	}

	return {
		ok: true,
		value: {
			kc,
			context: kc.getCurrentContext(),
			server,
			user: `serviceaccount (${tokenFile})`,
			namespace,
			contexts: [kc.getCurrentContext()],
			files: ['in-cluster'],
		},
	};
}

function pickContext(merged: MergedKubeconfig, wanted: string | undefined): Result<KubeTarget> {
	const where = merged.files.join(':');
	const available = listNames(merged.contexts.keys());
	const name = wanted ?? merged.currentContext;
	if (name === null) {
		return {
			ok: false,
			reason: `no current context in ${where}; contexts: ${available}`,
			hint: merged.contexts.size > 0 ? 'pick one with --context NAME' : 'the kubeconfig defines no context: add one, or use another file',
		};
	}

	const context = merged.contexts.get(name);
	if (!context) {
		return {
			ok: false,
			reason: `context "${name}" does not exist in ${where}; contexts: ${available}`,
			hint: wanted === undefined ? 'current-context names a missing context: pass --context NAME' : 'pass one of those to --context',
		};
	}

	const clusterName = context.body['cluster'];
	const cluster = typeof clusterName === 'string' ? merged.clusters.get(clusterName) : undefined;
	if (!cluster) {
		return {
			ok: false,
			reason: `context "${name}" (${context.file}) uses cluster "${String(clusterName ?? '')}", which is not defined; clusters: ${listNames(merged.clusters.keys())}`,
			hint: 'fix the context\'s cluster: field, or add the cluster to the kubeconfig',
		};
	}

	const server = cluster.body['server'];
	if (typeof server !== 'string' || server === '') {
		return {
			ok: false,
			reason: `cluster "${cluster.name}" (${cluster.file}) has no server`,
			hint: 'set clusters[].cluster.server to the API server\'s https:// URL',
		};
	}

	const userName = typeof context.body['user'] === 'string' ? context.body['user'] : '';
	const user = userName === '' ? undefined : merged.users.get(userName);
	if (userName !== '' && !user) {
		return {
			ok: false,
			reason: `context "${name}" (${context.file}) uses user "${userName}", which is not defined; users: ${listNames(merged.users.keys())}`,
			hint: 'fix the context\'s user: field, or add the user to the kubeconfig',
		};
	}

	// Only the entries this context uses go to client-node, as kubectl only validates those: a broken
	// entry elsewhere in a merged KUBECONFIG must not stop us.
	const tokenFile = user?.body['token-file'];
	if (typeof tokenFile === 'string' && tokenFile !== '' && !existsSync(tokenFile)) {
		return {
			ok: false,
			reason: `user "${userName}" (${user!.file}) has token-file ${tokenFile}, which does not exist`,
			hint: 'fix the path or log in again to get a new token',
		};
	}

	const kc = new KubeConfig();
	const minimal = {
		'current-context': name,
		clusters: [{name: cluster.name, cluster: cluster.body}],
		users: user ? [{name: user.name, user: user.body}] : [],
		contexts: [{name, context: {...context.body, user: user ? userName : undefined}}],
	};
	try {
		kc.loadFromString(JSON.stringify(minimal));
	} catch (error) {
		return {
			ok: false,
			reason: `kubeconfig ${context.file}: ${(error as Error).message.split('\n')[0]}`,
			hint: `check context "${name}", its cluster and its user`,
		};
	}

	const namespace = context.body['namespace'];
	return {
		ok: true,
		value: {
			kc,
			context: name,
			server: kc.getCurrentCluster()!.server,
			user: userName,
			namespace: typeof namespace === 'string' && namespace !== '' ? namespace : null,
			contexts: [...merged.contexts.keys()],
			files: merged.files,
		},
	};
}

export function loadKubeTarget(o: KubeTargetOptions, from: KubeconfigSources = {}): Result<KubeTarget> {
	const env = from.env ?? process.env;
	let merged: Result<MergedKubeconfig>;
	if (o.kubeconfig !== undefined && o.kubeconfig !== '') {
		merged = mergeKubeconfigFiles([o.kubeconfig], true);
	} else if (env['KUBECONFIG']) {
		merged = mergeKubeconfigFiles(kubeconfigEnvFiles(env['KUBECONFIG']), false);
	} else {
		merged = mergeKubeconfigFiles([join(from.home ?? env['HOME'] ?? homedir(), '.kube', 'config')], false);
	}

	if (!merged.ok) return merged;
	// Nothing loaded at all: in a pod, kubectl falls back to the service account.
	if (merged.value.files.length === 0 && o.kubeconfig === undefined) {
		if (env['KUBERNETES_SERVICE_HOST'] && env['KUBERNETES_SERVICE_PORT']) {
			const target = inCluster(env, from.serviceAccountPrefix ?? '');
			if (!target.ok || o.context === undefined || o.context === target.value.context) return target;
			return {
				ok: false,
				reason: `context "${o.context}" does not exist: running in-cluster with no kubeconfig; contexts: ${target.value.context}`,
				hint: 'drop --context, or pass --kubeconfig',
			};
		}

		const tried = env['KUBECONFIG'] ? `KUBECONFIG=${env['KUBECONFIG']}` : join(from.home ?? env['HOME'] ?? homedir(), '.kube', 'config');
		return {
			ok: false,
			reason: `no kubeconfig: ${tried} does not exist, and this is not a pod with a service account`,
			hint: 'pass --kubeconfig PATH, set KUBECONFIG, or try the lab: k8snet-tui lab',
		};
	}

	return pickContext(merged.value, o.context);
}
