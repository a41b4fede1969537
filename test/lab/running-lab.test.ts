// The product's door to a running lab: only a lab that is up, and only for its own API.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {writeLabState} from '../../source/lab/lab-state.js';
import {runningLab, runningLabFor} from '../../source/lab/running-lab.js';
import {labState} from '../lab-api/lab-api-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'k8snet-running-lab-'));
const file = join(dir, 'state.json');
after(() => rmSync(dir, {recursive: true, force: true}));

test('a lab that is up is found by its API server URL or its kubeconfig path, nothing else', () => {
	assert.equal(runningLab(file), null, 'no state file: no lab');
	const state = {...labState([]), apiServer: 'https://127.0.0.1:40123', kubeconfig: join(dir, 'kubeconfig')};
	writeLabState(state, file);
	assert.equal(runningLab(file)?.apiServer, state.apiServer);
	assert.equal(runningLabFor({server: 'https://127.0.0.1:40123'}, file)?.node, 'k8snet-lab');
	assert.equal(runningLabFor({kubeconfig: `${dir}/./kubeconfig`}, file)?.node, 'k8snet-lab');
	assert.equal(runningLabFor({server: 'https://127.0.0.1:6443'}, file), null);
	assert.equal(runningLabFor({kubeconfig: join(dir, 'other')}, file), null);
	assert.equal(runningLabFor({}, file), null);

	writeLabState({...state, phase: 'building'}, file);
	assert.equal(runningLab(file), null, 'a lab being built is not running');
	assert.equal(runningLabFor({server: state.apiServer}, file), null);
});
