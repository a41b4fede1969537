// A request path's resource part, after the group/version: shared by the core and the group routes.
import type {Resource} from './kube-objects.js';

export interface Route {
	verb: 'list' | 'watch' | 'get';
	resource: Resource;
	namespace: string | null;
	name: string | null;
}

/** `[watch/][namespaces/NS/]RESOURCE[/NAME]` after the group/version, the resource not yet checked. */
export function resourceRoute(parts: string[], query: URLSearchParams): (Omit<Route, 'resource'> & {resource: string}) | null {
	let rest = parts;
	let watch = query.get('watch') === 'true' || query.get('watch') === '1';
	// The deprecated .../watch/... paths, which some clients still use.
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
	if (resource === undefined || rest.length > 2) return null;
	const name = rest[1] ?? null;
	return {verb: watch ? 'watch' : name ? 'get' : 'list', resource: resource as Resource, namespace, name};
}
