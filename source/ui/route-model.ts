// Pure: the open path A → B (core/path's document) as the Path pane's lines, and its hops' evidence
// as explain steps. Every string comes from the API or a node's kernel, so each is made safe here.
import {displayText} from '../core/display-text.js';
import type {PathHop, PathProbe, PathService} from '../core/path/types.js';
import type {ExplainStep, OpenPath} from '../store/tui-state.js';
import {policyExplainSteps, policyRouteLines} from './policy-model.js';

/** `!`: policy would deny, but nothing (surely) enforces it. */
export type RouteMark = '✓' | '✗' | '?' | '!';

export interface RouteLine {
	text: string;
	kind: 'verdict' | 'hop' | 'problem' | 'heading' | 'note';
	mark: RouteMark | null;
}

export function hopMark(hop: PathHop): RouteMark {
	if (hop.ok) return '✓';
	return hop.problem?.startsWith('unknown:') ? '?' : '✗';
}

function hopLines(hop: PathHop, service?: PathService): RouteLine[] {
	const mark = hopMark(hop);
	// A Service hop has no interface: it is named by the Service and its port.
	const name = hop.kind === 'service' && service ? `svc/${service.namespace}/${service.name}:${service.port}` : hop.ifname ?? '-';
	const cells = [mark, hop.node, hop.kind, name, hop.state, hop.mtu === null ? '' : `mtu ${hop.mtu}`];
	const lines: RouteLine[] = [{kind: 'hop', mark, text: displayText(cells.join('  ').trimEnd())}];
	if (hop.problem) lines.push({kind: 'problem', mark, text: displayText(`    ${hop.problem}`)});
	return lines;
}

export function routeLines(path: OpenPath): RouteLine[] {
	const title = `${path.from} → ${path.to}`;
	if (path.error) return [{kind: 'verdict', mark: '✗', text: displayText(`${title}: cannot trace`)}];
	const doc = path.document;
	if (doc === null) return [{kind: 'verdict', mark: null, text: displayText(`${title}: tracing…`)}];
	const lines: RouteLine[] = [{kind: 'verdict', mark: doc.verdict === 'reachable' ? '✓' : doc.verdict === 'unknown' ? '?' : '✗', text: displayText(`${title}: ${doc.verdict}`)}];
	for (const hop of doc.hops) lines.push(...hopLines(hop, doc.service));
	if (doc.policy) lines.push(...policyRouteLines(doc.policy));
	if (doc.reverse.hops.length > 0) {
		lines.push({kind: 'heading', mark: null, text: 'reply'});
		for (const hop of doc.reverse.hops) lines.push(...hopLines(hop, doc.service));
	}

	// Last, where `P` scrolls to: what the kernel did with one real attempt.
	if (path.probing) lines.push({kind: 'note', mark: null, text: 'probe: sending one attempt from A…'});
	else if (doc.probe) lines.push(...probeLines(doc.probe));
	return lines;
}

/** `P`'s answer, at the end of the forward path: what the kernel did with one real attempt. */
function probeLines(probe: PathProbe): RouteLine[] {
	const mark: RouteMark = probe.result === 'connected' ? '✓' : probe.result === null ? '?' : '✗';
	const result = probe.result === null ? 'not run' : `${probe.result} in ${probe.ms ?? '?'} ms`;
	const served = probe.endpoint ? `, served by ${probe.endpoint.pod ?? probe.endpoint.ip} (${probe.endpoint.ip}:${probe.endpoint.port})` : '';
	const lines: RouteLine[] = [{kind: 'hop', mark, text: displayText(`${mark} probe: ${result}${served}`)}];
	if (probe.tool !== null || probe.answer) lines.push({kind: 'note', mark: null, text: displayText(`    ${[probe.tool ? `with ${probe.tool}` : '', probe.answer ? `answer "${probe.answer}"` : ''].filter(Boolean).join(' · ')}`)});
	if (probe.note) lines.push({kind: 'problem', mark, text: displayText(`    ${probe.note}`)});
	if (probe.conntrack) lines.push({kind: 'note', mark: null, text: displayText(`    conntrack: ${probe.conntrack}`)});
	return lines;
}

/** `e` on an open path: every hop's evidence, forward then reply, in the explain overlay's shape. */
export function routeExplain(path: OpenPath): {uid: string; steps: ExplainStep[]; error: string | null} {
	const uid = `${path.fromUid}→${path.toUid}`;
	if (path.error) return {uid, steps: [], error: `${path.error.reason} (${path.error.hint})`};
	if (path.document === null) return {uid, steps: [], error: 'the path is still being traced'};
	const steps: ExplainStep[] = [];
	const add = (hops: readonly PathHop[], direction: string) => {
		for (const hop of hops) {
			const what = `${direction} ${hopMark(hop)} ${hop.node} ${hop.kind} ${hop.ifname ?? '-'}${hop.problem ? `: ${hop.problem}` : ''}`;
			for (const evidence of hop.evidence) steps.push({what, command: evidence.command, expect: evidence.expect});
		}
	};

	add(path.document.hops, 'A→B');
	if (path.document.policy) steps.push(...policyExplainSteps(path.document.policy));
	add(path.document.reverse.hops, 'B→A');
	return {uid, steps, error: steps.length === 0 ? 'no hop carries evidence' : null};
}
