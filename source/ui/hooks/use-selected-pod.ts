// What the selected pod shows below the list: its path as hops, its containers, and what Details
// is of (the hop or the container last moved to).
import {useMemo} from 'react';
import type {PodInfo, PodPath} from '../../core/types.js';
import type {TuiState} from '../../store/tui-state.js';
import {containersModel, rowSubject, type ContainersModel} from '../containers-model.js';
import type {DetailsPaneProps} from '../panes/DetailsPane.js';
import {pathModel, podsByPeer, type PathModel} from '../path-model.js';
import type {ViewState} from '../view-state.js';

export interface SelectedPod {
	pod: PodInfo | undefined;
	path: PodPath | undefined;
	pathView: PathModel | null;
	containers: ContainersModel | null;
	/** The Containers cursor, kept on a row that exists. */
	containerIndex: number;
	details: Pick<DetailsPaneProps, 'subject' | 'facts' | 'placeholder'>;
}

export function useSelectedPod(state: TuiState, view: ViewState, uid: string | null): SelectedPod {
	const pod = uid === null ? undefined : state.pods.get(uid);
	const path = uid === null ? undefined : state.paths.get(uid);
	const byPeer = useMemo(() => podsByPeer(state.paths.values()), [state.paths]);
	const pathView = useMemo(
		() => (path ? pathModel(path, state.view, state.rates, byPeer) : null),
		[path, state.view, state.rates, byPeer],
	);
	const containers = useMemo(() => (pod ? containersModel(pod, path, state.runtime) : null), [pod, path, state.runtime]);
	const hop = pathView?.hops[Math.min(view.hop, Math.max(0, pathView.hops.length - 1))] ?? null;
	const containerIndex = Math.min(view.container, Math.max(0, (containers?.rows.length ?? 1) - 1));
	const containerRow = containers?.rows[containerIndex] ?? null;
	const details = view.detailsOf === 'container'
		? {subject: containerRow ? rowSubject(containerRow) : null, facts: containerRow?.facts ?? [], placeholder: 'no container selected'}
		: {subject: hop?.kind ?? null, facts: hop?.facts ?? [], placeholder: 'no hop selected'};
	return {pod, path, pathView, containers, containerIndex, details};
}
