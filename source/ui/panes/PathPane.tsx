// The Path pane, the centrepiece: pod eth0 → veth pair → host peer → bridge (or /32 route), each
// hop with its state and live rates. The selected hop (j/k here) is what the Details pane shows.
// When the node, not the pod, is why a path is missing (no nsenter, a poll that keeps failing),
// the pane says that and what to do, instead of waiting or blaming the pod.
import {Text} from 'ink';
import type {PodPath} from '../../core/types.js';
import type {Failure, TuiState} from '../../store/tui-state.js';
import {Pane} from '../components/Pane.js';
import {formatRate, type PathModel} from '../path-model.js';
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
