// The product's one door to a running lab: whether a kubeconfig (by its server URL or its path) is
// the lab's, and the lab's record (node, node netns, the pods' sandboxes) when it is. The state file
// and its phases stay the lab's business; only a lab that finished `lab up` counts as running.
import {resolve} from 'node:path';
import {LAB_STATE_FILE, type LabState, readLabState} from './lab-state.js';

/** The lab that is up, or null (none, or one still being built or half-built by a crash). */
export function runningLab(file = LAB_STATE_FILE): LabState | null {
	const state = readLabState(file);
	return state?.phase === 'up' ? state : null;
}

/**
 * The running lab whose API this is: `server` a kubeconfig's server URL, or `kubeconfig` a path
 * to a kubeconfig file (compared resolved). Null when neither matches.
 */
export function runningLabFor(by: {server?: string; kubeconfig?: string}, file = LAB_STATE_FILE): LabState | null {
	const lab = runningLab(file);
	if (lab === null) return null;
	if (by.server !== undefined && lab.apiServer !== '' && by.server === lab.apiServer) return lab;
	if (by.kubeconfig !== undefined && lab.kubeconfig !== '' && resolve(by.kubeconfig) === resolve(lab.kubeconfig)) return lab;
	return null;
}
