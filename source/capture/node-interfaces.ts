// What a capture needs to know of the node's own interfaces, from its latest snapshot. Pure.
import type {NodeNetSnapshot} from '../core/types.js';

/** The node uplink: the device of the IPv4 default route. */
export function defaultRouteDevice(snapshot: NodeNetSnapshot | undefined): string | null {
	return snapshot?.routes.find(route => route.dst === 'default' && route.family === 'inet')?.dev ?? null;
}

/** The node's interface names by index, for an `any` capture's packets (which carry only the index). */
export function ifNamesOf(snapshot: NodeNetSnapshot | undefined): (ifindex: number) => string | null {
	const names = new Map((snapshot?.links ?? []).map(link => [link.ifindex, link.ifname]));
	return ifindex => names.get(ifindex) ?? null;
}
