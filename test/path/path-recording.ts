// A path as recorded from the lab: the pods as joined, and for each node the request the path made
// and the facts script's raw stdout. test/fixtures/path/record-path.ts writes them; the pure tests
// rebuild the document from them with the same parser and walk the CLI uses.
import {buildPathDocument} from '../../source/core/path/path-document.js';
import type {PathNode} from '../../source/core/path/path-trail.js';
import type {PathTarget} from '../../source/core/path/path-walk.js';
import type {FactsRequest, PathDocument} from '../../source/core/path/types.js';
import type {NodeAccess, PodPath} from '../../source/core/types.js';
import {parsePathFacts} from '../../source/node/path-facts-parse.js';

export interface RecordedNode {
	name: string;
	access: NodeAccess;
	internalIPs: string[];
	request: FactsRequest;
	stdout: string;
}

export interface PathRecording {
	scenario: string;
	/** The lab command that set it up (`lab fault add ...`, or the kernel change made by hand). */
	change: string | null;
	from: PodPath;
	target: PathTarget;
	nodes: RecordedNode[];
}

export function nodesOf(recording: PathRecording): Map<string, PathNode> {
	const nodes = new Map<string, PathNode>();
	for (const n of recording.nodes) {
		const facts = parsePathFacts(n.name, n.request, n.stdout);
		nodes.set(n.name, {name: n.name, access: n.access, facts: facts.ok ? facts.value : null, factsError: facts.ok ? null : facts.reason, internalIPs: n.internalIPs});
	}

	return nodes;
}

export function documentOf(recording: PathRecording): PathDocument {
	return buildPathDocument(recording.from, recording.target, nodesOf(recording));
}
