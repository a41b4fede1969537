// `path --json`'s document: both directions walked (replies can take another way), the MTU checked
// on each, and one verdict. blocked is the policy issue's; here a path is reachable, broken, or
// unknown when a fact was missing or the far end lies outside what the nodes show.
import type {PodPath} from '../types.js';
import {checkMtu, walkPath, type PathTarget} from './path-walk.js';
import type {PathNode, Trail} from './path-trail.js';
import type {PathDocument, PathEnd, PathVerdict} from './types.js';

export function pathEnd(pod: PodPath): PathEnd {
	return {namespace: pod.namespace, name: pod.name, ip: pod.ip ?? '', node: pod.node ?? ''};
}

export function verdictOf(trails: Trail[]): PathVerdict {
	if (trails.some(t => t.broken)) return 'broken';
	if (trails.some(t => t.unknown)) return 'unknown';
	return 'reachable';
}

export function buildPathDocument(from: PodPath, target: PathTarget, nodes: ReadonlyMap<string, PathNode>): PathDocument {
	const forward = walkPath(from, target, nodes);
	checkMtu(forward);
	const trails = [forward];
	let reverse: Trail | null = null;
	if ('pod' in target) {
		reverse = walkPath(target.pod, {pod: from}, nodes);
		checkMtu(reverse);
		trails.push(reverse);
	}

	return {
		from: pathEnd(from),
		to: 'pod' in target ? pathEnd(target.pod) : {ip: target.ip},
		verdict: verdictOf(trails),
		hops: forward.hops,
		// To an address, the reply's way back starts outside the nodes we see.
		reverse: {hops: reverse?.hops ?? []},
	};
}
