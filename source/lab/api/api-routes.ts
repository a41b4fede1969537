// What a request asks for: the resource path (list, get or watch of pods, nodes or namespaces),
// the discovery documents kubectl and client-node read first, and the selectors as a filter.
import type {Resource} from './kube-objects.js';
import {type Entry, FIELD_SELECTORS} from './object-store.js';
import {API_GROUPS, DISCOVERY_GROUP_PATHS, SERVICES_RESOURCE, discoveryGroupDocument, underDiscoveryGroup} from './services-routes.js';
import {matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector} from './selectors.js';

export const KIND: Record<Resource, string> = {pods: 'Pod', nodes: 'Node', namespaces: 'Namespace', services: 'Service', endpointslices: 'EndpointSlice'};
const NAMESPACED: readonly Resource[] = ['pods', 'services', 'endpointslices'];

export interface Route {
	verb: 'list' | 'watch' | 'get';
	resource: Resource;
	namespace: string | null;
	name: string | null;
}

const API_RESOURCES = {
	kind: 'APIResourceList',
	apiVersion: 'v1',
	groupVersion: 'v1',
	resources: [
		{name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list', 'watch'], shortNames: ['ns']},
		{name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list', 'watch'], shortNames: ['no']},
		{name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po'], categories: ['all']},
		SERVICES_RESOURCE,
	],
};

const VERSION = {
	major: '1',
	minor: '32',
	gitVersion: 'v1.32.0-k8snet-lab',
	gitCommit: '0000000000000000000000000000000000000000',
	gitTreeState: 'clean',
	buildDate: '2026-01-01T00:00:00Z',
	goVersion: 'go1.23.4',
	compiler: 'gc',
	platform: 'linux/amd64',
};

export const HEALTH_PATHS = ['/healthz', '/livez', '/readyz'];
export const DISCOVERY_PATHS = ['/version', '/api', '/api/v1', '/apis', ...DISCOVERY_GROUP_PATHS];

export function parseRoute(path: string, query: URLSearchParams): Route | null {
	const parts = path.split('/').filter(p => p !== '');
	const grouped = underDiscoveryGroup(parts);
	if (grouped === null && (parts[0] !== 'api' || parts[1] !== 'v1')) return null;
	let rest = grouped ?? parts.slice(2);
	let watch = query.get('watch') === 'true' || query.get('watch') === '1';
	// The deprecated /api/v1/watch/... paths, which some clients still use.
	if (rest[0] === 'watch') {
		watch = true;
		rest = rest.slice(1);
	}

	let namespace: string | null = null;
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		namespace = rest[1]!;
		rest = rest.slice(2);
	}

	const resource = rest[0];
	const core: readonly string[] = ['pods', 'nodes', 'namespaces', 'services'];
	if (grouped === null ? !core.includes(resource ?? '') : resource !== 'endpointslices') return null;
	if (rest.length > 2) return null;
	if (namespace !== null && !NAMESPACED.includes(resource as Resource)) return null;
	const name = rest[1] ?? null;
	return {verb: watch ? 'watch' : name ? 'get' : 'list', resource: resource as Resource, namespace, name};
}

/** The discovery document at `path`, or null when there is none. */
export function discovery(path: string, serverAddress: string): unknown {
	switch (path) {
		case '/version': {
			return VERSION;
		}

		case '/api': {
			return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]};
		}

		case '/api/v1': {
			return API_RESOURCES;
		}

		case '/apis': {
			return {kind: 'APIGroupList', apiVersion: 'v1', groups: API_GROUPS};
		}

		default: {
			return discoveryGroupDocument(path);
		}
	}
}

/** The route's namespace/name and the query's field and label selectors as one filter, or why not. */
export function requestFilter(route: Route, query: URLSearchParams): ((e: Entry) => boolean) | string {
	const fields = parseFieldSelector(query.get('fieldSelector') ?? '', FIELD_SELECTORS[route.resource]);
	if (!fields.ok) return fields.message;
	const labels = parseLabelSelector(query.get('labelSelector') ?? '');
	if (!labels.ok) return labels.message;
	const {namespace, name} = route;
	const fieldReqs = fields.value;
	const labelReqs = labels.value;
	return (e: Entry) =>
		(namespace === null || e.object.metadata.namespace === namespace) &&
		(name === null || e.object.metadata.name === name) &&
		(fieldReqs.length === 0 || matchesFields(fieldReqs, e.fields)) &&
		(labelReqs.length === 0 || matchesLabels(labelReqs, e.labels));
}
