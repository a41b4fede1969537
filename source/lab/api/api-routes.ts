// What a request asks for: the resource path (list, get or watch of pods, nodes or namespaces),
// the discovery documents kubectl and client-node read first, and the selectors as a filter.
import type {Resource} from './kube-objects.js';
import {type Entry, FIELD_SELECTORS} from './object-store.js';
import {resourceRoute, type Route} from './resource-route.js';
import {CORE_VERSIONS, GROUP_VERSIONS, groupDiscovery, groupRoute, openApiDocument} from './network-policy-discovery.js';
import {matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector} from './selectors.js';
import {SERVICES_RESOURCE} from './services-routes.js';

export const KIND: Record<Resource, string> = {pods: 'Pod', nodes: 'Node', namespaces: 'Namespace', services: 'Service', endpointslices: 'EndpointSlice', networkpolicies: 'NetworkPolicy', daemonsets: 'DaemonSet'};

/** The group/version each resource is served under. */
export const API_VERSION: Record<Resource, string> = {...CORE_VERSIONS, ...GROUP_VERSIONS};


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

const CORE_RESOURCES = Object.keys(CORE_VERSIONS);

export type {Route};

export const HEALTH_PATHS = ['/healthz', '/livez', '/readyz'];
export const DISCOVERY_PATHS = ['/version', '/api', '/api/v1', '/apis', '/apis/networking.k8s.io', '/apis/networking.k8s.io/v1', '/apis/apps', '/apis/apps/v1', '/apis/discovery.k8s.io', '/apis/discovery.k8s.io/v1', '/openapi/v3', '/openapi/v3/apis/networking.k8s.io/v1'];

export function parseRoute(path: string, query: URLSearchParams): Route | null {
	const parts = path.split('/').filter(p => p !== '');
	if (parts[0] === 'apis') return groupRoute(parts, query);
	if (parts[0] !== 'api' || parts[1] !== 'v1') return null;
	const r = resourceRoute(parts.slice(2), query);
	if (r === null || !(CORE_RESOURCES as readonly string[]).includes(r.resource)) return null;
	if (r.namespace !== null && r.resource !== 'pods' && r.resource !== 'services') return null;
	return r as Route;
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

		default: {
			return path.startsWith('/openapi/') ? openApiDocument(path) : groupDiscovery(path);
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
