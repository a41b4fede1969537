// Shell completion: the pure word model on the CLI's own tables, the scripts' shapes, and bash
// really completing a lab pod's name through `__complete` against the lab API.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {COMPLETION_TREE} from '../../source/cli-flags.js';
import {completeWord, podCandidates} from '../../source/core/completion.js';
import {labDown, labUp} from '../dump/lab-cli.js';
import {needs} from '../support/prerequisites.js';

const exec = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/k8snet-tui.js', import.meta.url));

test('commands, sub-commands and flags complete from the parser\'s own tables', () => {
	assert.deepEqual(completeWord(COMPLETION_TREE, [], 'l'), {kind: 'words', words: ['lab']});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['lab'], ''), {kind: 'words', words: ['up', 'down', 'status', 'pod', 'fault', 'svc', 'policy']});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['lab', 'fault'], 'c'), {kind: 'words', words: ['clear']});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['dump'], '--all'), {kind: 'words', words: ['--all', '--all-endpoints', '--all-namespaces', '--all-nodes']});
	const all = completeWord(COMPLETION_TREE, [], '-') as {words: string[]};
	assert.ok(all.words.includes('-n') && all.words.includes('--kubeconfig') && all.words.includes('--node-ssh'));
	assert.ok(!all.words.includes('--socket'), 'the daemons\' own flags are not offered');
});

test('pods where a command takes a pod; namespaces, nodes and contexts after their flags', () => {
	assert.deepEqual(completeWord(COMPLETION_TREE, ['dump'], 'we'), {kind: 'pods', namespace: null, prefix: 'we'});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['dump', '-n', 'shop'], ''), {kind: 'pods', namespace: 'shop', prefix: ''});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['--namespace=shop', 'dump'], 'w'), {kind: 'pods', namespace: 'shop', prefix: 'w'});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['dump', 'shop/web-0'], ''), {kind: 'words', words: []}, 'dump takes one pod');
	assert.deepEqual(completeWord(COMPLETION_TREE, ['lab', 'pod', 'delete'], ''), {kind: 'pods', namespace: null, prefix: ''});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['dump', '-n'], 'ku'), {kind: 'namespaces', prefix: 'ku'});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['--node'], ''), {kind: 'nodes', prefix: ''});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['--context'], 'k'), {kind: 'contexts', prefix: 'k'});
	assert.deepEqual(completeWord(COMPLETION_TREE, ['--kubeconfig'], '/tm'), {kind: 'words', words: []}, 'a file: the shell\'s own completion');
	assert.deepEqual(
		podCandidates([{namespace: 'shop', name: 'web-0'}, {namespace: 'shop', name: 'cart-1'}, {namespace: 'lab', name: 'web-0'}], {namespace: null, prefix: 'shop/'}),
		['shop/cart-1', 'shop/web-0'],
	);
	assert.deepEqual(podCandidates([{namespace: 'shop', name: 'web-0'}, {namespace: 'lab', name: 'web-1'}], {namespace: 'lab', prefix: 'w'}), ['web-1']);
});

test('the scripts call __complete under the name they were printed for', async () => {
	for (const shell of ['bash', 'zsh', 'fish']) {
		const {stdout} = await exec(process.execPath, [BIN, 'completion', shell]);
		assert.match(stdout, /k8snet-tui __complete/, shell);
	}

	const refused = await exec(process.execPath, [BIN, 'completion', 'tcsh']).catch((error: {code: number; stderr: string}) => error);
	assert.equal((refused as {code: number}).code, 1);
	assert.match((refused as {stderr: string}).stderr, /no completion for 'tcsh' \(one of: bash, zsh, fish/);
});

const skip = needs({root: true, tools: ['bash', 'ip', 'nsenter', 'kubectl'], files: ['/usr/lib/cni/bridge']});
const scratch = mkdtempSync(join(tmpdir(), 'k8snet-complete-'));
after(async () => {
	if (!skip) await labDown();
	rmSync(scratch, {recursive: true, force: true});
});

test('bash completes a lab pod name through the API, and a namespace after -n', {skip}, async () => {
	const state = await labUp(['--pods', '3']);
	symlinkSync(BIN, join(scratch, 'k8snet-tui'));
	const complete = async (words: string[]) => {
		const script = [
			'source <(k8snet-tui completion bash)',
			`COMP_WORDS=(k8snet-tui ${words.map(word => `'${word}'`).join(' ')})`,
			`COMP_CWORD=${words.length}`,
			'_k8snet_tui',
			'printf "%s\\n" "${COMPREPLY[@]}"',
		].join('\n');
		const {stdout} = await exec('bash', ['-c', script], {env: {...process.env, PATH: `${scratch}:${process.env['PATH'] ?? ''}`, KUBECONFIG: state.kubeconfig}});
		return stdout.split('\n').filter(Boolean);
	};

	const pods = state.pods.filter(pod => pod.namespace === 'default').map(pod => pod.name).sort();
	assert.ok(pods.length > 0);
	assert.deepEqual(await complete(['dump', '-n', 'default', '']), pods);
	const first = pods[0]!;
	assert.deepEqual(await complete(['dump', `default/${first.slice(0, -1)}`]), pods.filter(name => name.startsWith(first.slice(0, -1))).map(name => `default/${name}`));
	const {stdout} = await exec('kubectl', ['--kubeconfig', state.kubeconfig, 'get', 'ns', '-o', 'name']);
	assert.deepEqual(await complete(['dump', '-n', '']), stdout.split('\n').filter(Boolean).map(line => line.replace('namespace/', '')).sort());
});
