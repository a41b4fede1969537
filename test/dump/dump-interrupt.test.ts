// ctrl-c on `dump` ends what it started: its children lead sessions of their own (the process
// wrapper detaches them so a timeout can end a whole group), so no terminal SIGINT reaches them.
// Against an in-process lab API that serves this host as the node, with an `ip` that hangs.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {startLabApiServer} from '../../source/lab/api/server.js';
import {needs} from '../support/prerequisites.js';
import {alive, killRecordedPids, recordedPids} from '../support/proc.js';
import {hostNodeState} from '../ui/host-node-state.js';
import {ROOT} from '../ui/pty-screen.js';

const skip = needs({tools: ['sh', 'openssl'], files: [join(ROOT, 'dist', 'cli.js')]});
const dir = mkdtempSync(join(tmpdir(), 'k8snet-dump-interrupt-'));

after(() => {
	killRecordedPids(join(dir, 'ip-pids'));
	rmSync(dir, {recursive: true, force: true});
});

test('ctrl-c on dump stops the node command it has in flight', {skip}, async () => {
	const server = await startLabApiServer({getState: () => hostNodeState(2), dir: join(dir, 'api')});
	try {
		const bin = join(dir, 'bin');
		mkdirSync(bin);
		writeFileSync(join(bin, 'ip'), `#!/bin/sh\necho $$ >> '${join(dir, 'ip-pids')}'\nexec sleep 120\n`);
		chmodSync(join(bin, 'ip'), 0o755);
		const child = spawn(process.execPath, [join(ROOT, 'bin', 'k8snet-tui.js'), 'dump', '--kubeconfig', server.kubeconfigPath, '--node', hostname()], {
			env: {...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`},
			stdio: 'ignore',
		});
		const exited = new Promise<number | null>(resolve => child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : null))));
		for (let i = 0; i < 100 && !existsSync(join(dir, 'ip-pids')); i++) await delay(100);
		assert.ok(existsSync(join(dir, 'ip-pids')), 'dump runs ip on the node');
		child.kill('SIGINT');
		assert.equal(await exited, 130, 'ctrl-c exits 130');
		const pids = recordedPids(join(dir, 'ip-pids'));
		for (let i = 0; i < 30 && pids.some(alive); i++) await delay(100);
		assert.deepEqual(pids.filter(alive), [], 'no ip of the dump is left running');
	} finally {
		await server.close();
	}
});
