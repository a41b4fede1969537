// The API groups beyond core/v1 the lab serves (networking.k8s.io/v1 networkpolicies, apps/v1
// daemonsets, discovery.k8s.io/v1 endpointslices): their routes and the discovery documents (/apis, /apis/GROUP, /apis/GROUP/VERSION)
// that kubectl reads to learn that `netpol` and `ds` exist and which verbs they take.
import type {Resource} from './kube-objects.js';
import {type Route, resourceRoute} from './resource-route.js';

export const CORE_VERSIONS = {pods: 'v1', nodes: 'v1', namespaces: 'v1', services: 'v1'} as const;
export const GROUP_VERSIONS = {networkpolicies: 'networking.k8s.io/v1', daemonsets: 'apps/v1', endpointslices: 'discovery.k8s.io/v1'} as const;

const GROUPS: Record<string, {resource: Resource; resources: object[]}> = {
	'networking.k8s.io': {
		resource: 'networkpolicies',
		resources: [
			{
				name: 'networkpolicies',
				singularName: 'networkpolicy',
				namespaced: true,
				kind: 'NetworkPolicy',
				verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
				shortNames: ['netpol'],
			},
		],
	},
	'discovery.k8s.io': {
		resource: 'endpointslices',
		resources: [{name: 'endpointslices', singularName: 'endpointslice', namespaced: true, kind: 'EndpointSlice', verbs: ['get', 'list', 'watch']}],
	},
	apps: {
		resource: 'daemonsets',
		resources: [{name: 'daemonsets', singularName: 'daemonset', namespaced: true, kind: 'DaemonSet', verbs: ['get', 'list', 'watch'], shortNames: ['ds'], categories: ['all']}],
	},
};

function groupDocument(name: string): object {
	const version = {groupVersion: `${name}/v1`, version: 'v1'};
	return {name, versions: [version], preferredVersion: version};
}

/** The document at an /apis path, or null when there is none. */
export function groupDiscovery(path: string): unknown {
	if (path === '/apis') return {kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(GROUPS).map(groupDocument)};
	const m = /^\/apis\/([^/]+)(\/v1)?$/.exec(path);
	const group = m ? GROUPS[m[1]!] : undefined;
	if (!m || !group) return null;
	if (!m[2]) return {kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(m[1]!)};
	return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${m[1]}/v1`, resources: group.resources};
}

/** `/apis/GROUP/v1/...`: a route when GROUP serves the resource named. */
export function groupRoute(parts: string[], query: URLSearchParams): Route | null {
	const group = GROUPS[parts[1] ?? ''];
	if (!group || parts[2] !== 'v1') return null;
	const r = resourceRoute(parts.slice(3), query);
	return r !== null && r.resource === group.resource ? {...r, resource: group.resource} : null;
}

const OPENAPI_GROUPS: Record<string, {group: string; kind: string; resource: string}> = {
	'apis/networking.k8s.io/v1': {group: 'networking.k8s.io', kind: 'NetworkPolicy', resource: 'networkpolicies'},
};

/**
 * The little of OpenAPI v3 kubectl reads before a write: the index, and per group a PATCH operation
 * tagged with the kind that declares the `fieldValidation` query parameter. kubectl then leaves
 * validation to the server (which validates: network-policy-validate.ts) instead of refusing to
 * apply for want of a schema.
 */
export function openApiDocument(path: string): unknown {
	if (path === '/openapi/v3') {
		return {paths: Object.fromEntries(Object.keys(OPENAPI_GROUPS).map(p => [p, {serverRelativeURL: `/openapi/v3/${p}?hash=k8snet-lab-1`}]))};
	}

	const g = OPENAPI_GROUPS[path.replace(/^\/openapi\/v3\//, '')];
	if (!g) return null;
	const gvk = {group: g.group, version: 'v1', kind: g.kind};
	const patch = {
		operationId: `patchNamespaced${g.kind}`,
		'x-kubernetes-action': 'patch',
		'x-kubernetes-group-version-kind': gvk,
		parameters: [{name: 'fieldValidation', in: 'query', schema: {type: 'string', uniqueItems: true}}],
	};
	return {openapi: '3.0.0', info: {title: 'Kubernetes', version: 'v1.32.0'}, paths: {[`/apis/${g.group}/v1/namespaces/{namespace}/${g.resource}/{name}`]: {patch}}, components: {}};
}
