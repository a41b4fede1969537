// The Path pane, the centrepiece: pod eth0 → veth pair → host peer → bridge (or /32 route), each
// hop with its state and live rates. The selected hop (j/k here) is what the Details pane shows.
// When the node, not the pod, is why a path is missing (no nsenter, a poll that keeps failing),
// the pane says that and what to do, instead of waiting or blaming the pod. With a path to a peer
// open (`p`), it shows that path instead: the verdict, each hop marked, the reply path below.
import {Text} from 'ink';
import {displayText} from '../../core/display-text.js';
import type {PodPath} from '../../core/types.js';
import type {Failure, OpenPath, TuiState} from '../../store/tui-state.js';
import {Pane} from '../components/Pane.js';
import {formatRate, type PathModel} from '../path-model.js';
import {routeLines, type RouteMark} from '../route-model.js';
import type {Theme} from '../theme.js';
import {useTheme} from '../theme.js';

/** The node's problem that explains the selected pod's missing path, if there is one. */
export function pathProblem(state: Pick<TuiState, 'view' | 'pollError' | 'nodeProblem'>, podSelected: boolean, path: PodPath | undefined): Failure | null {
	if (!podSelected) return null;
	// No poll has succeeded yet: paths cannot exist, and "probing" would wait forever.
	if (!state.view) return state.nodeProblem ?? state.pollError;
	return path?.status === 'netns-not-found' || path?.status === 'partial' ? state.nodeProblem : null;
}

export interface PathPaneProps {
	model: PathModel | null;
	/** Shown when there is no model: why. */
	placeholder: string;
	/** Shown in place of the placeholder, or of the model's note: see pathProblem. */
	problem?: Failure | null;
	hop: number;
	focused: boolean;
	width: number;
	height: number;
}

function markColor(theme: Theme, mark: RouteMark | null): string | undefined {
	if (mark === '✓') return theme.ok;
	if (mark === '✗') return theme.error;
	return mark === '?' || mark === '!' ? theme.warn : undefined;
}

export interface RoutePaneProps {
	route: OpenPath;
	/** First line shown (j/k scroll): a cross-node path and its reply are taller than the band. */
	scroll: number;
	focused: boolean;
	width: number;
	height: number;
}

export function RoutePane({route, scroll, focused, width, height}: RoutePaneProps) {
	const theme = useTheme();
	const lines = routeLines(route);
	const room = Math.max(0, height - 3 - (route.error ? 2 : 0));
	const start = Math.min(scroll, Math.max(0, lines.length - room));
	const more = lines.length - start - room;
	const shown = lines.slice(start, start + (more > 0 ? room - 1 : room));
	return (
		<Pane title='Path to peer' info={<Text dimColor>j/k scroll  e explain  P probe  t capture  esc back</Text>} focused={focused} width={width} height={height}>
			{shown.map((line, i) => (
				<Text key={`${start + i}`} wrap='truncate-end' bold={line.kind === 'verdict' || line.kind === 'heading'} dimColor={line.kind === 'heading'} color={line.kind === 'heading' ? undefined : markColor(theme, line.mark)}>
					{line.text}
				</Text>
			))}
			{more > 0 ? <Text dimColor>{`↓ ${more + 1} more lines`}</Text> : null}
			{route.error ? <Text wrap='wrap' color={theme.error}>{displayText(route.error.reason)}</Text> : null}
			{route.error ? <Text wrap='wrap'>{displayText(route.error.hint)}</Text> : null}
		</Pane>
	);
}

/** How many lines the open path has: the bound of its scroll. */
export function routeLineCount(route: OpenPath): number {
	return routeLines(route).length;
}

export function PathPane({model, placeholder, problem = null, hop, focused, width, height}: PathPaneProps) {
	const theme = useTheme();
	const lines: Array<{key: string; text: string; color?: string | undefined; dim?: boolean; selected?: boolean; wrap?: boolean}> = [];
	if (model) {
		model.hops.forEach((h, i) => {
			if (i > 0) lines.push({key: `j${i}`, text: `    │ ${model.joints[i - 1] ?? ''}`, dim: true});
			const state = h.state ? `  ${h.state}` : '';
			const stateColor = h.state === 'UP' ? theme.ok : h.state === 'DOWN' ? theme.error : undefined;
			lines.push({key: `t${i}`, text: `${i === hop ? '›' : ' '} ${h.title}${state}`, selected: i === hop, color: stateColor});
			lines.push({key: `d${i}`, text: `    ${h.detail}`});
			if (h.kind === 'eth0') lines.push({key: `r${i}`, text: `    ${formatRate(h.rate)} (mirrored from the peer)`, dim: true});
		});
		// The note wraps: cut, a heuristic path's "what root would add" would be lost at 80 columns.
		if (model.note && !problem) lines.push({key: 'note', text: model.note, color: theme.warn, wrap: true});
	}

	if (problem) {
		// What to do must be read whole: these two wrap where the diagram's lines are cut.
		lines.push({key: 'problem', text: problem.reason, color: theme.warn, wrap: true});
		lines.push({key: 'hint', text: problem.hint, wrap: true});
	}

	for (const [i, line] of (model?.evidence ?? []).entries()) lines.push({key: `e${i}`, text: `· ${line}`, dim: true});

	return (
		<Pane title='Path' focused={focused} width={width} height={height}>
			{model === null && problem === null
				? <Text dimColor>{placeholder}</Text>
				: lines.slice(0, Math.max(0, height - 3)).map(line => (
					<Text key={line.key} wrap={line.wrap ? 'wrap' : 'truncate-end'} dimColor={line.dim} color={line.color} inverse={line.selected && focused} bold={line.selected}>
						{line.text}
					</Text>
				))}
		</Pane>
	);
}
