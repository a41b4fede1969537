// What the lab API adds for Services: the `services` entry of /api/v1, the discovery.k8s.io group
// (where EndpointSlices live) in /apis and its own documents, and the paths under it. kubectl reads
// these before `get svc,endpointslices`; client-node lists the same paths.
import type {Resource} from './kube-objects.js';

export const SERVICES_RESOURCE = {name: 'services', singularName: 'service', namespaced: true, kind: 'Service', verbs: ['get', 'list', 'watch'], shortNames: ['svc'], categories: ['all']};

export const DISCOVERY_GROUP = 'discovery.k8s.io';
const GROUP_VERSION = `${DISCOVERY_GROUP}/v1`;

export const DISCOVERY_GROUP_PATHS = [`/apis/${DISCOVERY_GROUP}`, `/apis/${GROUP_VERSION}`];

const GROUP = {name: DISCOVERY_GROUP, versions: [{groupVersion: GROUP_VERSION, version: 'v1'}], preferredVersion: {groupVersion: GROUP_VERSION, version: 'v1'}};

/** The groups /apis lists. */
export const API_GROUPS = [GROUP];

/** The discovery.k8s.io document at `path`, or null. */
export function discoveryGroupDocument(path: string): unknown {
	if (path === `/apis/${DISCOVERY_GROUP}`) return {kind: 'APIGroup', apiVersion: 'v1', ...GROUP};
	if (path === `/apis/${GROUP_VERSION}`) {
		return {
			kind: 'APIResourceList',
			apiVersion: 'v1',
			groupVersion: GROUP_VERSION,
			resources: [{name: 'endpointslices', singularName: 'endpointslice', namespaced: true, kind: 'EndpointSlice', verbs: ['get', 'list', 'watch']}],
		};
	}

	return null;
}

/** The path segments after the group's prefix, when `parts` (a split path) is under discovery.k8s.io/v1. */
export function underDiscoveryGroup(parts: string[]): string[] | null {
	return parts[0] === 'apis' && parts[1] === DISCOVERY_GROUP && parts[2] === 'v1' ? parts.slice(3) : null;
}

export const API_VERSION: Record<Resource, string> = {pods: 'v1', nodes: 'v1', namespaces: 'v1', services: 'v1', endpointslices: GROUP_VERSION};
