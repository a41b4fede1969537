// The Service side of the lab's life: `lab up` starts the answer daemons and programs the rules;
// a pod added or deleted moves endpoints, so the rules are re-synced and the new pod answers
// before the command returns.
import type {Result} from '../../core/types.js';
import {type LabState, readLabState} from '../lab-state.js';
import {syncProxy} from '../proxy/proxy-sync.js';
import {startAnswerDaemons, waitAnswering} from './answer-pods.js';

export async function startServices(state: LabState, save: () => void): Promise<Result<void>> {
	const started = await startAnswerDaemons(state, (pid) => {
		state.answerPids = [...(state.answerPids ?? []), pid];
		save();
	});
	if (!started.ok) return started;
	const synced = await syncProxy(state);
	if (!synced.ok) return synced;
	return waitAnswering(state);
}

export async function followPodChange(): Promise<Result<void>> {
	const state = readLabState();
	if (state === null) return {ok: true, value: undefined};
	const synced = await syncProxy(state);
	if (!synced.ok) return synced;
	return waitAnswering(state);
}
